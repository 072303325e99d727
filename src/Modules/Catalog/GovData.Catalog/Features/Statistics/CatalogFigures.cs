using GovData.Catalog.Contracts;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Statistics;

/// <summary>A count under a key (enum term, 类 code …) with its Chinese label.</summary>
internal sealed record LabelCountDto(string Key, string Label, int Count);

/// <summary>Published resources under one 项 of the classification (类 + 项 code, e.g. 202 社会保障).</summary>
internal sealed record ItemCountDto(string Code, string Name, string ClassName, int Count);

/// <summary>Published resources of one department, and how many of them are in the 共享目录 and the 开放目录.</summary>
internal sealed record DepartmentStatDto(Guid DepartmentId, string Name, string? RegionCode, string RegionName, int Published, int Shared, int Open);

/// <summary>One of the twelve assessed domains: the departments serving it and their published resources.</summary>
internal sealed record DomainCoverageDto(string Domain, IReadOnlyList<string> Departments, int Published, bool Covered);

/// <summary>
/// 目录覆盖度 (catalog-standard.md §6): the share of the twelve listed domains, and of the departments, that have at
/// least one published resource, against the 80% rule.
/// </summary>
internal sealed record CoverageDto(
    double Threshold,
    int DomainsCovered, int DomainsTotal, double DomainRate, bool DomainsMeet,
    int DepartmentsCovered, int DepartmentsTotal, double DepartmentRate, bool DepartmentsMeet,
    IReadOnlyList<DomainCoverageDto> Domains, IReadOnlyList<string> DepartmentsWithout);

/// <summary>Statistics of the published catalog (业务目录) for a region or the whole platform.</summary>
internal sealed record CatalogStatisticsDto(
    string? RegionCode, string ScopeName, DateTime GeneratedAt,
    int Published, int Shared, int Open,
    IReadOnlyList<LabelCountDto> ByClass, IReadOnlyList<ItemCountDto> ByItem, IReadOnlyList<DepartmentStatDto> ByDepartment,
    IReadOnlyList<LabelCountDto> ByShareType, IReadOnlyList<LabelCountDto> ByOpenType, IReadOnlyList<LabelCountDto> ByUpdateCycle,
    CoverageDto Coverage);

/// <summary>A region that can be chosen as the scope of the statistics (it or a region below it has departments).</summary>
internal sealed record RegionOptionDto(string Code, string Name);

/// <summary>
/// Counts of the published catalog by 类/项, department, share type, open type and update cycle, and the coverage of
/// the twelve assessed domains and of the departments. Published content is visible to all government staff, so the
/// figures are the same for everyone; a region narrows them to its departments and those of the regions below it.
/// </summary>
internal sealed class CatalogFigures(CatalogDb db, IDepartmentDirectory departments, RegionDirectory regions, TimeProvider clock)
{
    /// <summary>The domains the third-party assessment lists for 目录覆盖度, in its order (catalog-standard.md §6).</summary>
    public static readonly IReadOnlyList<string> AssessedDomains =
        ["企业", "人社", "教育", "医疗卫生", "民政", "建设", "交通运输", "文化", "科技", "农业", "安全生产", "环保"];

    /// <summary>The 80% rule of 目录覆盖度.</summary>
    public const double CoverageThreshold = 0.8;

    private const string RemovedDepartment = "（已撤销的部门）";

