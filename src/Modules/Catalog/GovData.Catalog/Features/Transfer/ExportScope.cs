using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;

namespace GovData.Catalog.Features.Transfer;

/// <summary>Which departments an export covers, and the words for it in the file name.</summary>
internal sealed record ExportSelection(IReadOnlyCollection<Guid>? DepartmentIds, string Label);

/// <summary>
/// The departments an export may cover: everyone exports their own department; 目录审核员 (at a competent department)
/// also a region within their review area or that whole area; platform administrators and auditors any region or all.
/// </summary>
internal sealed class ExportScope(IDepartmentDirectory departments, RegionDirectory regions)
{
    public const string Mine = "mine";
    public const string Region = "region";
    public const string All = "all";

    /// <summary>May export more than the own department.</summary>
    public static bool MaySpanDepartments(CatalogActor actor) => actor.SeesEverything || actor.IsReviewer && actor.Department is { IsCompetent: true };

    /// <summary>Regions the actor may choose: those with departments (and their ancestors) inside the actor's area.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> RegionChoicesAsync(CatalogActor actor, CancellationToken ct = default)
    {
        if (!MaySpanDepartments(actor)) return [];
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var d in await departments.ListAsync(ct))
            foreach (var r in regions.PathOf(d.RegionCode)) codes.Add(r.Code);
        return codes.Where(c => actor.SeesEverything || regions.IsWithin(c, actor.Department!.RegionCode))
            .Select(c => (c, regions.FullName(c))).ToList();
    }

    /// <summary>Resolves <paramref name="scope"/> (mine, region, all) for the actor, or explains in Chinese why not.</summary>
    public async Task<(ExportSelection? Selection, Dictionary<string, string[]>? Errors)> ResolveAsync(CatalogActor actor, string? scope, string? region,
        CancellationToken ct = default)
    {
        static (ExportSelection?, Dictionary<string, string[]>?) Fail(string field, string message) => (null, new() { [field] = [message] });
        switch (scope?.Trim().ToLowerInvariant())
        {
            case null or "" or Mine:
                return actor.Department is { } own
                    ? (new ExportSelection([own.Id], own.Name), null)
                    : Fail("scope", "您的账号未关联部门，不能导出本部门的资源目录");
            case Region:
                if (!MaySpanDepartments(actor)) return Fail("scope", "只有主管部门的目录审核员、平台管理员和安全审计员可以按行政区划导出");
                var code = region?.Trim();
                if (string.IsNullOrEmpty(code)) return Fail("region", "请选择要导出的行政区划");
                if (regions.Find(code) is null) return Fail("region", $"行政区划代码“{code}”不存在（应为 GB/T 2260 的6位代码，如 370000）");
                if (!actor.SeesEverything && !regions.IsWithin(code, actor.Department!.RegionCode))
                    return Fail("region", $"{regions.FullName(code)}不在您的审核范围（{regions.FullName(actor.Department!.RegionCode)}及其下级）内");
                var within = (await departments.ListAsync(ct)).Where(d => regions.IsWithin(d.RegionCode, code)).Select(d => d.Id).ToList();
                return (new ExportSelection(within, regions.FullName(code)), null);
            case All:
                if (actor.SeesEverything) return (new ExportSelection(null, "全部部门"), null);
                if (!MaySpanDepartments(actor)) return Fail("scope", "只有主管部门的目录审核员、平台管理员和安全审计员可以导出多个部门的资源目录");
                var reviewed = (await departments.ListAsync(ct)).Where(d => actor.CanReview(d, regions)).Select(d => d.Id).ToList();
                return (new ExportSelection(reviewed, "审核范围内全部部门"), null);
            default:
                return Fail("scope", $"导出范围“{scope}”无效，可选：mine（本部门）、region（行政区划）、all（全部）");
        }
    }
}
