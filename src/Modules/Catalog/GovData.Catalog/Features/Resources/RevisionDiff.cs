using System.Text.Json;
using GovData.Catalog.Domain;

namespace GovData.Catalog.Features.Resources;

/// <summary>One changed field, for the history (readable diff).</summary>
internal sealed record FieldChange(string Field, string Label, string? Before, string? After);

/// <summary>Compares two versions of an entry field by field, information items by name.</summary>
internal static class RevisionDiff
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static List<FieldChange> Compare(ResourceInput? before, ResourceInput after)
    {
        var changes = new List<FieldChange>();
        void Field(string key, string? a, string? b)
        {
            a = ResourceValidator.Blank(a);
            b = ResourceValidator.Blank(b);
            if (a != b) changes.Add(new FieldChange(key, ResourceFields.Labels[key], a, b));
        }
        Field(ResourceFields.Classification, before?.ClassificationCode, after.ClassificationCode);
        Field(ResourceFields.Name, before?.Name, after.Name);
        Field(ResourceFields.ProviderName, before?.ProviderName, after.ProviderName);
        Field(ResourceFields.ProviderCode, before?.ProviderCode, after.ProviderCode);
        Field(ResourceFields.Abstract, before?.Abstract, after.Abstract);
        Field(ResourceFields.FormatCategory, before?.FormatCategory, after.FormatCategory);
        Field(ResourceFields.FormatType, before?.FormatType, after.FormatType);
        Field(ResourceFields.FormatDescription, before?.FormatDescription, after.FormatDescription);
        Field(ResourceFields.ShareType, before?.ShareType, after.ShareType);
        Field(ResourceFields.ShareCondition, before?.ShareCondition, after.ShareCondition);
        Field(ResourceFields.ShareBasis, before?.ShareBasis, after.ShareBasis);
        Field(ResourceFields.ShareChannel, before?.ShareChannel, after.ShareChannel);
        Field(ResourceFields.ShareMethodType, before?.ShareMethodType, after.ShareMethodType);
        Field(ResourceFields.OpenType, before?.OpenType, after.OpenType);
        Field(ResourceFields.OpenCondition, before?.OpenCondition, after.OpenCondition);
        Field(ResourceFields.UpdateCycle, before?.UpdateCycle, after.UpdateCycle);
        Field(ResourceFields.UpdateCycleNote, before?.UpdateCycleNote, after.UpdateCycleNote);
        Field(ResourceFields.RelatedCodes, Join(before?.RelatedCodes), Join(after.RelatedCodes));
        Field(ResourceFields.Keywords, Join(before?.Keywords), Join(after.Keywords));
        Field(ResourceFields.MetadataMaintainer, before?.MetadataMaintainer, after.MetadataMaintainer);
        Field(ResourceFields.OnlineLink, before?.OnlineLink, after.OnlineLink);
        Field(ResourceFields.SecurityClass, before?.SecurityClass, after.SecurityClass);
        Field(ResourceFields.Hierarchy, before?.Hierarchy, after.Hierarchy);

        var oldItems = (before?.Items ?? []).Where(i => i.Name is not null).GroupBy(i => i.Name!).ToDictionary(g => g.Key, g => g.First());
        var newItems = (after.Items ?? []).Where(i => i.Name is not null).GroupBy(i => i.Name!).ToDictionary(g => g.Key, g => g.First());
        foreach (var (name, item) in newItems)
        {
            if (!oldItems.TryGetValue(name, out var old))
                changes.Add(new FieldChange(ResourceFields.Items, $"信息项“{name}”", null, Describe(item)));
            else if (Describe(old) != Describe(item))
                changes.Add(new FieldChange(ResourceFields.Items, $"信息项“{name}”", Describe(old), Describe(item)));
        }
        foreach (var (name, item) in oldItems)
            if (!newItems.ContainsKey(name))
                changes.Add(new FieldChange(ResourceFields.Items, $"信息项“{name}”", Describe(item), null));
        var oldOrder = (before?.Items ?? []).Select(i => i.Name).Where(n => n is not null && newItems.ContainsKey(n)).ToList();
        var newOrder = (after.Items ?? []).Select(i => i.Name).Where(n => n is not null && oldItems.ContainsKey(n)).ToList();
        if (!oldOrder.SequenceEqual(newOrder))
            changes.Add(new FieldChange(ResourceFields.Items, "信息项顺序", string.Join("、", oldOrder), string.Join("、", newOrder)));
        return changes;
    }

    /// <summary>“credit_code C,18 必填 主键 敏感/身份证号脱敏 …” — one line per item.</summary>
    public static string Describe(ItemInput i)
    {
        var parts = new List<string>();
        if (i.FieldCode is { Length: > 0 } f) parts.Add(f);
        var type = i.DataType ?? "";
        if (!type.Contains(',') && i.Length is { } l) type += "," + l + (i.Precision is { } p ? "," + p : "");
        if (type.Length > 0) parts.Add(type);
        if (i.Required) parts.Add("必填");
        if (i.IsKey) parts.Add("主键");
        if (i.Sensitivity is { Length: > 0 } s) parts.Add(s + (i.MaskingRule is { Length: > 0 } m && m != "不脱敏" ? "/" + m : ""));
        if (i.ValueDomain is { Length: > 0 } v) parts.Add("值域：" + v);
        if (i.Description is { Length: > 0 } d) parts.Add("说明：" + d);
        return string.Join(" ", parts);
    }

    public static string? ToJson(IReadOnlyCollection<FieldChange> changes) => changes.Count == 0 ? null : JsonSerializer.Serialize(changes, Json);

    public static List<FieldChange> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<FieldChange>>(json, Json) ?? [];

    private static string? Join(List<string>? values) => values is null || values.Count == 0 ? null : string.Join("；", values);
}