    /// <summary>The regions that have departments, with their ancestors (a province covers its cities).</summary>
    public async Task<IReadOnlyList<RegionOptionDto>> RegionOptionsAsync(CancellationToken ct = default)
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var d in await departments.ListAsync(ct))
            foreach (var r in regions.PathOf(d.RegionCode)) codes.Add(r.Code);
        return codes.Select(c => new RegionOptionDto(c, regions.FullName(c))).ToList();
    }

    /// <summary>
    /// The statistics for <paramref name="regionCode"/> (its departments and those below it), or for the whole
    /// platform when null. Returns an error message when the region code is unknown.
    /// </summary>
    public async Task<(CatalogStatisticsDto? Statistics, string? Error)> GetAsync(string? regionCode, CancellationToken ct = default)
    {
        var region = string.IsNullOrWhiteSpace(regionCode) ? null : regionCode.Trim();
        if (region is not null && regions.Find(region) is null)
            return (null, $"行政区划代码“{region}”不存在（应为 GB/T 2260 的6位代码，如 370000）");

        var allDepartments = await departments.ListAsync(ct);
        var inScope = allDepartments.Where(d => region is null || regions.IsWithin(d.RegionCode, region)).ToList();
        var scopeIds = inScope.Select(d => d.Id).ToHashSet();

        // One grouped query: published entries by department, 类/项 and the attributes counted.
        var groups = await (from e in db.Entries.AsNoTracking()
                            join r in db.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id
                            where e.Status == EntryStatus.Published
                            group e by new { e.DepartmentId, e.ClassCode, e.ItemCode, r.ShareType, r.OpenType, r.UpdateCycle } into g
                            select new { g.Key.DepartmentId, g.Key.ClassCode, g.Key.ItemCode, g.Key.ShareType, g.Key.OpenType, g.Key.UpdateCycle, Count = g.Count() })
            .ToListAsync(ct);
        if (region is not null) groups = groups.Where(g => scopeIds.Contains(g.DepartmentId)).ToList();

        static bool IsShared(ShareType? t) => t is ShareType.Unconditional or ShareType.Conditional;
        static bool IsOpen(OpenType? t) => t is OpenType.Unconditional or OpenType.Conditional;

        var published = groups.Sum(g => g.Count);
        var shared = groups.Where(g => IsShared(g.ShareType)).Sum(g => g.Count);
        var open = groups.Where(g => IsOpen(g.OpenType)).Sum(g => g.Count);

        var byClass = Enum.GetValues<ResourceClass>()
            .Select(c => new LabelCountDto(((int)c).ToString(), CatalogTerms.Label(c), groups.Where(g => g.ClassCode == (int)c).Sum(g => g.Count)))
            .ToList();

        var itemNames = await db.Classifications.AsNoTracking().Where(c => c.Depth == 2).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var byItem = groups.GroupBy(g => g.ClassCode + g.ItemCode)
            .Select(x => new ItemCountDto(x.Key, itemNames.GetValueOrDefault(x.Key, x.Key),
                CatalogTerms.Label((ResourceClass)x.First().ClassCode), x.Sum(g => g.Count)))
            .OrderBy(x => x.Code, StringComparer.Ordinal).ToList();

        var known = allDepartments.ToDictionary(d => d.Id);
        var byDepartment = groups.GroupBy(g => g.DepartmentId)
            .Select(x =>
            {
                var d = known.GetValueOrDefault(x.Key);
                return new DepartmentStatDto(x.Key, d?.Name ?? RemovedDepartment, d?.RegionCode, d is null ? "" : regions.FullName(d.RegionCode),
                    x.Sum(g => g.Count), x.Where(g => IsShared(g.ShareType)).Sum(g => g.Count), x.Where(g => IsOpen(g.OpenType)).Sum(g => g.Count));
            })
            .OrderByDescending(x => x.Published).ThenBy(x => x.RegionCode, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal)
            .ToList();

        var byShare = ByTerm(groups.Select(g => (g.ShareType, g.Count)));
        var byOpen = ByTerm(groups.Select(g => (g.OpenType, g.Count)));
        var byCycle = ByTerm(groups.Select(g => (g.UpdateCycle, g.Count)));

        var publishedBy = byDepartment.ToDictionary(x => x.DepartmentId, x => x.Published);
        var domains = AssessedDomains.Select(domain =>
        {
            var serving = inScope.Where(d => d.Domains.Contains(domain)).ToList();
            var count = serving.Sum(d => publishedBy.GetValueOrDefault(d.Id));
            return new DomainCoverageDto(domain, serving.Select(d => d.Name).ToList(), count, count > 0);
        }).ToList();
        var domainsCovered = domains.Count(d => d.Covered);
        var domainRate = Rate(domainsCovered, domains.Count);
        var departmentsCovered = inScope.Count(d => publishedBy.GetValueOrDefault(d.Id) > 0);
        var departmentRate = Rate(departmentsCovered, inScope.Count);
        var without = inScope.Where(d => publishedBy.GetValueOrDefault(d.Id) == 0)
            .OrderBy(d => d.RegionCode, StringComparer.Ordinal).ThenBy(d => d.SortOrder).Select(d => d.Name).ToList();
        var coverage = new CoverageDto(CoverageThreshold,
            domainsCovered, domains.Count, domainRate, domainRate >= CoverageThreshold,
            departmentsCovered, inScope.Count, departmentRate, inScope.Count > 0 && departmentRate >= CoverageThreshold,
            domains, without);

        return (new CatalogStatisticsDto(region, region is null ? "全平台" : regions.FullName(region), clock.GetUtcNow().UtcDateTime,
            published, shared, open, byClass, byItem, byDepartment, byShare, byOpen, byCycle, coverage), null);
    }

    /// <summary>Counts per value of an enumeration, every value listed (zeros included), then “未填写” if any.</summary>
    private static List<LabelCountDto> ByTerm<T>(IEnumerable<(T? Value, int Count)> rows) where T : struct, Enum
    {
        var list = rows.ToList();
        var result = Enum.GetValues<T>()
            .Select(t => new LabelCountDto(t.ToString(), CatalogTerms.Label(t), list.Where(x => x.Value is { } v && v.Equals(t)).Sum(x => x.Count)))
            .ToList();
        var missing = list.Where(x => x.Value is null).Sum(x => x.Count);
        if (missing > 0) result.Add(new LabelCountDto("", "未填写", missing));
        return result;
    }

    /// <summary>covered / total, rounded to four places (0 when there is nothing to cover).</summary>
    private static double Rate(int covered, int total) => total == 0 ? 0 : Math.Round((double)covered / total, 4);
}
