using System.Globalization;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using F = GovData.Catalog.Domain.ResourceFields;

namespace GovData.Catalog.Features.Compile;

/// <summary>
/// The entry form as posted. Field names equal the API's field keys (<c>name</c>, <c>shareCondition</c>,
/// <c>items[0].dataType</c>), so validation errors and reviewer comments map onto the fields. Everything is bound as
/// text and converted here, so a malformed number becomes a Chinese message instead of a binding failure.
/// </summary>
internal sealed class EntryForm
{
    // Classification picker: 类 / 项 / 目 are full node codes (3, 330, 330302), 细目 the digits below the 目.
    public string? ClassCode { get; set; }
    public string? ItemCode { get; set; }
    public string? CategoryCode { get; set; }
    public string? DetailPath { get; set; }

    public string? Name { get; set; }
    public string? Abstract { get; set; }
    public string? ProviderName { get; set; }
    public string? ProviderCode { get; set; }
    public string? FormatCategory { get; set; }
    public string? FormatType { get; set; }
    public string? FormatDescription { get; set; }
    public List<ItemRow> Items { get; set; } = [];
    public string? ShareType { get; set; }
    public string? ShareCondition { get; set; }
    public string? ShareBasis { get; set; }
    public string? ShareChannel { get; set; }
    public string? ShareMethodType { get; set; }
    public string? OpenType { get; set; }
    public string? OpenCondition { get; set; }
    public string? UpdateCycle { get; set; }
    public string? UpdateCycleNote { get; set; }
    /// <summary>关联资源代码, one per line (；, comma and blanks also separate).</summary>
    public string? RelatedCodes { get; set; }
    /// <summary>关键字 separated by ，、；.</summary>
    public string? Keywords { get; set; }
    public string? MetadataMaintainer { get; set; }
    public string? OnlineLink { get; set; }
    public string? SecurityClass { get; set; }
    public string? Hierarchy { get; set; }
    /// <summary>The entry version the form was read at (optimistic concurrency).</summary>
    public string? Version { get; set; }

    private static readonly char[] CodeSeparators = ['\n', '\r', '；', ';', '，', ',', ' ', '\t', '、'];

    /// <summary>The version as a number, or null when missing or malformed (the service then asks for it).</summary>
    public int? VersionNumber => int.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Drops rows the compiler left completely empty (e.g. rows added but not filled in).</summary>
    public void DropBlankRows() => Items.RemoveAll(r => r.IsBlank);

    /// <summary>
    /// The classification code chosen in the picker (目 + 细目), or null when no 目 is chosen. Inconsistent choices
    /// (a 目 outside the chosen 项, letters in the 细目) are reported under <c>classificationCode</c>.
    /// </summary>
    public string? ResolveClassification(FieldMessages errors)
    {
        var cls = ResourceValidator.Blank(ClassCode);
        var item = ResourceValidator.Blank(ItemCode);
        var category = ResourceValidator.Blank(CategoryCode);
        var detail = ResourceValidator.Blank(DetailPath);
        if (category is null)
        {
            if (detail is not null) errors.Add(F.Classification, "请先选择细目所属的目");
            return null;
        }
        if ((item is not null && !category.StartsWith(item, StringComparison.Ordinal)) || (cls is not null && !category.StartsWith(cls, StringComparison.Ordinal)))
        {
            errors.Add(F.Classification, $"所选的目（{category}）不属于所选的类/项，请重新选择目（未启用脚本时，改选类或项后请点击“更新分类选项”）");
            return null;
        }
        if (detail is not null && !detail.All(char.IsAsciiDigit))
        {
            errors.Add(F.Classification, $"细目代码“{detail}”只能包含数字，如 01 或 0102");
            return null;
        }
        return category + (detail ?? "");
    }

