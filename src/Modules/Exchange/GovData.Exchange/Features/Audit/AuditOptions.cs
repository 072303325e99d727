namespace GovData.Exchange.Features.Audit;

/// <summary>Configuration section <c>GovData:Exchange:Audit</c>.</summary>
internal sealed class AuditOptions
{
    public const string Section = "GovData:Exchange:Audit";

    /// <summary>Minutes between two seals (signed checkpoints) by the scheduled job <c>exchange.audit.seal</c> (default 10).</summary>
    public double SealIntervalMinutes { get; set; } = 10;

    /// <summary>Most records one group-commit batch takes (default 1,000).</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Rows per page of the search API at most (default 500).</summary>
    public int MaxPageSize { get; set; } = 500;
}
