using System.IO.Compression;
using GovData.Catalog.Domain;
using GovData.SharedKernel.Spreadsheets;
using F = GovData.Catalog.Domain.ResourceFields;

namespace GovData.Catalog.Features.Transfer;

/// <summary>
/// The catalog exchange file, following the 1272 template: sheet 信息资源 (one row per resource, the 13 core metadata
/// and the extended ones) and sheet 信息项 (one row per information item, keyed by 信息资源代码 or — for resources
/// that have no code yet — by 信息资源名称). XLSX holds both sheets; CSV travels as a ZIP of 信息资源.csv and 信息项.csv.
/// </summary>
internal static class CatalogWorkbook
{
    public const string ResourceSheet = "信息资源";
    public const string ItemSheet = "信息项";
    public const string GuideSheet = "填写说明";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string ZipContentType = "application/zip";

    /// <summary>Resource columns: header, field key (null = exported for reading, ignored on import), description.</summary>
    public static readonly (string Header, string? Field, string Help)[] ResourceColumns =
    [
        ("信息资源代码", F.Code, "新资源留空，由系统按分类生成；已有资源填写其代码（更新）。从其他平台迁入的代码须未被本平台分配过"),
        ("信息资源分类", F.Classification, "必填：目或细目的完整代码（即前段码），如 102003"),
        ("分类名称", null, "仅供阅读，导入时忽略"),
        ("信息资源名称", F.Name, "必填，不超过50字"),
        ("信息资源提供方", F.ProviderName, "留空则为本部门"),
        ("信息资源提供方代码", F.ProviderCode, "留空则为本部门的统一社会信用代码"),
        ("信息资源摘要", F.Abstract, "必填，不超过256字"),
        ("信息资源格式分类", F.FormatCategory, "必填：电子文件、电子表格、数据库、图形图像、流媒体、自描述格式、服务接口、其他"),
        ("信息资源格式类型", F.FormatType, "如 xlsx、oracle、pdf、RESTful"),
        ("格式说明", F.FormatDescription, "自描述格式、其他须说明"),
        ("共享类型", F.ShareType, "必填：无条件共享、有条件共享、不予共享"),
        ("共享条件", F.ShareCondition, "有条件共享时必填"),
        ("不予共享依据", F.ShareBasis, "不予共享时必填：法律、行政法规或国家政策依据"),
        ("共享方式分类", F.ShareChannel, "共享平台方式、邮件方式、介质方式"),
        ("共享方式类型", F.ShareMethodType, "数据库(库表)、文件(下载)、接口(服务)"),
        ("是否开放", "isOpen", "是 / 否（与开放类型二选一或一致）"),
        ("开放类型", F.OpenType, "无条件开放、有条件开放、不予开放"),
        ("开放条件", F.OpenCondition, "有条件开放时必填"),
        ("更新周期", F.UpdateCycle, "必填：实时、每日、每周、每旬、每月、每季度、每半年、每年、不定期、其他"),
        ("更新周期说明", F.UpdateCycleNote, "更新周期为“其他”时必填"),
        ("发布日期", null, "审核通过时由系统填写，导入时忽略"),
        ("关联资源代码", F.RelatedCodes, "多个以“；”分隔"),
        ("关键字", F.Keywords, "多个以“；”分隔，每个不超过20字"),
        ("元数据标识符", null, "系统生成，导入时忽略"),
        ("元数据维护方", F.MetadataMaintainer, "留空则为本部门"),
        ("元数据更新日期", null, "系统填写，导入时忽略"),
        ("在线资源链接地址", F.OnlineLink, "http:// 或 https:// 网址"),
        ("涉密属性", F.SecurityClass, "非涉密（默认）、涉密"),
        ("层级属性", F.Hierarchy, "部门目录（默认）、国家目录"),
        ("状态", null, "导出时的目录状态，导入时忽略"),
    ];

    /// <summary>Item columns: header, item field key (null = key or ordering column), description.</summary>
    public static readonly (string Header, string? Field, string Help)[] ItemColumns =
    [
        ("信息资源代码", null, "所属资源的代码；新资源留空并填写信息资源名称"),
        ("信息资源名称", null, "所属资源的名称（代码为空时用于关联）"),
        ("序号", null, "信息项顺序，留空按行序"),
        ("信息项名称", "name", "必填，同一资源内不重复"),
        ("字段代码", "fieldCode", "必填：英文字母开头，字母、数字、下划线"),
        ("数据类型", "dataType", "必填：C、N、Y、D、T、L、M、G、B、I、F，可带长度，如 C,18、D,10、N,12,2"),
        ("是否必填", "required", "是 / 否"),
        ("是否主键", "isKey", "是 / 否"),
        ("值域/字典", "valueDomain", "如 GB/T 2261.1 人的性别代码"),
        ("敏感级别", "sensitivity", "公开、内部（默认）、敏感、重要"),
        ("脱敏规则", "maskingRule", "敏感、重要须填写：姓名脱敏、身份证号脱敏、手机号脱敏、银行卡号脱敏、地址脱敏、保留首尾、全部遮盖、哈希"),
        ("说明", "description", ""),
    ];

