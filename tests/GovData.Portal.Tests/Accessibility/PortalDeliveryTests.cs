using System.IO.Compression;
using System.Net;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GovData.Portal.Tests.Accessibility;

/// <summary>
/// What Lighthouse checks of the delivery (issue 6 measurements): pages, the stylesheet and scripts are compressed when the
/// browser accepts it (Brotli or gzip), JSON APIs are not; the portal layout names an icon so browsers do not ask for a
/// missing /favicon.ico. (Engine-independent: the host on SQLite only.)
/// </summary>
public sealed class PortalDeliveryTests(SqliteAppFactory app) : AppTestBase<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>
{
    private HttpClient Client(string? acceptEncoding)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (acceptEncoding is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return client;
    }

    private static async Task<string> DecodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStreamAsync();
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        Stream decoded = encoding switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            null => body,
            _ => throw new InvalidOperationException("unexpected encoding " + encoding),
        };
        using var reader = new StreamReader(decoded);
        return await reader.ReadToEndAsync();
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    public async Task Portal_pages_are_compressed_when_the_browser_accepts_it(string accept, string expected)
    {
        var response = await Client(accept).GetAsync("/portal");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe([expected]);
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        var html = await DecodeAsync(response);
        html.ShouldContain("跳到主要内容");

        var plain = await Client(null).GetAsync("/portal");
        plain.Content.Headers.ContentEncoding.ShouldBeEmpty();
        var plainHtml = await plain.Content.ReadAsStringAsync();
        plainHtml.ShouldContain("跳到主要内容");
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeLessThan(System.Text.Encoding.UTF8.GetByteCount(plainHtml) / 2);
    }

    [Fact]
    public async Task The_stylesheet_and_scripts_are_compressed_and_the_stylesheet_is_cached()
    {
        var page = await (await Client(null).GetAsync("/portal")).Content.ReadAsStringAsync();
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/portal/assets/portal\\.css\\?v=[0-9a-f]+)\"").Groups[1].Value;
        href.ShouldNotBeEmpty();
        var css = await Client("gzip").GetAsync(href);
        css.StatusCode.ShouldBe(HttpStatusCode.OK);
        css.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        css.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365));
        (await DecodeAsync(css)).ShouldContain(".skip-link");

        var script = await Client("br").GetAsync("/js/charts.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        (await DecodeAsync(script)).ShouldContain("echarts");
    }

    [Fact]
    public async Task Json_apis_are_not_compressed()
    {
        var response = await Client("gzip, br").GetAsync("/api/3/action/status_show");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"success\"");
    }

    [Fact]
    public async Task The_portal_layout_declares_an_icon()
    {
        var html = await (await Client(null).GetAsync("/portal")).Content.ReadAsStringAsync();
        html.ShouldMatch("<link rel=\"icon\" href=\"data:image/svg\\+xml,[^\"]+\" */?>");
    }
}
