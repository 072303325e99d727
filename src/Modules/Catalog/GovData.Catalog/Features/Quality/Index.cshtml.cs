using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace GovData.Catalog.Features.Quality;

/// <summary>
/// 目录质量校核 (/console/catalog/quality): reviewers and platform administrators start a check (form post, synchronous),
/// read the latest report of a scope — summary per rule, coverage with the 80% line as 达标/未达标, findings with links —
/// and designate authoritative sources for 一数多源. Compilers see the findings of their own department. No JavaScript.
/// </summary>
[Authorize(Policy = CatalogPolicies.Read)]
internal sealed class IndexModel(QualityService quality, IDepartmentDirectory departments, GovData.SharedKernel.Regions.RegionDirectory regions,
    ScheduledJobStore jobs, LinkGenerator links) : PageModel
{
    public const string Path = "/console/catalog/quality";
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "run")] public Guid? RunId { get; set; }
    [BindProperty(SupportsGet = true, Name = "scope")] public string? Scope { get; set; }
    [BindProperty(SupportsGet = true, Name = "rule")] public string? Rule { get; set; }
    [BindProperty(SupportsGet = true, Name = "severity")] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true, Name = "dept")] public Guid? DepartmentId { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Keyword { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public CatalogActor Actor { get; private set; } = null!;
    public IReadOnlyList<ScopeDto> RunnableScopes { get; private set; } = [];
    public QualityReportDto? Report { get; private set; }
    public IReadOnlyList<QualityRunDto> RecentRuns { get; private set; } = [];
    public List<string> FilterErrors { get; } = [];
    public ScheduledJobState? Nightly { get; private set; }
    public bool CanDesignate => Actor.IsPlatformAdmin || Actor.IsReviewer && Actor.Department is { IsCompetent: true };
    public int Pages => Report is null ? 1 : Math.Max(1, (Report.Matched + PageSize - 1) / PageSize);
    public int CurrentPage => Math.Clamp(PageNumber ?? 1, 1, Pages);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        if (!QualityPermissions.MayRead(Actor)) return Forbid();
        if (!ModelState.IsValid) FilterErrors.Add("部分查询参数格式不正确（运行编号、部门应为 ID，页码应为正整数），已忽略");
        RunnableScopes = await quality.RunnableScopesAsync(Actor, ct);
        Nightly = await jobs.GetAsync(QualityJob.JobName, ct);

        var scopeCode = Scope?.Trim() is { Length: > 0 } s ? s : null;
        var runId = RunId;
        if (runId is null)
        {
            var latest = await quality.LatestAsync(Actor, scopeCode ?? QualityPermissions.DefaultScope(Actor, regions)?.Code, ct)
                         ?? (scopeCode is null ? await quality.LatestAsync(Actor, null, ct) : null);
            runId = latest?.Id;
        }
        if (runId is { } id)
        {
            var report = await quality.ReportAsync(Actor, id, new FindingQuery(Rule, Severity, DepartmentId, Keyword, PageNumber ?? 1, PageSize),
                QualityLinks.For(links), ct);
            if (report.Errors is { } errors)
            {
                FilterErrors.AddRange(errors.SelectMany(e => e.Value));
                report = await quality.ReportAsync(Actor, id, new FindingQuery(null, null, DepartmentId, Keyword, PageNumber ?? 1, PageSize), QualityLinks.For(links), ct);
            }
            if (report.NotFound) FilterErrors.Add("该校核记录不存在或不在您的查看范围内");
            Report = report.Value;
        }
        var recent = await quality.ListRunsAsync(Actor, null, 1, 10, ct);
        RecentRuns = recent.Value?.Items ?? [];
        return Page();
    }

    public async Task<IActionResult> OnPostRunAsync([FromForm(Name = "runScope")] string? runScope, CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        var result = await quality.StartAsync(actor, runScope, ct);
        if (!result.Ok)
        {
            TempData["Error"] = result.Forbidden ?? string.Join("；", result.Errors?.SelectMany(e => e.Value) ?? ["无法发起校核"]);
            return Redirect(Path);
        }
        var run = result.Value!;
        TempData["Message"] = $"已完成{run.ScopeName}的目录质量校核：检查已发布资源 {run.EntriesChecked} 个，发现问题 {run.FindingsTotal} 个（错误 {run.ErrorCount}、警告 {run.WarningCount}）。";
        return Redirect(Link(("run", run.Id.ToString())));
    }

    public async Task<IActionResult> OnPostDesignateAsync([FromForm] string? element, [FromForm] string? resource, [FromForm(Name = "back")] string? back, CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        var result = await quality.DesignateAsync(actor, new DesignateRequest(element, resource, null), ct);
        if (result.Ok) TempData["Message"] = $"已将“{result.Value!.EntryName}”（{result.Value.EntryCode}）指定为数据元“{result.Value.Element}”的权威来源，下次校核时生效。";
        else TempData["Error"] = result.Forbidden ?? string.Join("；", result.Errors?.SelectMany(e => e.Value) ?? ["无法指定权威来源"]);
        return Redirect(SafeBack(back));
    }

    public async Task<IActionResult> OnPostRevokeAsync([FromForm] string? element, [FromForm] string? resource, [FromForm(Name = "back")] string? back, CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        var result = await quality.RevokeAsync(actor, element, resource, ct);
        if (result.Ok) TempData["Message"] = $"已取消 {resource} 作为数据元“{element}”权威来源的指定，下次校核时生效。";
        else TempData["Error"] = result.Forbidden ?? (result.NotFound ? "没有找到该权威来源指定" : string.Join("；", result.Errors?.SelectMany(e => e.Value) ?? []));
        return Redirect(SafeBack(back));
    }

    /// <summary>This page with the current filters, changed by <paramref name="changes"/> (null value removes a key).</summary>
    public string Link(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["run"] = (RunId ?? Report?.Run.Id)?.ToString(), ["rule"] = Rule, ["severity"] = Severity, ["dept"] = DepartmentId?.ToString(),
            ["q"] = Keyword?.Trim(), ["pageNumber"] = null,
        };
        foreach (var (k, v) in changes) values[k] = v;
        return QueryHelpers.AddQueryString(Path, values.Where(v => !string.IsNullOrEmpty(v.Value)));
    }

    public string ExportLink => Report is null ? "#" : QueryHelpers.AddQueryString($"/api/v1/catalog/quality/runs/{Report.Run.Id}/export",
        new Dictionary<string, string?> { ["rule"] = Rule, ["severity"] = Severity, ["departmentId"] = DepartmentId?.ToString(), ["keyword"] = Keyword?.Trim() }
            .Where(v => !string.IsNullOrEmpty(v.Value)));

    public string CurrentUrl => Request.Path + Request.QueryString;

    public static string Time(DateTime? utc) =>
        utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime().ToString("yyyy-MM-dd HH:mm") : "—";

    public static string Percent(double ratio) => QualityChecker.Percent(ratio);

    private static string SafeBack(string? back) =>
        back is { Length: > 0 } && back.StartsWith(Path, StringComparison.Ordinal) && !back.StartsWith("//", StringComparison.Ordinal) ? back : Path;
}
