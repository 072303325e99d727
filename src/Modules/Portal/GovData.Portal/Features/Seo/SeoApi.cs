using System.Globalization;
using System.Text;
using System.Xml;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GovData.Portal.Features.Seo;

/// <summary>
/// <c>/robots.txt</c> (the public site and its metadata may be crawled; the console, account pages and APIs may not) and
/// <c>/sitemap.xml</c> (home, lists, every open dataset with its last modification, every department that opens data).
/// A sitemap holds at most 50,000 addresses; beyond that <c>/sitemap.xml</c> is an index of <c>/sitemap.xml?page=N</c>.
/// </summary>
internal static class SeoApi
{
    public const int UrlsPerSitemap = 50_000;

    public static IEndpointRouteBuilder MapSeo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/robots.txt", (HttpContext c, PortalSettings s) =>
        {
            var baseUrl = s.BaseUrl(c.Request);
            var text = new StringBuilder()
                .Append("User-agent: *\n")
                .Append("Allow: /portal\n")
                .Append("Allow: /catalog.ttl\n")
                .Append("Allow: /catalog.jsonld\n")
                .Append("Disallow: /console\n")
                .Append("Disallow: /account\n")
                .Append("Disallow: /api/\n")
                .Append("Disallow: /portal/text-size\n")
                .Append("Disallow: /portal/datasets?\n")
                // File downloads stream whole tables: not for crawlers (they are not counted either).
                .Append("Disallow: /portal/datasets/*/download/\n")
                .Append("Sitemap: ").Append(baseUrl).Append("/sitemap.xml\n");
            return Results.Text(text.ToString(), "text/plain; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/sitemap.xml", Sitemap).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Sitemap(HttpContext context, IOpenCatalog catalog, IDepartmentDirectory departments, PortalSettings settings, CancellationToken ct)
    {
        var baseUrl = settings.BaseUrl(context.Request);
        var total = (await catalog.ListAsync(0, 0, ct)).Total;
        var facets = (await catalog.SearchAsync(new OpenCatalogQuery { Limit = 0 }, ct)).Page!.Facets;
        var directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id.ToString());
        var departmentPages = facets.Departments.Where(f => f.Count > 0 && directory.ContainsKey(f.Value))
            .Select(f => baseUrl + PortalPaths.Department(directory[f.Value])).ToList();
        string[] fixedPages = [baseUrl + PortalPaths.Home, baseUrl + PortalPaths.Datasets, baseUrl + PortalPaths.Departments,
            baseUrl + PortalPaths.Statistics, baseUrl + PortalPaths.Apps, baseUrl + PortalPaths.Demands, baseUrl + PortalPaths.Developers];
        // Page 1: the fixed pages, the departments, then datasets; later pages: datasets only.
        var firstPageDatasets = Math.Max(0, UrlsPerSitemap - fixedPages.Length - departmentPages.Count);
        var pages = 1 + (Math.Max(0, total - firstPageDatasets) + UrlsPerSitemap - 1) / UrlsPerSitemap;
        var pageText = context.Request.Query["page"].ToString();
        var page = 1;
        if (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1 || page > pages))
            return Results.Text($"页码“{pageText}”无效：共 {pages} 页", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

        const string ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        using var buffer = new MemoryStream();
        await using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = true }))
        {
            if (pageText.Length == 0 && pages > 1)
            {
                xml.WriteStartElement("sitemapindex", ns);
                for (var p = 1; p <= pages; p++)
                {
                    xml.WriteStartElement("sitemap", ns);
                    xml.WriteElementString("loc", ns, baseUrl + "/sitemap.xml?page=" + p.ToString(CultureInfo.InvariantCulture));
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            else
            {
                xml.WriteStartElement("urlset", ns);
                void Url(string loc, DateTime? modified)
                {
                    xml.WriteStartElement("url", ns);
                    xml.WriteElementString("loc", ns, loc);
                    if (modified is { } m) xml.WriteElementString("lastmod", ns, PortalText.Iso(m));
                    xml.WriteEndElement();
                }
                int offset, take;
                if (page == 1)
                {
                    foreach (var url in fixedPages.Concat(departmentPages)) Url(url, null);
                    (offset, take) = (0, firstPageDatasets);
                }
                else (offset, take) = (firstPageDatasets + (page - 2) * UrlsPerSitemap, UrlsPerSitemap);
                while (take > 0)
                {
                    var chunk = await catalog.ListAsync(offset, Math.Min(take, 5000), ct);
                    foreach (var item in chunk.Items) Url(baseUrl + PortalPaths.Dataset(item.Code), item.UpdatedAt);
                    if (chunk.Items.Count == 0) break;
                    offset += chunk.Items.Count;
                    take -= chunk.Items.Count;
                }
                xml.WriteEndElement();
            }
        }
        return Results.Bytes(buffer.ToArray(), "application/xml; charset=utf-8");
    }
}
