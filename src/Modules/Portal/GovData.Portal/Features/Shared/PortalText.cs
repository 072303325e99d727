using System.Globalization;
using GovData.Catalog.Contracts;

namespace GovData.Portal.Features.Shared;

/// <summary>Display texts of the public pages.</summary>
internal static class PortalText
{
    public static string Open(OpenType type) => CatalogTerms.Label(type);

    public static string Label<T>(T? value) where T : struct, Enum => value is { } v ? CatalogTerms.Label(v) : "—";

    public static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;

    /// <summary>A UTC time as the server's local date.</summary>
    public static string Date(DateTime utc) => utc.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A UTC time in ISO 8601 (xsd:dateTime) with the Z designator.</summary>
    public static string Iso(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>Data type with length and precision as the guide writes it (C,18 · N,12,2 · D,10).</summary>
    public static string DataType(CatalogItem item)
    {
        if (item.DataType is not { } t) return "—";
        var s = CatalogTerms.Label(t);
        if (item.Length is { } l) s += "," + l.ToString(CultureInfo.InvariantCulture);
        if (item.Precision is { } p) s += "," + p.ToString(CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>The item is masked when it leaves its department (a masking rule is set).</summary>
    public static bool IsMasked(CatalogItem item) => item.MaskingRule != MaskingRule.None;
}
