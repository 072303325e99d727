using GovData.Catalog.Features.Views;

namespace GovData.Catalog.Features.Browse;

/// <summary>Names and badges of the three catalogs for the browse, statistics and transfer pages (formatting: <see cref="Shared.PageFormat"/>).</summary>
internal static class CatalogUi
{
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

}
