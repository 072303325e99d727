using System.Security.Claims;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Classifications;

/// <summary>A classification node with its children.</summary>
internal sealed record ClassificationDto(
    string Code, string Segment, string Name, int Depth, string Level, string? ParentCode, int ClassCode, string? ItemCode, string? CategoryCode,
    string DetailPath, Guid? DepartmentId, string? RegionCode, bool RequiresUnconditionalShare, string Origin, bool IsActive, string? Description,
    List<ClassificationDto> Children)
{
    public static string LevelName(int depth) => depth switch { 1 => "类", 2 => "项", 3 => "目", _ => $"细目（第{depth - 3}级）" };

    public static ClassificationDto From(Classification c) => new(c.Code, c.Segment, c.Name, c.Depth, LevelName(c.Depth), c.ParentCode, c.ClassCode,
        c.ItemCode, c.CategoryCode, c.DetailPath, c.DepartmentId, c.RegionCode, c.RequiresUnconditionalShare, c.Origin, c.IsActive, c.Description, []);

    /// <summary>Nests a flat, code-ordered list.</summary>
    public static List<ClassificationDto> Tree(IEnumerable<Classification> nodes)
    {
        var all = nodes.Select(From).ToList();
        var byCode = all.ToDictionary(n => n.Code);
        var roots = new List<ClassificationDto>();
        foreach (var n in all)
        {
            if (n.ParentCode is { } p && byCode.TryGetValue(p, out var parent)) parent.Children.Add(n);
            else roots.Add(n);
        }
        return roots;
    }
}

/// <summary>/api/v1/catalog/classifications: the 类/项/目/细目 tree.</summary>
internal static class ClassificationsApi
{
    public static RouteGroupBuilder MapClassificationsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/classifications").WithTags("目录分类");
        g.MapGet("/", List).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("分类树").WithDescription("类/项/目/细目。classCode 限定某一类（1 基础类、2 主题类、3 部门类）；flat=true 返回平铺列表。");
        g.MapGet("/{code}", Get).RequireAuthorization(CatalogPolicies.Read).WithSummary("查看分类节点及其子节点");
        g.MapPost("/", Create).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("新增分类节点").WithDescription("部门编目员在本部门的目（或其基础类、主题类的目）下添加细目；平台管理员扩充基础类、主题类的项和目。segment 留空时自动取下一个代码。");
        g.MapPost("/department-branch/sync", Sync).RequireAuthorization(Policies.PlatformAdmin)
            .WithSummary("按部门树生成部门类").WithDescription("为每个有部门的行政区划生成项（从30起）、为每个部门生成目（部门系统代码+两位序号）；已分配的代码保持不变。");
        return g;
    }

    private static async Task<Ok<List<ClassificationDto>>> List(int? classCode, bool? flat, bool? includeInactive, ClassificationService service, CancellationToken ct)
    {
        var nodes = await service.ListAsync(classCode, includeInactive ?? false, ct);
        return TypedResults.Ok(flat == true ? nodes.Select(ClassificationDto.From).ToList() : ClassificationDto.Tree(nodes));
    }

    private static async Task<Results<Ok<ClassificationDto>, ProblemHttpResult>> Get(string code, ClassificationService service, CancellationToken ct)
    {
        var nodes = await service.ListAsync(null, true, ct);
        var tree = ClassificationDto.Tree(nodes.Where(n => n.Code == code || n.Code.StartsWith(code, StringComparison.Ordinal) && n.Code.Length > code.Length));
        var node = tree.FirstOrDefault(n => n.Code == code);
        return node is null ? Problems.NotFound($"分类“{code}”不存在") : TypedResults.Ok(node);
    }

    private static async Task<Results<Created<ClassificationDto>, ValidationProblem, ProblemHttpResult>> Create(ClassificationInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ClassificationService service, CancellationToken ct)
    {
        if (body is null) return Problems.Validation("parentCode", "请求体不能为空");
        var actor = await CatalogActor.FromPrincipalAsync(user, departments, ct);
        var r = await service.CreateAsync(actor, body, ct);
        return r switch
        {
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            { NotFound: true } => Problems.NotFound("上级分类不存在"),
            _ => TypedResults.Created($"/api/v1/catalog/classifications/{r.Value!.Code}", ClassificationDto.From(r.Value)),
        };
    }

    private static async Task<Ok<DepartmentBranchSync>> Sync(ClassificationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.SyncDepartmentBranchAsync(ct));
}
