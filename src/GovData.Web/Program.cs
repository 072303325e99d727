using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Web;
using GovData.Web;
using GovData.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGovData(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddRazorPages(o => o.RootDirectory = "/");
builder.Services.AddLocalization();
// Render Chinese as characters, not numeric entities.
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
{
    Problems.Localize(ctx.ProblemDetails);
    ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
});
// A malformed request (bad JSON, missing body...) is the caller's error: answer with its 4xx status, not 500.
// (Minimal APIs throw BadHttpRequestException instead of answering 400 when the environment is Development.)
builder.Services.Configure<ExceptionHandlerOptions>(o =>
    o.StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer<OpenApiDocumentInfo>());
// Text compression (Brotli/gzip) of pages, stylesheets and scripts; JSON APIs and file downloads are left as they are.
// Over HTTPS nothing is compressed (the default: pages carry antiforgery tokens, BREACH); a TLS proxy may compress instead.
builder.Services.AddResponseCompression(o => o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"]);
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
    o.MultipartBodyLengthLimit = builder.Configuration.GetValue<long?>("GovData:UploadLimitBytes") ?? 1L << 30);

var app = builder.Build();

await PlatformStartup.PrepareDatabaseAsync(app.Services, app.Configuration, app.Logger);

app.UseExceptionHandler();
app.UseResponseCompression();
app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api") && !ctx.Request.Path.StartsWithSegments("/health"),
    pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
app.UseRequestLocalization(o =>
{
    o.SetDefaultCulture("zh-CN").AddSupportedCultures("zh-CN", "en").AddSupportedUICultures("zh-CN", "en");
    o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
});
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapOpenApi("/openapi/{documentName}.json");
app.UseSwaggerUI(o =>
{
    o.RoutePrefix = "api/docs";
    o.SwaggerEndpoint("/openapi/v1.json", "GovData API v1");
    o.DocumentTitle = "GovData 接口文档";
});
app.MapGovData();
app.MapRazorPages();
// The public open-data portal is the site's front page; staff go to /console (linked from the portal's footer and the login page).
app.MapGet("/", () => Results.Redirect("/portal")).ExcludeFromDescription();

app.Run();

/// <summary>Entry point, public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
