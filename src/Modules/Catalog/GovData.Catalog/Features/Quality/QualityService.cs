using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GovData.Catalog.Features.Quality;

/// <summary>
/// Runs the quality checks over the published catalog of a scope, stores each run with its findings, and answers the
/// report queries with the caller's visibility (reviewers: their region; compilers: their department's findings).
/// </summary>
internal sealed class QualityService(
    CatalogDb catalog, QualityDb db, IDepartmentDirectory departments, RegionDirectory regions, TimeProvider clock, ILogger<QualityService> logger)
{
    /// <summary>Scheduled runs older than this are deleted by the nightly job.</summary>
    public static readonly TimeSpan ScheduledRetention = TimeSpan.FromDays(180);

    // ---------------------------------------------------------------- running

    /// <summary>Starts a run for a caller (synchronously): checks the scope and the caller's right to check it.</summary>
    public async Task<CatalogResult<QualityRun>> StartAsync(CatalogActor actor, string? scopeText, CancellationToken ct = default)
    {
        if (!QualityScope.TryParse(scopeText, regions, out var scope, out var error)) return CatalogResult<QualityRun>.Invalid("scope", error!);
        scope ??= QualityPermissions.DefaultScope(actor, regions);
        if (scope is null) return CatalogResult<QualityRun>.Deny(QualityPermissions.CanRun(actor, QualityScope.Platform, regions)!);
        if (QualityPermissions.CanRun(actor, scope, regions) is { } denied) return CatalogResult<QualityRun>.Deny(denied);
        return CatalogResult<QualityRun>.Success(await ExecuteAsync(scope, RunTriggers.Manual, actor.Name, actor.UserId, ct));
    }

    /// <summary>Checks <paramref name="scope"/> now and stores the run and its findings.</summary>
    public async Task<QualityRun> ExecuteAsync(QualityScope scope, string trigger, string triggeredBy, Guid? triggeredById, CancellationToken ct = default)
    {
        var run = new QualityRun
        {
            Id = Guid.CreateVersion7(),
            Scope = scope.Code,
            ScopeName = scope.Name,
            Status = RunStatuses.Running,
            TriggerKind = trigger,
            TriggeredBy = triggeredBy.Length > 100 ? triggeredBy[..100] : triggeredBy,
            TriggeredById = triggeredById,
            StartedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        try
        {
            var snapshot = await SnapshotAsync(scope, run.StartedAt, ct);
            var outcome = QualityChecker.Run(snapshot);
            foreach (var finding in outcome.Findings)
            {
                finding.RunId = run.Id;
                db.Findings.Add(finding);
            }
            run.EntriesChecked = snapshot.Entries.Count;
            run.DepartmentsInScope = snapshot.Departments.Count;
            run.FindingsTotal = outcome.Findings.Count;
            run.ErrorCount = outcome.Findings.Count(f => f.Severity == Severities.Error);
            run.WarningCount = outcome.Findings.Count(f => f.Severity == Severities.Warning);
            run.InfoCount = outcome.Findings.Count(f => f.Severity == Severities.Info);
            run.Coverage = outcome.Coverage.ToJson();
            run.Status = RunStatuses.Succeeded;
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("目录质量校核（{Scope}）完成：{Entries} 个资源，{Findings} 个问题", scope.Name, run.EntriesChecked, run.FindingsTotal);
            return run;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "目录质量校核（{Scope}）失败", scope.Name);
            db.ChangeTracker.Clear();
            await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatuses.Failed)
                .SetProperty(r => r.FinishedAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(r => r.Error, ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message), CancellationToken.None);
            throw;
        }
    }

    /// <summary>Loads what a run checks: the scope's departments and their published entries with their published content.</summary>
    internal async Task<QualitySnapshot> SnapshotAsync(QualityScope scope, DateTime now, CancellationToken ct)
    {
        var all = await departments.ListAsync(ct);
        var inScope = all.Where(d => scope.Includes(d, regions)).ToList();
        var ids = inScope.Select(d => d.Id).ToList();

        var entries = catalog.Entries.AsNoTracking().Where(e => e.Status == EntryStatus.Published && e.PublishedRevisionId != null);
        if (!scope.IsPlatform) entries = entries.Where(e => ids.Contains(e.DepartmentId));
        var rows = await (from e in entries
                          join r in catalog.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id
                          select new { e, r }).ToListAsync(ct);
        var items = (await (from e in entries
                            join i in catalog.Items.AsNoTracking() on e.PublishedRevisionId equals (Guid?)i.RevisionId
                            select i).ToListAsync(ct)).ToLookup(i => i.RevisionId);
        foreach (var x in rows) x.r.Items = items[x.r.Id].OrderBy(i => i.Ordinal).ToList();

        var nodes = (await catalog.Classifications.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Code);
        var authorities = await db.Authorities.AsNoTracking().ToListAsync(ct);
        return new QualitySnapshot(rows.Select(x => new CheckedEntry(x.e, x.r)).ToList(), nodes, inScope, all.ToDictionary(d => d.Id), authorities, now);
    }

    /// <summary>The nightly job: the whole platform and every region that has a competent department; old scheduled runs are pruned.</summary>
    public async Task<IReadOnlyList<QualityRun>> RunNightlyAsync(CancellationToken ct)
    {
        var runs = new List<QualityRun> { await ExecuteAsync(QualityScope.Platform, RunTriggers.Scheduled, "夜间自动校核", null, ct) };
        foreach (var region in (await departments.ListAsync(ct)).Where(d => d.IsCompetent).Select(d => d.RegionCode).Distinct().Order(StringComparer.Ordinal))
        {
            if (regions.Find(region) is null) continue;
            db.ChangeTracker.Clear();
            runs.Add(await ExecuteAsync(QualityScope.ForRegion(region, regions), RunTriggers.Scheduled, "夜间自动校核", null, ct));
        }
        var cutoff = clock.GetUtcNow().UtcDateTime - ScheduledRetention;
        var pruned = await db.Runs.Where(r => r.TriggerKind == RunTriggers.Scheduled && r.StartedAt < cutoff).ExecuteDeleteAsync(ct);
        if (pruned > 0) logger.LogInformation("已清理 {Count} 次超过 {Days} 天的夜间校核记录", pruned, ScheduledRetention.TotalDays);
        return runs;
    }

    // ---------------------------------------------------------------- reading

    /// <summary>The scopes the caller may check (for the run form).</summary>
    public async Task<IReadOnlyList<ScopeDto>> RunnableScopesAsync(CatalogActor actor, CancellationToken ct = default)
    {
        var list = new List<ScopeDto>();
        if (actor.IsPlatformAdmin) list.Add(new ScopeDto(QualityScope.PlatformCode, QualityScope.Platform.Name));
        var competent = (await departments.ListAsync(ct)).Where(d => d.IsCompetent).Select(d => d.RegionCode).Distinct().Order(StringComparer.Ordinal);
        foreach (var region in competent)
        {
            if (regions.Find(region) is null) continue;
            var scope = QualityScope.ForRegion(region, regions);
            if (QualityPermissions.CanRun(actor, scope, regions) is null) list.Add(new ScopeDto(scope.Code, scope.Name));
        }
        return list;
    }

    /// <summary>Runs the caller may see, newest first, optionally of one scope.</summary>
    public async Task<CatalogResult<PageDto<QualityRunDto>>> ListRunsAsync(CatalogActor actor, string? scopeText, int page, int pageSize, CancellationToken ct = default)
    {
        if (!QualityPermissions.MayRead(actor)) return CatalogResult<PageDto<QualityRunDto>>.Deny(QualityPermissions.ReadDenied);
        if (!QualityScope.TryParse(scopeText, regions, out var scope, out var error)) return CatalogResult<PageDto<QualityRunDto>>.Invalid("scope", error!);
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var visible = await VisibleScopesAsync(actor, ct);
        if (scope is not null) visible = visible.Where(v => v == scope.Code).ToList();
        var q = db.Runs.AsNoTracking().Where(r => visible.Contains(r.Scope));
        var total = await q.CountAsync(ct);
        var runs = await q.OrderByDescending(r => r.StartedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return CatalogResult<PageDto<QualityRunDto>>.Success(new PageDto<QualityRunDto>(runs.Select(QualityRunDto.From).ToList(), total, page, pageSize));
    }

    /// <summary>The latest finished run the caller may see (of a scope, or of the caller's default scope, or any).</summary>
    public async Task<QualityRun?> LatestAsync(CatalogActor actor, string? scopeCode, CancellationToken ct = default)
    {
        var visible = await VisibleScopesAsync(actor, ct);
        if (scopeCode is not null) visible = visible.Where(v => v == scopeCode).ToList();
        return await db.Runs.AsNoTracking().Where(r => visible.Contains(r.Scope) && r.Status != RunStatuses.Running)
            .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>A run's report with the findings the caller may see, filtered and paged, grouped by rule.</summary>
    public async Task<CatalogResult<QualityReportDto>> ReportAsync(CatalogActor actor, Guid runId, FindingQuery query, Func<CatalogFindingLink, string?>? pageLink = null,
        CancellationToken ct = default)
    {
        var (run, findings, failure) = await FindingsAsync(actor, runId, query, ct);
        if (failure is not null) return failure.As<QualityReportDto>();
        var access = QualityPermissions.AccessTo(actor, run!.Scope, regions);

        var visible = Visible(run.Id, actor, access);
        var counts = await visible.GroupBy(f => new { f.RuleCode, f.Severity }).Select(g => new { g.Key.RuleCode, g.Key.Severity, Count = g.Count() }).ToListAsync(ct);
        var summary = QualityRules.All.Select(rule =>
        {
            int C(string severity) => counts.Where(c => c.RuleCode == rule.Code && c.Severity == severity).Sum(c => c.Count);
            return new RuleSummaryDto(rule.Code, rule.Indicator, rule.Title, rule.Description, C(Severities.Error) + C(Severities.Warning) + C(Severities.Info),
                C(Severities.Error), C(Severities.Warning), C(Severities.Info));
        }).ToList();

        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, FindingQuery.MaxPageSize);
        var matched = await findings!.CountAsync(ct);
        var rows = await Ordered(findings!).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        await AttachSourcesAsync(run.Id, rows, ct);
        var groups = rows.GroupBy(f => f.RuleCode).OrderBy(g => RuleOrder(g.Key)).Select(g =>
        {
            var rule = QualityRules.Find(g.Key);
            return new RuleFindingsDto(g.Key, rule?.Indicator ?? "", rule?.Title ?? g.Key, g.Select(f => ToDto(f, pageLink)).ToList());
        }).ToList();
        return CatalogResult<QualityReportDto>.Success(new QualityReportDto(QualityRunDto.From(run), access == QualityAccess.Full ? "全部问题" : "本部门问题",
            CoverageReport.FromJson(run.Coverage), summary, matched, page, size, groups));
    }

    /// <summary>Every finding of a run the caller may see (filtered), in report order — for exports.</summary>
    public async Task<CatalogResult<(QualityRun Run, List<QualityFinding> Findings, QualityAccess Access)>> AllFindingsAsync(
        CatalogActor actor, Guid runId, FindingQuery query, CancellationToken ct = default)
    {
        var (run, findings, failure) = await FindingsAsync(actor, runId, query, ct);
        if (failure is not null) return failure.As<(QualityRun, List<QualityFinding>, QualityAccess)>();
        var list = await Ordered(findings!).ToListAsync(ct);
        await AttachSourcesAsync(run!.Id, list, ct);
        return CatalogResult<(QualityRun, List<QualityFinding>, QualityAccess)>.Success((run!, list, QualityPermissions.AccessTo(actor, run!.Scope, regions)));
    }

    private async Task<(QualityRun? Run, IQueryable<QualityFinding>? Findings, CatalogResult<object>? Failure)> FindingsAsync(
        CatalogActor actor, Guid runId, FindingQuery query, CancellationToken ct)
    {
        if (!QualityPermissions.MayRead(actor)) return (null, null, CatalogResult<object>.Deny(QualityPermissions.ReadDenied));
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return (null, null, CatalogResult<object>.Missing());
        var access = QualityPermissions.AccessTo(actor, run.Scope, regions);
        if (access == QualityAccess.None) return (null, null, CatalogResult<object>.Missing());

        var errors = new Dictionary<string, string[]>();
        string? rule = null, severity = null;
        if (!string.IsNullOrWhiteSpace(query.Rule))
        {
            rule = QualityRules.Find(query.Rule)?.Code;
            if (rule is null) errors["rule"] = [$"规则“{query.Rule.Trim()}”不存在，可选：{string.Join("、", QualityRules.All.Select(r => r.Code))}"];
        }
        if (!string.IsNullOrWhiteSpace(query.Severity))
        {
            severity = Severities.Parse(query.Severity);
            if (severity is null) errors["severity"] = [$"严重程度“{query.Severity.Trim()}”无效，可选：错误(error)、警告(warning)、提示(info)"];
        }
        if (errors.Count > 0) return (null, null, CatalogResult<object>.Invalid(errors));

        var q = Visible(run.Id, actor, access);
        if (rule is not null) q = q.Where(f => f.RuleCode == rule);
        if (severity is not null) q = q.Where(f => f.Severity == severity);
        if (query.DepartmentId is { } dept) q = q.Where(f => f.DepartmentId == dept);
        if (query.Keyword?.Trim() is { Length: > 0 } kw)
            q = q.Where(f => f.Message.Contains(kw) || (f.EntryCode != null && f.EntryCode.Contains(kw)) || (f.Subject != null && f.Subject.Contains(kw)));
        return (run, q, null);
    }

    /// <summary>
    /// 一数多源 findings carry the group's provider list on the group's first finding only; copies it to the others
    /// (the first one may be outside the page or, for a compiler, belong to another department).
    /// </summary>
    private async Task AttachSourcesAsync(Guid runId, List<QualityFinding> rows, CancellationToken ct)
    {
        var subjects = rows.Where(f => f.RuleCode == QualityRules.MultipleSources && f.Details is null && f.Subject is not null)
            .Select(f => f.Subject!).Distinct().ToList();
        if (subjects.Count == 0) return;
        var stored = await db.Findings.AsNoTracking()
            .Where(f => f.RunId == runId && f.RuleCode == QualityRules.MultipleSources && f.Details != null && subjects.Contains(f.Subject!))
            .Select(f => new { f.Subject, f.Details }).ToListAsync(ct);
        var bySubject = stored.GroupBy(d => d.Subject!).ToDictionary(g => g.Key, g => g.First().Details);
        foreach (var f in rows)
            if (f.RuleCode == QualityRules.MultipleSources && f.Details is null && f.Subject is { } subject && bySubject.TryGetValue(subject, out var details))
                f.Details = details;
    }

    private IQueryable<QualityFinding> Visible(Guid runId, CatalogActor actor, QualityAccess access)
    {
        var q = db.Findings.AsNoTracking().Where(f => f.RunId == runId);
        if (access != QualityAccess.Full)
        {
            var own = actor.Department?.Id ?? Guid.Empty;
            q = q.Where(f => f.DepartmentId == own);
        }
        return q;
    }

    /// <summary>Report order: rules in catalogue order (a CASE expression in SQL), then as found (by entry code).</summary>
    private static IQueryable<QualityFinding> Ordered(IQueryable<QualityFinding> q) => q.OrderBy(RuleOrderExpression).ThenBy(f => f.Id);

    private static readonly System.Linq.Expressions.Expression<Func<QualityFinding, int>> RuleOrderExpression = BuildRuleOrder();

    private static System.Linq.Expressions.Expression<Func<QualityFinding, int>> BuildRuleOrder()
    {
        var f = System.Linq.Expressions.Expression.Parameter(typeof(QualityFinding), "f");
        var code = System.Linq.Expressions.Expression.Property(f, nameof(QualityFinding.RuleCode));
        System.Linq.Expressions.Expression body = System.Linq.Expressions.Expression.Constant(QualityRules.All.Count);
        for (var i = QualityRules.All.Count - 1; i >= 0; i--)
            body = System.Linq.Expressions.Expression.Condition(
                System.Linq.Expressions.Expression.Equal(code, System.Linq.Expressions.Expression.Constant(QualityRules.All[i].Code)),
                System.Linq.Expressions.Expression.Constant(i), body);
        return System.Linq.Expressions.Expression.Lambda<Func<QualityFinding, int>>(body, f);
    }

    private static int RuleOrder(string code)
    {
        for (var i = 0; i < QualityRules.All.Count; i++) if (QualityRules.All[i].Code == code) return i;
        return int.MaxValue;
    }

    private async Task<List<string>> VisibleScopesAsync(CatalogActor actor, CancellationToken ct)
    {
        var scopes = await db.Runs.AsNoTracking().Select(r => r.Scope).Distinct().ToListAsync(ct);
        return scopes.Where(s => QualityPermissions.AccessTo(actor, s, regions) != QualityAccess.None).ToList();
    }

    internal static FindingDto ToDto(QualityFinding f, Func<CatalogFindingLink, string?>? pageLink)
    {
        var rule = QualityRules.Find(f.RuleCode);
        FindingLinksDto? links = null;
        if (f.EntryId is { } id && f.EntryCode is { } code)
            links = new FindingLinksDto(pageLink?.Invoke(new CatalogFindingLink(id, code, f.Field)), "/api/v1/catalog/resources/" + Uri.EscapeDataString(code));
        return new FindingDto(f.Id, f.RuleCode, rule?.Title ?? f.RuleCode, f.Severity, Severities.Label(f.Severity), f.EntryId, f.EntryCode, f.EntryName,
            f.DepartmentId, f.DepartmentName, f.Field, f.FieldLabel, f.Subject, f.Message, links,
            f.RuleCode == QualityRules.MultipleSources ? MultipleSourceDetails.FromJson(f.Details) : null);
    }

    // ---------------------------------------------------------------- authoritative sources (一数多源 coordination)

    /// <summary>Designated authoritative sources the caller may see (all staff who read reports).</summary>
    public async Task<CatalogResult<List<AuthorityDto>>> AuthoritiesAsync(CatalogActor actor, CancellationToken ct = default)
    {
        if (!QualityPermissions.MayRead(actor)) return CatalogResult<List<AuthorityDto>>.Deny(QualityPermissions.ReadDenied);
        var rows = await db.Authorities.AsNoTracking().OrderBy(a => a.Element).ThenBy(a => a.EntryCode).ToListAsync(ct);
        var ids = rows.Select(r => r.EntryId).ToList();
        var entries = await (from e in catalog.Entries.AsNoTracking()
                             join r in catalog.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id
                             where ids.Contains(e.Id)
                             select new { e.Id, e.DepartmentId, r.Name }).ToListAsync(ct);
        var all = (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);
        return CatalogResult<List<AuthorityDto>>.Success(rows.Select(a =>
        {
            var e = entries.FirstOrDefault(x => x.Id == a.EntryId);
            return new AuthorityDto(a.Element, a.EntryId, a.EntryCode, e?.Name, e is null ? null : all.GetValueOrDefault(e.DepartmentId), a.DesignatedBy, a.DesignatedAt, a.Note);
        }).ToList());
    }

    /// <summary>
    /// Designates a published resource as the authoritative source of a data element. The resource must provide the
    /// element; a reviewer may designate resources of the departments it reviews. Takes effect at the next run.
    /// </summary>
    public async Task<CatalogResult<AuthorityDto>> DesignateAsync(CatalogActor actor, DesignateRequest request, CancellationToken ct = default)
    {
        var (entry, revision, element, failure) = await ResolveAsync(actor, request.Element, request.Resource, ct);
        if (failure is not null) return failure.As<AuthorityDto>();
        if (!revision!.Items.Any(i => DataElements.Match(i.Name, i.FieldCode)?.Name == element!.Name))
            return CatalogResult<AuthorityDto>.Invalid("resource", $"信息资源“{revision.Name}”（{entry!.Code}）的已发布内容中没有数据元“{element!.Name}”对应的信息项");
        var note = request.Note?.Trim();
        if (note is { Length: > 500 }) return CatalogResult<AuthorityDto>.Invalid("note", "说明不能超过500个字");
        var existing = await db.Authorities.FirstOrDefaultAsync(a => a.Element == element!.Name && a.EntryId == entry!.Id, ct);
        if (existing is null)
        {
            existing = new QualityAuthority { Element = element!.Name, EntryId = entry!.Id, EntryCode = entry.Code, DesignatedBy = actor.Name };
            db.Authorities.Add(existing);
        }
        existing.DesignatedBy = actor.Name;
        existing.DesignatedById = actor.UserId;
        existing.DesignatedAt = clock.GetUtcNow().UtcDateTime;
        existing.Note = string.IsNullOrEmpty(note) ? null : note;
        await db.SaveChangesAsync(ct);
        var dept = await departments.FindAsync(entry!.DepartmentId, ct);
        return CatalogResult<AuthorityDto>.Success(new AuthorityDto(existing.Element, existing.EntryId, existing.EntryCode, revision.Name, dept?.Name,
            existing.DesignatedBy, existing.DesignatedAt, existing.Note));
    }

    /// <summary>Withdraws a designation.</summary>
    public async Task<CatalogResult<bool>> RevokeAsync(CatalogActor actor, string? elementText, string? resource, CancellationToken ct = default)
    {
        var element = DataElements.Find(elementText);
        if (element is null) return CatalogResult<bool>.Invalid("element", ElementError(elementText));
        var entry = await FindEntryAsync(resource, ct);
        var authority = entry is null ? null : await db.Authorities.FirstOrDefaultAsync(a => a.Element == element.Name && a.EntryId == entry.Id, ct);
        if (authority is null) return CatalogResult<bool>.Missing();
        if (!QualityPermissions.CanDesignate(actor, await departments.FindAsync(entry!.DepartmentId, ct), regions))
            return CatalogResult<bool>.Deny("只有负责审核该部门目录的目录审核员或平台管理员可以取消权威来源");
        db.Authorities.Remove(authority);
        await db.SaveChangesAsync(ct);
        return CatalogResult<bool>.Success(true);
    }

    private async Task<(CatalogEntry? Entry, ResourceRevision? Revision, DataElement? Element, CatalogResult<object>? Failure)> ResolveAsync(
        CatalogActor actor, string? elementText, string? resource, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var element = DataElements.Find(elementText);
        if (element is null) errors["element"] = [ElementError(elementText)];
        if (string.IsNullOrWhiteSpace(resource)) errors["resource"] = ["请填写信息资源代码或资源 ID"];
        if (errors.Count > 0) return (null, null, null, CatalogResult<object>.Invalid(errors));
        var entry = await FindEntryAsync(resource, ct);
        if (entry is null) return (null, null, null, CatalogResult<object>.Invalid("resource", $"信息资源“{resource!.Trim()}”不存在"));
        if (entry.Status != EntryStatus.Published || entry.PublishedRevisionId is null)
            return (null, null, null, CatalogResult<object>.Invalid("resource", $"信息资源 {entry.Code} 未发布，只有已发布的资源可以指定为权威来源"));
        if (!QualityPermissions.CanDesignate(actor, await departments.FindAsync(entry.DepartmentId, ct), regions))
            return (null, null, null, CatalogResult<object>.Deny("只有负责审核该部门目录的目录审核员（主管部门）或平台管理员可以指定权威来源"));
        var revision = await catalog.Revisions.AsNoTracking().Include(r => r.Items).FirstAsync(r => r.Id == entry.PublishedRevisionId, ct);
        return (entry, revision, element, null);
    }

    private async Task<CatalogEntry?> FindEntryAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        key = key.Trim();
        if (Guid.TryParse(key, out var id)) return await catalog.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (!ResourceCode.TryParse(key, out var code)) return null;
        var text = code.ToString();
        return await catalog.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Code == text, ct);
    }

    private static string ElementError(string? text) => string.IsNullOrWhiteSpace(text)
        ? $"请填写数据元，可选：{string.Join("、", DataElements.All.Select(e => e.Name))}"
        : $"数据元“{text.Trim()}”不在一数多源检查范围内，可选：{string.Join("、", DataElements.All.Select(e => e.Name))}";
}

/// <summary>What a link to a finding's entry needs.</summary>
internal sealed record CatalogFindingLink(Guid EntryId, string Code, string? Field);
