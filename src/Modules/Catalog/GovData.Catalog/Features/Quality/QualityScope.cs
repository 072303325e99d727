using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;

namespace GovData.Catalog.Features.Quality;

/// <summary>What a run covers: the whole platform, or a region with the regions below it.</summary>
internal sealed record QualityScope(string Code, string Name)
{
    public const string PlatformCode = "platform";

    public static QualityScope Platform { get; } = new(PlatformCode, "全平台");

    public bool IsPlatform => Code == PlatformCode;

    /// <summary>The region, or null for the platform.</summary>
    public string? RegionCode => IsPlatform ? null : Code;

    public bool Includes(DepartmentInfo department, RegionDirectory regions) =>
        IsPlatform || regions.IsWithin(department.RegionCode, Code);

    public static QualityScope ForRegion(string code, RegionDirectory regions) => new(code, regions.FullName(code));

    /// <summary>Parses “platform” / “全平台” or a GB/T 2260 code; null text means the default; error in Chinese.</summary>
    public static bool TryParse(string? text, RegionDirectory regions, out QualityScope? scope, out string? error)
    {
        scope = null;
        error = null;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return true;
        if (t is PlatformCode or "全平台" or "all") { scope = Platform; return true; }
        if (regions.Find(t) is null)
        {
            error = $"范围“{t}”无效：应为 platform（全平台）或 6 位行政区划代码（GB/T 2260），如 370000";
            return false;
        }
        scope = ForRegion(t, regions);
        return true;
    }
}

/// <summary>What a caller may see of a run.</summary>
internal enum QualityAccess
{
    /// <summary>Nothing.</summary>
    None,
    /// <summary>The findings of the caller's own department (compilers).</summary>
    OwnDepartment,
    /// <summary>Everything (reviewers in their region, platform administrators, auditors).</summary>
    Full,
}

/// <summary>Who may start, read and coordinate quality checks.</summary>
internal static class QualityPermissions
{
    /// <summary>
    /// The scope a caller checks when none is given: platform administrators the whole platform, a reviewer the
    /// region of its competent department. Null when the caller may not run checks.
    /// </summary>
    public static QualityScope? DefaultScope(CatalogActor actor, RegionDirectory regions) =>
        actor.IsPlatformAdmin ? QualityScope.Platform
        : actor.IsReviewer && actor.Department is { IsCompetent: true } own ? QualityScope.ForRegion(own.RegionCode, regions)
        : null;

    /// <summary>Null when <paramref name="actor"/> may check <paramref name="scope"/>, otherwise the Chinese reason.</summary>
    public static string? CanRun(CatalogActor actor, QualityScope scope, RegionDirectory regions)
    {
        if (actor.IsPlatformAdmin) return null;
        if (!actor.IsReviewer) return "只有目录审核员或平台管理员可以发起目录质量校核";
        if (actor.Department is not { IsCompetent: true } own) return "目录审核员须隶属于主管部门（如大数据局）才能发起质量校核";
        if (scope.IsPlatform) return "全平台校核只能由平台管理员发起；目录审核员可校核本主管部门所在行政区划及其下级";
        if (!regions.IsWithin(scope.Code, own.RegionCode))
            return $"范围“{scope.Name}”不在您所在主管部门（{own.Name}，{regions.FullName(own.RegionCode)}）的审核范围内";
        return null;
    }

    /// <summary>What <paramref name="actor"/> may see of a run of <paramref name="scopeCode"/>.</summary>
    public static QualityAccess AccessTo(CatalogActor actor, string scopeCode, RegionDirectory regions)
    {
        if (actor.SeesEverything) return QualityAccess.Full;
        if (actor.IsReviewer && actor.Department is { IsCompetent: true } own && scopeCode != QualityScope.PlatformCode
            && regions.IsWithin(scopeCode, own.RegionCode))
            return QualityAccess.Full;
        if (actor.IsCompiler && actor.Department is { } d && (scopeCode == QualityScope.PlatformCode || regions.IsWithin(d.RegionCode, scopeCode)))
            return QualityAccess.OwnDepartment;
        return QualityAccess.None;
    }

    /// <summary>True when the caller may read quality reports at all.</summary>
    public static bool MayRead(CatalogActor actor) => actor.SeesEverything || actor.IsCompiler
        || actor.IsReviewer && actor.Department is { IsCompetent: true };

    public const string ReadDenied = "只有目录审核员、平台管理员、安全审计员和部门编目员可以查看目录质量校核报告";

    /// <summary>May designate <paramref name="entryDepartment"/>'s resource as an authoritative source.</summary>
    public static bool CanDesignate(CatalogActor actor, DepartmentInfo? entryDepartment, RegionDirectory regions) =>
        actor.IsPlatformAdmin || actor.CanReview(entryDepartment, regions);
}
