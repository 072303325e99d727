using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Quality;

/// <summary>
/// The quality feature's tables (<c>catalog_quality_*</c>, migration 0004). A context of its own so the feature's
/// storage stays beside its code; the catalog itself is read through <see cref="Persistence.CatalogDb"/>.
/// </summary>
internal sealed class QualityDb(DbContextOptions<QualityDb> options) : DbContext(options)
{
    public DbSet<QualityRun> Runs => Set<QualityRun>();
    public DbSet<QualityFinding> Findings => Set<QualityFinding>();
    public DbSet<QualityAuthority> Authorities => Set<QualityAuthority>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<QualityRun>(e =>
        {
            e.ToTable("catalog_quality_runs");
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        b.Entity<QualityFinding>(e =>
        {
            e.ToTable("catalog_quality_findings");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasOne<QualityRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<QualityAuthority>(e =>
        {
            e.ToTable("catalog_quality_authorities");
            e.HasKey(x => new { x.Element, x.EntryId });
        });
        b.UseSnakeCaseNames();
    }
}

/// <summary>Status of a run.</summary>
internal static class RunStatuses
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static string Label(string status) => status switch
    {
        Running => "运行中",
        Succeeded => "已完成",
        Failed => "失败",
        _ => status,
    };
}

/// <summary>How a run was started.</summary>
internal static class RunTriggers
{
    public const string Manual = "manual";
    public const string Scheduled = "scheduled";

    public static string Label(string trigger) => trigger == Scheduled ? "夜间自动校核" : "手动校核";
}

/// <summary>One quality check of a scope: when, by whom, how it went and what it counted.</summary>
internal sealed class QualityRun
{
    public Guid Id { get; set; }
    /// <summary><see cref="QualityScope.Platform"/> or a GB/T 2260 region code (the region and the regions below it).</summary>
    public required string Scope { get; set; }
    public required string ScopeName { get; set; }
    public required string Status { get; set; }
    public required string TriggerKind { get; set; }
    public required string TriggeredBy { get; set; }
    public Guid? TriggeredById { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int EntriesChecked { get; set; }
    public int DepartmentsInScope { get; set; }
    public int FindingsTotal { get; set; }
    public int ErrorCount { get; set; }
    public int WarningCount { get; set; }
    public int InfoCount { get; set; }
    /// <summary>JSON of <see cref="CoverageReport"/>.</summary>
    public string? Coverage { get; set; }
    public string? Error { get; set; }
}

/// <summary>One finding of a run: a rule broken by an entry (or by the scope, for coverage).</summary>
internal sealed class QualityFinding
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public required string RuleCode { get; set; }
    /// <summary><see cref="Severities"/>.</summary>
    public required string Severity { get; set; }
    public Guid? EntryId { get; set; }
    public string? EntryCode { get; set; }
    public string? EntryName { get; set; }
    public Guid? DepartmentId { get; set; }
    public string? DepartmentName { get; set; }
    /// <summary>Field key as in validation errors (<c>shareType</c>, <c>items[2].dataType</c>).</summary>
    public string? Field { get; set; }
    public string? FieldLabel { get; set; }
    /// <summary>What the finding is about beyond the entry: the data element (一数多源), the domain (覆盖度).</summary>
    public string? Subject { get; set; }
    public required string Message { get; set; }
    /// <summary>JSON: for 一数多源 every provider and the authoritative one.</summary>
    public string? Details { get; set; }
}

/// <summary>A resource designated by the competent department as the authoritative source (权威来源) of a data element.</summary>
internal sealed class QualityAuthority
{
    /// <summary>The data element's standard name (<see cref="DataElements"/>).</summary>
    public required string Element { get; set; }
    public Guid EntryId { get; set; }
    public required string EntryCode { get; set; }
    public required string DesignatedBy { get; set; }
    public Guid? DesignatedById { get; set; }
    public DateTime DesignatedAt { get; set; }
    public string? Note { get; set; }
}