    /// <summary>The form as the service's input; malformed numbers in the item grid are reported in <paramref name="errors"/>.</summary>
    public ResourceInput ToInput(string? classification, FieldMessages errors)
    {
        var items = new List<ItemInput>();
        for (var i = 0; i < Items.Count; i++)
        {
            var row = Items[i];
            items.Add(new ItemInput(
                Name: row.Name, FieldCode: row.FieldCode, DataType: ResourceValidator.Blank(row.DataType),
                Length: Number(row.Length, i, "length", "数据长度", errors), Precision: Number(row.Precision, i, "precision", "小数位数", errors),
                Required: row.Required, IsKey: row.IsKey, ValueDomain: row.ValueDomain, Sensitivity: row.Sensitivity,
                MaskingRule: row.MaskingRule, Description: row.Description));
        }
        return new ResourceInput(
            ClassificationCode: classification,
            Name: Name, Abstract: Abstract, ProviderName: ProviderName, ProviderCode: ProviderCode,
            FormatCategory: FormatCategory, FormatType: FormatType, FormatDescription: FormatDescription,
            Items: items,
            ShareType: ShareType, ShareCondition: ShareCondition, ShareBasis: ShareBasis, ShareChannel: ShareChannel, ShareMethodType: ShareMethodType,
            OpenType: OpenType, OpenCondition: OpenCondition,
            UpdateCycle: UpdateCycle, UpdateCycleNote: UpdateCycleNote,
            RelatedCodes: (RelatedCodes ?? "").Split(CodeSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            Keywords: ResourceValidator.Blank(Keywords) is { } k ? [k] : [],
            MetadataMaintainer: MetadataMaintainer, OnlineLink: OnlineLink, SecurityClass: SecurityClass, Hierarchy: Hierarchy);
    }

    private static int? Number(string? text, int index, string field, string label, FieldMessages errors)
    {
        var t = ResourceValidator.Blank(text);
        if (t is null) return null;
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000) return n;
        errors.Add(F.ItemKey(index, field), $"第{index + 1}个信息项的{label}“{t}”应为不超过100000的非负整数");
        return null;
    }

    /// <summary>A form filled with a stored revision (the working one, else the published one).</summary>
    public static EntryForm From(EntryDto entry)
    {
        var r = entry.Working ?? entry.Published!;
        var form = new EntryForm
        {
            Name = r.Name, Abstract = r.Abstract, ProviderName = r.ProviderName, ProviderCode = r.ProviderCode,
            FormatCategory = r.FormatCategory, FormatType = r.FormatType, FormatDescription = r.FormatDescription,
            Items = r.Items.Select(i => new ItemRow
            {
                Name = i.Name, FieldCode = i.FieldCode, DataType = i.DataType, Length = i.Length?.ToString(CultureInfo.InvariantCulture),
                Precision = i.Precision?.ToString(CultureInfo.InvariantCulture), Required = i.Required, IsKey = i.IsKey, ValueDomain = i.ValueDomain,
                Sensitivity = i.Sensitivity, MaskingRule = i.MaskingRule, Description = i.Description,
            }).ToList(),
            ShareType = r.ShareType, ShareCondition = r.ShareCondition, ShareBasis = r.ShareBasis, ShareChannel = r.ShareChannel,
            ShareMethodType = r.ShareMethodType, OpenType = r.OpenType, OpenCondition = r.OpenCondition,
            UpdateCycle = r.UpdateCycle, UpdateCycleNote = r.UpdateCycleNote,
            RelatedCodes = string.Join("\n", r.RelatedCodes), Keywords = string.Join("，", r.Keywords),
            MetadataMaintainer = r.MetadataMaintainer, OnlineLink = r.OnlineLink, SecurityClass = r.SecurityClass, Hierarchy = r.Hierarchy,
            Version = entry.Version.ToString(CultureInfo.InvariantCulture),
        };
        form.SetClassification(entry.ClassificationCode);
        return form;
    }

    /// <summary>Sets the picker to a full classification code (类 1 digit, 项 3, 目 6, then the 细目 digits).</summary>
    public void SetClassification(string code)
    {
        ClassCode = code.Length >= 1 ? code[..1] : null;
        ItemCode = code.Length >= 3 ? code[..3] : null;
        CategoryCode = code.Length >= 6 ? code[..6] : null;
        DetailPath = code.Length > 6 ? code[6..] : null;
    }
}

/// <summary>One row of the information-item grid.</summary>
internal sealed class ItemRow
{
    public string? Name { get; set; }
    public string? FieldCode { get; set; }
    public string? DataType { get; set; }
    public string? Length { get; set; }
    public string? Precision { get; set; }
    public bool Required { get; set; }
    public bool IsKey { get; set; }
    public string? ValueDomain { get; set; }
    public string? Sensitivity { get; set; }
    public string? MaskingRule { get; set; }
    public string? Description { get; set; }

    public bool IsBlank =>
        new[] { Name, FieldCode, DataType, Length, Precision, ValueDomain, Sensitivity, MaskingRule, Description }.All(string.IsNullOrWhiteSpace)
        && !Required && !IsKey;
}
