namespace GovData.Catalog.Features.Quality;

/// <summary>A quality run as the API shows it.</summary>
internal sealed record QualityRunDto(
    Guid Id, string Scope, string ScopeName, string Status, string StatusText, string Trigger, string TriggerText, string TriggeredBy,
    DateTime StartedAt, DateTime? FinishedAt, int EntriesChecked, int DepartmentsInScope, int FindingsTotal, int Errors, int Warnings, int Infos,
    string? Error)
{
    public static QualityRunDto From(QualityRun r) => new(r.Id, r.Scope, r.ScopeName, r.Status, RunStatuses.Label(r.Status), r.TriggerKind,
        RunTriggers.Label(r.TriggerKind), r.TriggeredBy, r.StartedAt, r.FinishedAt, r.EntriesChecked, r.DepartmentsInScope, r.FindingsTotal,
        r.ErrorCount, r.WarningCount, r.InfoCount, r.Error);
}

/// <summary>Counts of one rule in a run (over what the caller may see).</summary>
internal sealed record RuleSummaryDto(string Code, string Indicator, string Title, string Description, int Total, int Errors, int Warnings, int Infos);

/// <summary>Links of a finding's entry: the console page when the host has one, and the API resource.</summary>
internal sealed record FindingLinksDto(string? Page, string Api);

/// <summary>One finding.</summary>
internal sealed record FindingDto(
    long Id, string RuleCode, string RuleTitle, string Severity, string SeverityText, Guid? EntryId, string? EntryCode, string? EntryName,
    Guid? DepartmentId, string? DepartmentName, string? Field, string? FieldLabel, string? Subject, string Message, FindingLinksDto? Links,
    MultipleSourceDetails? Sources);

/// <summary>The findings of one rule (the page of findings the query asked for).</summary>
internal sealed record RuleFindingsDto(string Code, string Indicator, string Title, IReadOnlyList<FindingDto> Findings);

/// <summary>Filter of a report's findings.</summary>
internal sealed record FindingQuery(string? Rule = null, string? Severity = null, Guid? DepartmentId = null, string? Keyword = null,
    int Page = 1, int PageSize = 200)
{
    public const int MaxPageSize = 2000;
}

/// <summary>
/// A run's report: the run, coverage, the summary per rule and the findings grouped by rule. <c>Visibility</c> says
/// whether the caller sees all findings or only those of its department.
/// </summary>
internal sealed record QualityReportDto(
    QualityRunDto Run, string Visibility, CoverageReport? Coverage, IReadOnlyList<RuleSummaryDto> Summary, int Matched, int Page, int PageSize,
    IReadOnlyList<RuleFindingsDto> Findings);

/// <summary>Start a run; <c>scope</c> = “platform” or a GB/T 2260 region code (default: the caller's own scope).</summary>
internal sealed record StartRunRequest(string? Scope);

/// <summary>Designate a resource as the authoritative source of a data element.</summary>
internal sealed record DesignateRequest(string? Element, string? Resource, string? Note);

/// <summary>A designated authoritative source.</summary>
internal sealed record AuthorityDto(string Element, Guid EntryId, string EntryCode, string? EntryName, string? DepartmentName, string DesignatedBy,
    DateTime DesignatedAt, string? Note);

/// <summary>A rule of the catalogue.</summary>
internal sealed record RuleDto(string Code, string Indicator, string Title, string Description);

/// <summary>A scope the caller may check.</summary>
internal sealed record ScopeDto(string Code, string Name);
