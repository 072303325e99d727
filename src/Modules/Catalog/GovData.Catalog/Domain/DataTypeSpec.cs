using System.Globalization;
using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;

namespace GovData.Catalog.Domain;

/// <summary>
/// An information item's 数据类型 with 数据长度 (and precision), written as in the 1272 template:
/// <c>C,18</c>, <c>D,10</c>, <c>N,12,2</c>.
/// </summary>
internal readonly partial record struct DataTypeSpec(ItemDataType Type, int? Length, int? Precision)
{
    /// <summary>Chinese names of the guide's types.</summary>
    public static IReadOnlyDictionary<ItemDataType, string> Names { get; } = new Dictionary<ItemDataType, string>
    {
        [ItemDataType.C] = "字符型", [ItemDataType.N] = "数值型", [ItemDataType.Y] = "货币型", [ItemDataType.D] = "日期型",
        [ItemDataType.T] = "日期时间型", [ItemDataType.L] = "逻辑型", [ItemDataType.M] = "备注型", [ItemDataType.G] = "通用型",
        [ItemDataType.B] = "双精度型", [ItemDataType.I] = "整型", [ItemDataType.F] = "浮点型",
    };

    /// <summary>Permitted lengths of 日期时间型: yyyyMMddHHmmss, yyyy-MM-dd HH:mm:ss, with milliseconds, with microseconds.</summary>
    public static readonly int[] DateTimeLengths = [14, 19, 23, 26];

    [GeneratedRegex(@"^\s*(?<t>[A-Za-z]|[\u4e00-\u9fa5]{3,5})\s*(?:[,，、(（]\s*(?<l>\d{1,6})\s*(?:[,，、.]\s*(?<p>\d{1,3})\s*)?[)）]?)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecRegex();

    /// <summary>“C,18”, “N,12,2”, “M”.</summary>
    public override string ToString() =>
        CatalogTerms.Label(Type) + (Length is { } l ? "," + l.ToString(CultureInfo.InvariantCulture) + (Precision is { } p ? "," + p.ToString(CultureInfo.InvariantCulture) : "") : "");

    /// <summary>
    /// Parses “C”, “C,18”, “C, 18”, “C，18”, “N,12,2”, “N(12,2)” or a Chinese type name (字符型,18).
    /// Returns null and a Chinese reason when the text is not a type specification.
    /// </summary>
    public static bool TryParse(string? text, out DataTypeSpec spec, out string? error)
    {
        spec = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "数据类型不能为空"; return false; }
        var m = SpecRegex().Match(text);
        if (!m.Success || !CatalogTerms.TryParse<ItemDataType>(m.Groups["t"].Value.ToUpperInvariant(), out var type))
        {
            error = $"数据类型“{text.Trim()}”无效：应为 C、N、Y、D、T、L、M、G、B、I、F 之一，可附长度，如“C,18”“D,10”“N,12,2”";
            return false;
        }
        int? length = m.Groups["l"].Success ? int.Parse(m.Groups["l"].Value, CultureInfo.InvariantCulture) : null;
        int? precision = m.Groups["p"].Success ? int.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture) : null;
        spec = new DataTypeSpec(type, length, precision);
        return true;
    }

    /// <summary>Checks length and precision against the type; returns null when valid, otherwise the Chinese reason.</summary>
    public string? Validate()
    {
        var name = $"{CatalogTerms.Label(Type)}（{Names[Type]}）";
        if (Length is < 1) return $"数据类型 {name} 的长度应为正整数";
        if (Precision is { } && Type is not (ItemDataType.N or ItemDataType.Y or ItemDataType.B or ItemDataType.F))
            return $"数据类型 {name} 不能填写小数位数";
        if (Precision is < 0) return "小数位数不能为负数";
        switch (Type)
        {
            case ItemDataType.C:
                if (Length is null) return $"数据类型 {name} 须注明长度，如“C,18”";
                if (Length > 4000) return $"数据类型 {name} 的长度不能超过4000；更长的文本请使用 M（备注型）";
                break;
            case ItemDataType.N:
            case ItemDataType.Y:
                if (Length is null) return $"数据类型 {name} 须注明长度，如“{CatalogTerms.Label(Type)},12,2”";
                if (Length > 38) return $"数据类型 {name} 的长度不能超过38位";
                if (Precision is { } p && p >= Length) return $"数据类型 {name} 的小数位数（{p}）应小于总长度（{Length}）";
                if (Type == ItemDataType.Y && Precision is > 4) return $"数据类型 {name} 的小数位数不能超过4位";
                break;
            case ItemDataType.D:
                if (Length is null) return $"数据类型 {name} 须注明长度：8（YYYYMMDD）或10（YYYY-MM-DD），如“D,10”";
                if (Length is not (8 or 10)) return $"数据类型 {name} 的长度应为8（YYYYMMDD）或10（YYYY-MM-DD），实际为{Length}";
                break;
            case ItemDataType.T:
                if (Length is null) return $"数据类型 {name} 须注明长度，如“T,19”（YYYY-MM-DD hh:mm:ss）";
                if (!DateTimeLengths.Contains(Length.Value)) return $"数据类型 {name} 的长度应为14、19、23或26，实际为{Length}";
                break;
            case ItemDataType.L:
                if (Length is { } && Length != 1) return $"数据类型 {name} 的长度应为1";
                break;
            case ItemDataType.I:
                if (Length is > 19) return $"数据类型 {name} 的长度不能超过19位";
                break;
            case ItemDataType.B:
            case ItemDataType.F:
                if (Length is > 38) return $"数据类型 {name} 的长度不能超过38位";
                if (Precision is { } q && Length is { } len && q >= len) return $"数据类型 {name} 的小数位数（{q}）应小于总长度（{len}）";
                break;
        }
        return null;
    }
}
