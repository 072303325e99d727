using System.Globalization;
using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace GovData.Data.Features.Pages;

/// <summary>
/// Who may see and do what on the data pages. Viewing a resource's pages: staff of the providing department, 目录审核员
/// and 平台管理员; loading, rollback, retention and files: the department's 部门编目员/部门管理员 and 平台管理员
/// (<see cref="DataAccess.CanManage"/>); load reports, rejected rows and raw values: the department's staff and
/// 平台管理员 (<see cref="DataAccess.IsInsider"/>).
/// </summary>
internal static class DataPageAccess
{
    /// <summary>Sees every department's resources in the list (others see their own department's).</summary>
    public static bool SeesAll(ClaimsPrincipal user) => user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.CatalogReviewer);

    /// <summary>May open the pages of a resource of <paramref name="departmentId"/>.</summary>
    public static bool CanView(ClaimsPrincipal user, Guid departmentId) => SeesAll(user) || user.GetDepartmentId() == departmentId;

    /// <summary>May use the data pages at all (the console link): government staff or platform administrators.</summary>
    public static bool IsStaff(ClaimsPrincipal user) => user.GetDepartmentId() is not null || user.IsInRole(Roles.PlatformAdmin);
}

/// <summary>Formatting shared by the data pages.</summary>
internal static class DataUi
{
    /// <summary>Base path of the data pages.</summary>
    public const string Root = "/console/data";

    /// <summary>The pages of a resource: <c>/console/data/303026010201%2F1{suffix}</c>.</summary>
    public static string ResourcePath(string code, string suffix = "") => $"{Root}/{Uri.EscapeDataString(code)}{suffix}";

    /// <summary>The data API of a resource: <c>/api/v1/data/303026010201%2F1{suffix}</c>.</summary>
    public static string ApiPath(string code, string suffix = "") => $"/api/v1/data/{Uri.EscapeDataString(code)}{suffix}";

    /// <summary>A stored UTC time in the server's local time zone (Beijing time in deployment), or “—”.</summary>
    public static string Time(DateTime? utc, bool seconds = false) => ConsoleFormat.Time(utc, seconds);

    /// <summary><c>path?a=1&amp;b=2</c>, leaving out empty values.</summary>
    public static string Link(string path, params (string Key, string? Value)[] query) => ConsoleFormat.Link(path, query);

    public static string OrDash(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Bytes as people read them.</summary>
    public static string Size(long bytes) => Storage.BlobStore.FormatSize(bytes);

    /// <summary>Badge class of an update timeliness.</summary>
    public static string TimelinessBadge(TimelinessStatus status) => status switch
    {
        TimelinessStatus.OnTime => "badge-ok",
        TimelinessStatus.Overdue => "badge-err",
        _ => "badge-warn",
    };

    /// <summary>Badge class of a load status.</summary>
    public static string LoadBadge(LoadStatus status) => status switch
    {
        LoadStatus.Succeeded => "badge-ok",
        LoadStatus.Rejected or LoadStatus.Failed => "badge-err",
        LoadStatus.Running or LoadStatus.Queued => "badge-accent",
        LoadStatus.Staged => "badge-warn",
        _ => "",
    };

    /// <summary>Badge class of a load status as the API writes it (queued, running …).</summary>
    public static string LoadBadge(string status) => Enum.TryParse<LoadStatus>(status, true, out var s) ? LoadBadge(s) : "";

    /// <summary>Badge class of a version status.</summary>
    public static string VersionBadge(VersionStatus status) => status switch
    {
        VersionStatus.Ready => "badge-ok",
        VersionStatus.Failed => "badge-err",
        VersionStatus.Loading => "badge-accent",
        _ => "",
    };

    /// <summary>“C(50)”, “N(12,2)”, “D” — the guide's data type with its length and precision.</summary>
    public static string TypeText(DataColumn c) =>
        c.DataType + (c.Length is { } l ? c.Precision is { } p ? $"({l},{p})" : $"({l})" : "");

    /// <summary>The Chinese name of a guide data type (字符型, 数值型 …).</summary>
    public static string TypeName(DataColumn c) => c.DataType switch
    {
        ItemDataType.C => "字符型",
        ItemDataType.N => "数值型",
        ItemDataType.Y => "货币型",
        ItemDataType.D => "日期型",
        ItemDataType.T => "日期时间型",
        ItemDataType.L => "逻辑型",
        ItemDataType.M => "备注型",
        ItemDataType.G => "通用型",
        ItemDataType.B => "双精度型",
        ItemDataType.I => "整型",
        ItemDataType.F => "浮点型",
        var t => t.ToString(),
    };

    /// <summary>A value of a data row as the pages show it (dates yyyy-MM-dd, timestamps with seconds, booleans 是/否).</summary>
    public static string Value(object? value) => value switch
    {
        null => "",
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        decimal m => Query.QueryValues.Normalize(m).ToString(CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Percent with one decimal.</summary>
    public static string Percent(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
