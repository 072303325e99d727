using System.Security.Cryptography;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Net.Http.Headers;

namespace GovData.Portal.Features.Shared;

/// <summary>
/// Settings of the public site (section <c>GovData:Portal</c>):
/// <c>BaseUrl</c> — the public absolute address used in DCAT, sitemap, JSON-LD and CKAN links (default: the address the
/// request came to); <c>SiteTitle</c>; <c>LicenseId</c>/<c>LicenseTitle</c>/<c>LicenseUrl</c> — the licence under which the
/// open data is published (default: none declared, CKAN <c>notspecified</c>, no <c>dct:license</c>).
/// </summary>
internal sealed class PortalSettings(IConfiguration configuration)
{
    public string SiteTitle { get; } = configuration["GovData:Portal:SiteTitle"] is { Length: > 0 } t ? t : "GovData 公共数据开放门户";

    public string? ConfiguredBaseUrl { get; } = configuration["GovData:Portal:BaseUrl"]?.Trim().TrimEnd('/') is { Length: > 0 } b ? b : null;

    public string? LicenseId { get; } = configuration["GovData:Portal:LicenseId"] is { Length: > 0 } id ? id : null;

    public string? LicenseTitle { get; } = configuration["GovData:Portal:LicenseTitle"] is { Length: > 0 } lt ? lt : null;

    public string? LicenseUrl { get; } = configuration["GovData:Portal:LicenseUrl"] is { Length: > 0 } lu ? lu : null;

    /// <summary>The public base address without a trailing slash.</summary>
    public string BaseUrl(HttpRequest request) => ConfiguredBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
}

/// <summary>Paths of the public site. Every portal page is under <c>/portal</c>; machine interfaces sit at the conventional places.</summary>
internal static class PortalPaths
{
    public const string Home = "/portal";
    public const string Datasets = "/portal/datasets";
    public const string Departments = "/portal/departments";
    public const string Developers = "/portal/developers";
    public const string Statistics = "/portal/statistics";
    public const string Apps = "/portal/apps";
    public const string Demands = "/portal/demands";
    public const string Stylesheet = "/portal/assets/portal.css";
    public const string TextSize = "/portal/text-size";

    public static string Dataset(ResourceCode code) => Datasets + "/" + PortalNames.Package(code);

    public static string Department(DepartmentInfo department) => Departments + "/" + PortalNames.Organization(department);

    public static string DomainSearch(string domain) => Datasets + "?domain=" + Uri.EscapeDataString(domain);
}

/// <summary>The stylesheet (embedded), served with a content hash so it can be cached for a year; and the 大字版 switch.</summary>
internal static class PortalAssets
{
    private static readonly Lazy<(byte[] Bytes, string Hash)> Css = new(() =>
    {
        using var stream = typeof(PortalAssets).Assembly.GetManifestResourceStream("GovData.Portal.portal.css")
            ?? throw new InvalidOperationException("门户样式表资源缺失");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        return (bytes, Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant());
    });

    /// <summary>The stylesheet's address with its version.</summary>
    public static string StylesheetHref => PortalPaths.Stylesheet + "?v=" + Css.Value.Hash;

    /// <summary>Cookie that turns on 大字版 (large text).</summary>
    public const string LargeTextCookie = "govdata_large_text";

    public static bool LargeText(HttpRequest request) => request.Cookies[LargeTextCookie] == "1";

    public static IEndpointRouteBuilder MapPortalAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(PortalPaths.Stylesheet, (HttpContext context) =>
        {
            var (bytes, hash) = Css.Value;
            var etag = new EntityTagHeaderValue("\"" + hash + "\"");
            context.Response.Headers.ETag = etag.ToString();
            context.Response.Headers.CacheControl = context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "public, max-age=3600";
            if (context.Request.Headers.IfNoneMatch.ToString() == etag.ToString()) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.File(bytes, "text/css; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();

        // 大字版 without JavaScript: a link sets or clears the cookie and returns to the page (local paths only).
        app.MapGet(PortalPaths.TextSize, (HttpContext context, string? large, string? returnUrl) =>
        {
            var on = large == "1";
            if (on) context.Response.Cookies.Append(LargeTextCookie, "1", new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax, IsEssential = true });
            else context.Response.Cookies.Delete(LargeTextCookie);
            var target = returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal)
                ? r : PortalPaths.Home;
            return Results.Redirect(target);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
