using System.Globalization;
using GovData.SharedKernel.Web;

namespace GovData.Exchange.Features.Audit.Pages;

/// <summary>Formatting shared by the auditor's pages.</summary>
internal static class AuditUi
{
    public const string Root = "/console/exchange/audit";

    /// <summary>A stored UTC time in the server's time zone (Beijing time in deployment).</summary>
    public static string Time(DateTime? utc, bool micro = false) => utc is { } t
        ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime().ToString(micro ? "yyyy-MM-dd HH:mm:ss.ffffff" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "—";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string OrDash(string? s) => string.IsNullOrWhiteSpace(s) ? "—" : s;

    /// <summary>First 12 hex digits of a hash, for tables (the detail page shows it whole).</summary>
    public static string Short(string? hash) => string.IsNullOrEmpty(hash) ? "—" : hash.Trim()[..Math.Min(12, hash.Trim().Length)] + "…";

    /// <summary><c>path?a=1&amp;b=2</c>, leaving out empty values.</summary>
    public static string Link(string path, IEnumerable<(string Key, string? Value)> query) => ConsoleFormat.Link(path, [.. query]);
}
