using GovData.Catalog.Contracts;

namespace GovData.Catalog.Domain;

/// <summary>信息资源格式: the types listed per category (the guide's lists, plus marked practice additions).</summary>
internal static class ResourceFormats
{
    /// <summary>Category → accepted types (canonical spelling). Empty for 自描述格式 and 其他, which are described in words.</summary>
    public static IReadOnlyDictionary<FormatCategory, IReadOnlyList<string>> Types { get; } = new Dictionary<FormatCategory, IReadOnlyList<string>>
    {
        [FormatCategory.ElectronicFile] = ["OFD", "wps", "xml", "txt", "doc", "docx", "html", "pdf", "ppt"],
        // csv is practice: open-data portals publish tables as CSV.
        [FormatCategory.Spreadsheet] = ["et", "xls", "xlsx", "csv"],
        // The guide's list; MySQL, PostgreSQL, GBase, OceanBase are practice (domestic and open-source engines in use).
        [FormatCategory.Database] = ["Dm", "KingbaseES", "access", "dbf", "dbase", "sysbase", "oracle", "sql server", "db2", "MySQL", "PostgreSQL", "GBase", "OceanBase"],
        // png and tif are practice.
        [FormatCategory.Image] = ["jpg", "gif", "bmp", "png", "tif"],
        // mp4 is practice.
        [FormatCategory.StreamingMedia] = ["swf", "rm", "mpg", "mp4"],
        [FormatCategory.ServiceInterface] = ["RESTful", "WebService"],
        [FormatCategory.SelfDescribing] = [],
        [FormatCategory.Other] = [],
    };

    /// <summary>Structured resources: their 信息项 must be described.</summary>
    public static bool IsStructured(FormatCategory category) =>
        category is FormatCategory.Database or FormatCategory.Spreadsheet or FormatCategory.ServiceInterface;

    /// <summary>Formats whose content is not made of data elements: 信息项 are not filled in.</summary>
    public static bool ForbidsItems(FormatCategory category) =>
        category is FormatCategory.ElectronicFile or FormatCategory.Image or FormatCategory.StreamingMedia;

    /// <summary>True when the category is described in words rather than picked from a list.</summary>
    public static bool NeedsDescription(FormatCategory category) => category is FormatCategory.SelfDescribing or FormatCategory.Other;

    /// <summary>The canonical spelling of <paramref name="type"/> within <paramref name="category"/>, or null when not listed.</summary>
    public static string? Canonical(FormatCategory category, string? type)
    {
        if (string.IsNullOrWhiteSpace(type)) return null;
        var t = type.Trim().TrimStart('.');
        return Types[category].FirstOrDefault(x => string.Equals(x, t, StringComparison.OrdinalIgnoreCase)
                                                  || string.Equals(x.Replace(" ", ""), t.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
    }
}
