using System.Globalization;
using GovData.Portal.Features.Ckan;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GovData.Portal.Features.Dcat;

/// <summary>
/// DCAT-AP endpoints: <c>/catalog.ttl</c> and <c>/catalog.jsonld</c> (pages of <see cref="DcatExport.PageSize"/> datasets,
/// <c>?page=N</c>, hydra paging), <c>/portal/datasets/{name}.ttl</c> and <c>.jsonld</c> per dataset.
/// </summary>
internal static class DcatApi
{
    public const string Turtle = "text/turtle; charset=utf-8";
    public const string JsonLd = "application/ld+json; charset=utf-8";

    public static IEndpointRouteBuilder MapDcatApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/catalog.ttl", (HttpContext c, DcatExport dcat, PortalSettings s, CancellationToken ct) => Catalog(c, dcat, s, "/catalog.ttl", false, ct))
            .AllowAnonymous().WithTags("DCAT-AP").WithSummary("开放目录（DCAT-AP 3，Turtle，分页 ?page=）");
        app.MapGet("/catalog.jsonld", (HttpContext c, DcatExport dcat, PortalSettings s, CancellationToken ct) => Catalog(c, dcat, s, "/catalog.jsonld", true, ct))
            .AllowAnonymous().WithTags("DCAT-AP").WithSummary("开放目录（DCAT-AP 3，JSON-LD，分页 ?page=）");
        app.MapGet("/portal/datasets/{name}.ttl", (string name, HttpContext c, DcatExport dcat, PortalSettings s, CancellationToken ct) => Dataset(name, c, dcat, s, false, ct))
            .AllowAnonymous().WithTags("DCAT-AP").WithSummary("一个开放数据集（DCAT-AP 3，Turtle）");
        app.MapGet("/portal/datasets/{name}.jsonld", (string name, HttpContext c, DcatExport dcat, PortalSettings s, CancellationToken ct) => Dataset(name, c, dcat, s, true, ct))
            .AllowAnonymous().WithTags("DCAT-AP").WithSummary("一个开放数据集（DCAT-AP 3，JSON-LD）");
        return app;
    }

    private static async Task<IResult> Catalog(HttpContext context, DcatExport dcat, PortalSettings settings, string path, bool json, CancellationToken ct)
    {
        var page = 1;
        if (context.Request.Query["page"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            return Results.Text($"页码“{text}”无效：应为从 1 开始的整数", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        var result = await dcat.CatalogAsync(settings.BaseUrl(context.Request), path, page, ct);
        if (page > result.PageCount)
            return Results.Text($"页码 {page} 超出范围：共 {result.PageCount} 页", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        return Write(result.Graph, json);
    }

    private static async Task<IResult> Dataset(string name, HttpContext context, DcatExport dcat, PortalSettings settings, bool json, CancellationToken ct)
    {
        if (!PortalNames.TryParsePackage(name, out var code) || await dcat.DatasetAsync(code, settings.BaseUrl(context.Request), ct) is not { } graph)
            return Results.Text($"开放目录中没有名为“{name}”的数据集", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        return Write(graph, json);
    }

    private static IResult Write(RdfGraph graph, bool json) => json
        ? Results.Text(graph.ToJsonLd().ToJsonString(CkanApi.Json), JsonLd)
        : Results.Text(graph.ToTurtle(), Turtle);
}
