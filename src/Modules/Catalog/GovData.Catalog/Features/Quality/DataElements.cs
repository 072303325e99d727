using System.Globalization;
using System.Text;

namespace GovData.Catalog.Features.Quality;

/// <summary>A data element checked for 一数多源: its standard name, the other names and the field codes it goes by.</summary>
internal sealed record DataElement(string Name, string[] Names, string[] FieldCodes);

/// <summary>
/// The data elements of the base information resources (identifiers and names of persons, legal persons and real
/// estate) that the 一数多源 check looks for. An information item is this element when its normalized name or its
/// normalized English field code is listed (全角/半角, blanks, punctuation and case ignored; in field codes '_' and '-' too),
/// so 统一社会信用代码 / 社会信用代码 / tyshxydm / credit_code are one element. Generic attributes (dates, statuses,
/// amounts) are deliberately not listed: the same word in two resources is not the same data.
/// </summary>
internal static class DataElements
{
    public static IReadOnlyList<DataElement> All { get; } =
    [
        new("统一社会信用代码", ["统一社会信用代码", "社会信用代码", "统一信用代码", "法人统一社会信用代码"],
            ["tyshxydm", "shxydm", "tyxydm", "uscc", "uniscid", "credit_code", "credit_no", "unified_credit_code", "social_credit_code", "unified_social_credit_code"]),
        new("公民身份号码", ["公民身份号码", "身份证号", "身份证号码", "居民身份证号码", "居民身份证号", "公民身份证号码", "身份号码"],
            ["sfzh", "sfzhm", "gmsfhm", "sfzjhm", "id_number", "id_no", "idcard", "id_card_no", "citizen_id", "identity_no"]),
        new("组织机构代码", ["组织机构代码", "机构代码"], ["zzjgdm", "org_code", "organization_code"]),
        new("法人名称", ["法人名称", "法人单位名称"], ["frmc", "legal_name", "legal_person_name"]),
        new("企业名称", ["企业名称", "企业全称"], ["qymc", "enterprise_name", "company_name", "ent_name"]),
        new("法定代表人", ["法定代表人", "法定代表人姓名", "法人代表"], ["fddbr", "fddbrxm", "legal_representative", "legal_rep"]),
        new("姓名", ["姓名", "公民姓名", "人员姓名"], ["xm", "person_name", "full_name"]),
        new("社会保障号码", ["社会保障号码", "社会保障卡号", "社保卡号"], ["shbzhm", "sbkh", "social_security_no", "social_security_number"]),
        new("不动产单元号", ["不动产单元号", "不动产单元代码"], ["bdcdyh", "real_estate_unit_no"]),
        new("宗地代码", ["宗地代码", "宗地编码"], ["zddm", "parcel_code"]),
        new("机动车号牌号码", ["机动车号牌号码", "号牌号码", "车牌号码", "车牌号"], ["hphm", "cphm", "plate_no", "license_plate", "plate_number"]),
    ];

    private static readonly Dictionary<string, DataElement> ByName = Build(e => e.Names, NormalizeName);
    private static readonly Dictionary<string, DataElement> ByCode = Build(e => e.FieldCodes, NormalizeCode);

    /// <summary>The element an information item stands for (by name first, then by field code), or null.</summary>
    public static DataElement? Match(string? name, string? fieldCode)
    {
        if (name is not null && ByName.TryGetValue(NormalizeName(name), out var byName)) return byName;
        if (fieldCode is not null && ByCode.TryGetValue(NormalizeCode(fieldCode), out var byCode)) return byCode;
        return null;
    }

    /// <summary>The element with this standard name, or null.</summary>
    public static DataElement? Find(string? name) => name is null ? null : All.FirstOrDefault(e => e.Name == name.Trim());

    /// <summary>NFKC (full-width to half-width), no blanks or punctuation, lower case.</summary>
    public static string NormalizeName(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || cat is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                    or UnicodeCategory.ClosePunctuation or UnicodeCategory.OtherPunctuation or UnicodeCategory.InitialQuotePunctuation
                    or UnicodeCategory.FinalQuotePunctuation)
                continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>A field code compared without case, '_' or '-'.</summary>
    public static string NormalizeCode(string code) => NormalizeName(code);

    private static Dictionary<string, DataElement> Build(Func<DataElement, string[]> keys, Func<string, string> normalize)
    {
        var map = new Dictionary<string, DataElement>();
        foreach (var e in All)
            foreach (var k in keys(e))
                if (!map.TryAdd(normalize(k), e)) throw new InvalidOperationException($"数据元同义词“{k}”重复");
        return map;
    }
}
