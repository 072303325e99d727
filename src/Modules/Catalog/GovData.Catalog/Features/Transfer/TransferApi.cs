using System.Security.Claims;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Transfer;

/// <summary>Counts of a successful import.</summary>
internal sealed record ImportResponse(int Created, int Updated, int Unchanged);

/// <summary>/api/v1/catalog: export, template and import of the exchange file (XLSX, or CSV in a ZIP).</summary>
internal static class TransferApi
{
    public static void MapTransferApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("目录导入导出");
        g.MapGet("/export", Export).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("导出资源目录").WithDescription("format=xlsx（默认，含“信息资源”“信息项”“填写说明”三张表）或 csv（两张 CSV 的 ZIP 压缩包）。"
                + "不带 view 时导出编目工作台中可见的资源（当前内容，含草稿）；view=business|shared|open 导出对应目录的已发布内容。"
                + "scope=mine 只导出本部门；scope=region&region=370000 导出该行政区划及下级的部门、scope=all 导出全部（主管部门的目录审核员限其审核范围，平台管理员和安全审计员不限）。");
        g.MapGet("/template", Template).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("下载导入模板").WithDescription("空白模板，附一行示例（企业法人库）与填写说明。");
        g.MapPost("/import", Import).RequireAuthorization(CatalogPolicies.Write).DisableAntiforgery()
            .WithSummary("导入本部门资源目录（全部成功或全部不导入）")
            .WithDescription("表单字段 file：.xlsx 工作簿或含 信息资源.csv、信息项.csv 的 .zip。先校验整个文件，任何错误都按“表/行/列”报告且不导入；"
                + "无代码的行新建草稿并生成代码，有代码的行更新对应资源（已发布的生成修订），内容未变的行保持不变。");
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> Export(string? format, string? view, string? scope, string? region,
        ClaimsPrincipal user, IDepartmentDirectory departments, CatalogExport export, ExportScope scopes, CancellationToken ct)
    {
        if (!TryFormat(format, out var csv)) return Problems.Validation("format", "format 只能是 xlsx 或 csv");
        CatalogView? v = view?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "business" => CatalogView.Business,
            "shared" => CatalogView.Shared,
            "open" => CatalogView.Open,
            _ => (CatalogView)(-1),
        };
        if (v is (CatalogView)(-1)) return Problems.Validation("view", "view 只能是 business、shared 或 open");
        var actor = await CatalogActor.FromPrincipalAsync(user, departments, ct);
        ExportSelection? selection = null;
        if (!string.IsNullOrWhiteSpace(scope) || !string.IsNullOrWhiteSpace(region))
        {
            var (resolved, errors) = await scopes.ResolveAsync(actor, string.IsNullOrWhiteSpace(scope) ? ExportScope.Region : scope, region, ct);
            if (errors is not null) return Problems.Validation(errors);
            selection = resolved;
        }
        var file = await export.ExportAsync(actor, v, csv, selection, ct);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static Results<FileContentHttpResult, ValidationProblem> Template(string? format)
    {
        if (!TryFormat(format, out var csv)) return Problems.Validation("format", "format 只能是 xlsx 或 csv");
        var file = CatalogExport.Template(csv);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> Import(IFormFile? file, ClaimsPrincipal user,
        IDepartmentDirectory departments, CatalogImport import, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return Problems.Validation("file", "请上传 .xlsx 或 .zip 文件（表单字段名 file）");
        var actor = await CatalogActor.FromPrincipalAsync(user, departments, ct);
        if (!actor.IsCompiler || actor.Department is null) return Problems.Forbidden("只有部门编目员可以导入本部门的资源目录");
        await using var stream = file.OpenReadStream();
        var result = await import.ImportAsync(actor, stream, file.FileName, ct);
        if (!result.Succeeded)
        {
            var errors = result.Errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
            return Problems.Validation(errors, $"文件中有{result.Errors.Count}处错误，未导入任何数据。");
        }
        return TypedResults.Ok(new ImportResponse(result.Created, result.Updated, result.Unchanged));
    }

    private static bool TryFormat(string? format, out bool csv)
    {
        csv = false;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "xlsx": return true;
            case "csv" or "zip": csv = true; return true;
            default: return false;
        }
    }
}
