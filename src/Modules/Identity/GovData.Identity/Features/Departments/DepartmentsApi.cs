using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Features.Users;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Regions;
using GovData.SharedKernel.Spreadsheets;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

internal sealed record DepartmentDto(Guid Id, string Name, string? ShortName, string CreditCode, DepartmentKind Kind, string KindName,
    Guid? ParentId, string RegionCode, string RegionName, bool IsCompetent, IReadOnlyList<string> Domains, int SortOrder, bool IsActive, int Version);

internal sealed record DepartmentRequest(string? Name, string? ShortName, string? CreditCode, DepartmentKind? Kind, Guid? ParentId,
    string? RegionCode, bool IsCompetent, string? Domains, int SortOrder, bool IsActive = true, int? Version = null)
{
    public DepartmentInput ToInput() => new(Name, ShortName, CreditCode, Kind, ParentId, RegionCode, IsCompetent, Domains, SortOrder, IsActive, Version);
}

internal sealed record ImportResponse(int Created, int Updated);

internal static class DepartmentsApi
{
    public static RouteGroupBuilder MapDepartmentsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/departments").WithTags("部门");
        g.MapGet("/", List).RequireAuthorization(Policies.ReadIdentity).WithSummary("部门列表（平铺，含上级）");
        g.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.ReadIdentity).WithSummary("查看部门");
        g.MapPost("/", Create).RequireAuthorization(Policies.ManageUsers).WithSummary("新建部门");
        g.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.ManageUsers).WithSummary("修改部门");
        g.MapPost("/import", Import).RequireAuthorization(Policies.PlatformAdmin).DisableAntiforgery()
            .WithSummary("从 CSV/XLSX 导入部门（全部成功或全部不导入）");
        g.MapGet("/template", Template).RequireAuthorization(Policies.ReadIdentity).WithSummary("下载部门导入模板");
        return g;
    }

    internal static DepartmentDto ToDto(Department d, RegionDirectory regions) => new(d.Id, d.Name, d.ShortName, d.CreditCode, d.Kind,
        DepartmentKinds.Names[d.Kind], d.ParentId, d.RegionCode, regions.FullName(d.RegionCode), d.IsCompetent, d.DomainList, d.SortOrder, d.IsActive, d.Version);

    private static async Task<Ok<List<DepartmentDto>>> List(ClaimsPrincipal user, IdentityDb db, DepartmentScope scope, RegionDirectory regions,
        string? regionCode, CancellationToken ct)
    {
        var query = db.Departments.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(regionCode)) query = query.Where(d => d.RegionCode == regionCode);
        var list = await query.OrderBy(d => d.SortOrder).ThenBy(d => d.Name).ToListAsync(ct);
        // Departments are not secret inside government: all staff see the whole tree (needed to request shared data).
        return TypedResults.Ok(list.Select(d => ToDto(d, regions)).ToList());
    }

    private static async Task<Results<Ok<DepartmentDto>, ProblemHttpResult>> Get(Guid id, IdentityDb db, RegionDirectory regions, CancellationToken ct)
    {
        var d = await db.Departments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return d is null ? Problems.NotFound("部门不存在") : TypedResults.Ok(ToDto(d, regions));
    }

    private static async Task<Results<Created<DepartmentDto>, ValidationProblem, ProblemHttpResult>> Create(
        DepartmentRequest body, ClaimsPrincipal user, DepartmentAdministration admin, RegionDirectory regions, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        var r = await admin.CreateAsync(user, body.ToInput(), ct);
        return r switch
        {
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            _ => TypedResults.Created($"/api/v1/identity/departments/{r.Value!.Id}", ToDto(r.Value, regions)),
        };
    }

    private static async Task<Results<Ok<DepartmentDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, DepartmentRequest body, ClaimsPrincipal user, DepartmentAdministration admin, RegionDirectory regions, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        var r = await admin.UpdateAsync(user, id, body.ToInput(), ct);
        return r switch
        {
            { NotFound: true } => Problems.NotFound("部门不存在或不在您的管理范围内"),
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            _ => TypedResults.Ok(ToDto(r.Value!, regions)),
        };
    }

    private static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> Import(
        IFormFile? file, ClaimsPrincipal user, DepartmentImport import, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        if (file is null || file.Length == 0) return Problems.Validation("file", "请上传 CSV 或 XLSX 文件（表单字段名 file）");
        if (!TabularFile.IsSupported(file.FileName)) return Problems.Validation("file", $"不支持的文件类型“{Path.GetExtension(file.FileName)}”，请上传 .csv 或 .xlsx 文件");
        await using var stream = file.OpenReadStream();
        var result = await import.ImportAsync(stream, file.FileName, user.Identity?.Name, ct);
        if (!result.Succeeded)
        {
            var errors = result.Errors.GroupBy(e => e.Row > 0 ? $"第{e.Row}行/{e.Column}" : "file")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            return Problems.Validation(errors, $"文件中有{result.Errors.Count}处错误，未导入任何数据。");
        }
        return TypedResults.Ok(new ImportResponse(result.Created, result.Updated));
    }

    private static FileContentHttpResult Template(string? format)
    {
        using var ms = new MemoryStream();
        IReadOnlyList<string>[] rows = [DepartmentImport.Columns, DepartmentImport.ExampleRow];
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            TabularFile.WriteCsv(ms, rows);
            return TypedResults.File(ms.ToArray(), "text/csv; charset=utf-8", "部门导入模板.csv");
        }
        TabularFile.WriteXlsx(ms, [("部门", rows)]);
        return TypedResults.File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "部门导入模板.xlsx");
    }
}
