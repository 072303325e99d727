using GovData.Catalog.Contracts;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// Checks what a consumer asks for against the published resource: every field with a Chinese message under its API
/// name (<c>purpose</c>, <c>items[2]</c>, <c>rowScope[0].op</c> …). Nothing is stored unless everything passes.
/// </summary>
internal static class RequestValidator
{
    public const int MaxTextLength = 500;
    public const int MaxScopeConditions = 20;
    public const int MaxScopeValues = 100;
    public const int MaxValueLength = 100;

    /// <summary>The checked content, or null with <paramref name="errors"/> filled.</summary>
    public static RequestContent? Validate(CreateRequestInput input, CatalogResource? resource, int maxGrantDays, FieldErrors errors)
    {
        var purpose = Text(input.Purpose, "purpose", "用途/应用场景", errors);
        var basis = Text(input.LegalBasis, "legalBasis", "申请依据", errors);
        var businessCase = Text(input.BusinessCase, "businessCase", "所服务的事项或业务", errors);
        var byName = resource is null ? null : ItemLookup(resource);

        var items = new List<string>();
        if (input.Items is null || input.Items.Count == 0)
            errors.Add("items", "items（申请的信息项）不能为空：请列出所需信息项的字段名");
        else if (resource is not null && byName is not null)
        {
            for (var i = 0; i < input.Items.Count; i++)
            {
                var key = $"items[{i}]";
                var text = input.Items[i]?.Trim();
                if (string.IsNullOrEmpty(text)) errors.Add(key, $"第{i + 1}个信息项为空");
                else if (!byName.TryGetValue(text, out var field))
                    errors.Add(key, $"“{text}”不是资源“{resource.Name}”已发布的信息项");
                else if (items.Contains(field)) errors.Add(key, $"信息项“{text}”重复");
                else items.Add(field);
            }
        }

        var scope = new List<ScopeCondition>();
        if (input.RowScope is { Count: > MaxScopeConditions })
            errors.Add("rowScope", $"rowScope（数据范围）最多 {MaxScopeConditions} 个条件");
        else if (input.RowScope is not null && resource is not null && byName is not null)
        {
            for (var i = 0; i < input.RowScope.Count; i++)
                if (Condition(input.RowScope[i], $"rowScope[{i}]", resource, byName, errors) is { } c) scope.Add(c);
        }

        var modes = new List<AccessMode>();
        if (input.AccessModes is null || input.AccessModes.Count == 0)
            errors.Add("accessModes", $"accessModes（使用方式）不能为空：{SharingTerms.Codes<AccessMode>()} 中的一种或几种");
        else
        {
            for (var i = 0; i < input.AccessModes.Count; i++)
            {
                if (SharingTerms.TryParse<AccessMode>(input.AccessModes[i], out var m)) { if (!modes.Contains(m)) modes.Add(m); }
                else errors.Add($"accessModes[{i}]", $"使用方式只能是 {SharingTerms.Codes<AccessMode>()}（接口查询、核验、文件交付、订阅增量），收到“{input.AccessModes[i]}”");
            }
        }

        var days = Duration(input.DurationDays, maxGrantDays, errors);
        return errors.Any || resource is null ? null : new RequestContent(purpose!, basis!, businessCase!, items, scope, modes, days);
    }

    /// <summary>Checks a term in days (1 – <paramref name="max"/>).</summary>
    public static int Duration(int? days, int max, FieldErrors errors)
    {
        if (days is null) errors.Add("durationDays", $"durationDays（申请期限，天）不能为空，1 到 {max} 天");
        else if (days < 1 || days > max) errors.Add("durationDays", $"durationDays（申请期限）必须在 1 到 {max} 天之间，收到 {days}");
        return days ?? 0;
    }

    /// <summary>Field name / item name (case-insensitive) → the item's API name.</summary>
    public static Dictionary<string, string> ItemLookup(CatalogResource resource)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in resource.Items)
        {
            var field = ShareCatalog.FieldName(item);
            map.TryAdd(field, field);
            map.TryAdd(item.Name.Trim(), field);
        }
        return map;
    }

    internal static ScopeCondition? Condition(ScopeConditionInput? c, string key, CatalogResource resource, Dictionary<string, string> byName, FieldErrors errors)
    {
        if (c is null)
        {
            errors.Add(key, "数据范围条件为空");
            return null;
        }
        string? field = null;
        var fieldText = c.Field?.Trim();
        if (string.IsNullOrEmpty(fieldText)) errors.Add(key + ".field", "field（条件所依据的信息项）不能为空");
        else if (!byName.TryGetValue(fieldText, out field)) errors.Add(key + ".field", $"“{fieldText}”不是资源“{resource.Name}”已发布的信息项");

        var opOk = SharingTerms.TryParse<ScopeOperator>(c.Op, out var op);
        if (!opOk) errors.Add(key + ".op", $"op 只能是 eq（等于）、in（属于）或 prefix（以…开头），收到“{c.Op}”");

        var values = new List<string>();
        if (c.Values is null || c.Values.Count == 0) errors.Add(key + ".values", "values（条件取值）不能为空");
        else
        {
            if (opOk && op is ScopeOperator.Eq or ScopeOperator.Prefix && c.Values.Count != 1)
                errors.Add(key + ".values", $"{SharingTerms.Code(op)} 条件只能有一个取值");
            else if (c.Values.Count > MaxScopeValues)
                errors.Add(key + ".values", $"in 条件最多 {MaxScopeValues} 个取值");
            foreach (var v in c.Values)
            {
                var t = v?.Trim();
                if (string.IsNullOrEmpty(t)) { errors.Add(key + ".values", "条件取值不能为空"); break; }
                if (t.Length > MaxValueLength) { errors.Add(key + ".values", $"条件取值不能超过{MaxValueLength}个字符"); break; }
                if (!values.Contains(t)) values.Add(t);
            }
        }
        return field is not null && opOk && values.Count > 0 ? new ScopeCondition(field, SharingTerms.Code(op), values) : null;
    }

    private static string? Text(string? value, string field, string label, FieldErrors errors)
    {
        var t = value?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            errors.Add(field, $"{field}（{label}）不能为空");
            return null;
        }
        if (t.Length > MaxTextLength) errors.Add(field, $"{field}（{label}）不能超过{MaxTextLength}个字");
        return t;
    }
}