    /// <summary>The column a validation field key is reported under.</summary>
    public static string ResourceColumnOf(string field) => field switch
    {
        F.Items => "信息项（见“信息项”表）",
        _ => ResourceColumns.FirstOrDefault(c => c.Field == field).Header ?? ResourceFields.LabelOf(field) ?? field,
    };

    public static string ItemColumnOf(string field) => field switch
    {
        "length" or "precision" => "数据类型",
        _ => ItemColumns.FirstOrDefault(c => c.Field == field).Header ?? field,
    };

    /// <summary>The two sheets of a file, or a Chinese reason when the file cannot be read.</summary>
    public static (IReadOnlyList<SheetRow>? Resources, IReadOnlyList<SheetRow>? Items, string? Error) Read(Stream file, string fileName)
    {
        using var buffer = new MemoryStream();
        file.CopyTo(buffer);
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            switch (ext)
            {
                case ".xlsx":
                {
                    buffer.Position = 0;
                    var names = TabularFile.SheetNames(buffer);
                    if (!names.Contains(ResourceSheet)) return (null, null, $"工作簿中缺少“{ResourceSheet}”工作表（现有：{string.Join("、", names)}）");
                    buffer.Position = 0;
                    var resources = TabularFile.Read(buffer, fileName, ResourceSheet);
                    IReadOnlyList<SheetRow> items = [];
                    if (names.Contains(ItemSheet))
                    {
                        buffer.Position = 0;
                        items = TabularFile.Read(buffer, fileName, ItemSheet);
                    }
                    return (resources, items, null);
                }
                case ".zip":
                {
                    buffer.Position = 0;
                    using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
                    var res = zip.Entries.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.Name) == ResourceSheet && e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
                    if (res is null) return (null, null, $"压缩包中缺少“{ResourceSheet}.csv”");
                    var itm = zip.Entries.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.Name) == ItemSheet && e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
                    IReadOnlyList<SheetRow> resources, items = [];
                    using (var s = res.Open()) resources = TabularFile.ReadCsv(s);
                    if (itm is not null) using (var s = itm.Open()) items = TabularFile.ReadCsv(s);
                    return (resources, items, null);
                }
                case ".csv":
                {
                    buffer.Position = 0;
                    return (TabularFile.ReadCsv(buffer), [], null);
                }
                default:
                    return (null, null, $"不支持的文件类型“{ext}”：请上传 .xlsx 工作簿，或包含“{ResourceSheet}.csv”“{ItemSheet}.csv”的 .zip 压缩包");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or FormatException)
        {
            return (null, null, $"无法读取文件：{ex.Message}");
        }
    }

    /// <summary>Writes both sheets (and the guide) as XLSX, or as a ZIP of two CSV files.</summary>
    public static byte[] Write(bool csv, IReadOnlyList<IReadOnlyList<string>> resources, IReadOnlyList<IReadOnlyList<string>> items)
    {
        using var output = new MemoryStream();
        if (csv)
        {
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var s = zip.CreateEntry(ResourceSheet + ".csv").Open()) TabularFile.WriteCsv(s, resources);
                using (var s = zip.CreateEntry(ItemSheet + ".csv").Open()) TabularFile.WriteCsv(s, items);
            }
            return output.ToArray();
        }
        IReadOnlyList<string>[] guide =
        [
            ["工作表", "列", "填写说明"],
            .. ResourceColumns.Select(c => (IReadOnlyList<string>)[ResourceSheet, c.Header, c.Help]),
            .. ItemColumns.Select(c => (IReadOnlyList<string>)[ItemSheet, c.Header, c.Help]),
        ];
        TabularFile.WriteXlsx(output, [(ResourceSheet, resources), (ItemSheet, items), (GuideSheet, guide)]);
        return output.ToArray();
    }

    public static string YesNo(bool value) => value ? "是" : "否";

    /// <summary>Parses 是/否 (also Y/N, true/false, 1/0); blank is “否”.</summary>
    public static bool? ParseYesNo(string text) => text.Trim() switch
    {
        "" or "否" or "N" or "n" or "false" or "FALSE" or "False" or "0" => false,
        "是" or "Y" or "y" or "true" or "TRUE" or "True" or "1" => true,
        _ => null,
    };

    public static List<string> SplitList(string text) =>
        text.Split(['；', ';', '，', ',', '、', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
