using GovData.Catalog.Features.Views;
using Microsoft.AspNetCore.WebUtilities;

namespace GovData.Catalog.Features.Browse;

/// <summary>A page of a console list and how to link to another page with the same filters.</summary>
internal sealed record CatalogPager(int Page, int PageSize, int Total, Func<int, string> Link)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Clamps a requested page number to at least 1.</summary>
    public static int Normalize(int? page) => Math.Max(1, page ?? 1);
}

/// <summary>Links, names and formatting shared by the catalog's console pages.</summary>
internal static class CatalogUi
{
    /// <summary>Builds <c>path?a=1&amp;b=2</c>, leaving out empty values.</summary>
    public static string Link(string path, params (string Key, string? Value)[] query) =>
        QueryHelpers.AddQueryString(path, query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value)));

    /// <summary>A stored UTC time in the server's local time zone (Beijing time in deployment), or “—”.</summary>
    public static string Time(DateTime? utc, bool seconds = false) =>
        utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime().ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm") : "—";

    /// <summary>“—” for an empty value.</summary>
    public static string Or(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;

    /// <summary>The catalog parameter of the browse page: business, share or open (“shared” is accepted too).</summary>
    public static bool TryParseCatalog(string? text, out CatalogView view)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "business": view = CatalogView.Business; return true;
            case "share" or "shared": view = CatalogView.Shared; return true;
            case "open": view = CatalogView.Open; return true;
            default: view = CatalogView.Business; return false;
        }
    }

    /// <summary>The catalog parameter's value for a view.</summary>
    public static string CatalogKey(CatalogView view) => view switch
    {
        CatalogView.Shared => "share",
        CatalogView.Open => "open",
        _ => "business",
    };

    /// <summary>What a catalog holds, for the page's lead.</summary>
    public static string Description(CatalogView view) => view switch
    {
        CatalogView.Shared => "各部门已发布、可供其他部门共享使用的信息资源（无条件共享、有条件共享），含共享条件与共享方式。",
        CatalogView.Open => "各部门已发布、向社会开放的信息资源（无条件开放、有条件开放），含开放条件。",
        _ => "各部门已发布的全部政务信息资源，是共享目录和开放目录的基础。",
    };

    /// <summary>Badge class for a share or open type.</summary>
    public static string TypeBadge(string? label) => label switch
    {
        "无条件共享" or "无条件开放" => "badge-ok",
        "有条件共享" or "有条件开放" => "badge-warn",
        "不予共享" or "不予开放" => "badge-err",
        _ => "",
    };

    /// <summary>Badge class for an entry's status.</summary>
    public static string StatusBadge(string? label) => label switch
    {
        "已发布" => "badge-ok",
        "待审核" or "修订待审核" or "修订草稿" => "badge-warn",
        "已驳回" or "修订已驳回" or "已下线" => "badge-err",
        _ => "",
    };
}
