using GovData.Catalog.Contracts;

namespace GovData.Data.Contracts;

/// <summary>The size of a resource's current data: its catalog entry, code and the row count of the current version.</summary>
/// <param name="EntryId">Catalog entry id.</param>
/// <param name="ResourceCode">资源代码 (<c>303026010201/1</c>).</param>
/// <param name="RowCount">Rows of the current (ready) version.</param>
public sealed record DataVolume(Guid EntryId, string ResourceCode, long RowCount);

/// <summary>
/// Totals for overviews (the open portal's home page): one statement over the Data module's own tables, without reading
/// any rows. Row counts only — no field, value or policy is involved, so no <see cref="AccessPolicy"/> is needed.
/// </summary>
public interface IDataVolumes
{
    /// <summary>Every resource that has a current, ready version, with that version's row count.</summary>
    Task<IReadOnlyList<DataVolume>> CurrentAsync(CancellationToken ct = default);

    /// <summary>
    /// A resource's public update record: when its current data changed (full loads and rollbacks, newest first, at most
    /// <paramref name="take"/>) and its 更新及时性 under <paramref name="cycle"/> (the catalog's 更新周期) at
    /// <paramref name="nowUtc"/> — the same rule the Data console applies. A resource without data is 未加载.
    /// </summary>
    Task<DataUpdateHistory> HistoryAsync(Guid entryId, UpdateCycle? cycle, DateTime nowUtc, int take = 20, CancellationToken ct = default);
}

/// <summary>One change of the current data.</summary>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Version">The version that became current.</param>
/// <param name="RowCount">Its rows.</param>
/// <param name="Rollback">True when an earlier version was re-activated (回退), false for a load.</param>
public sealed record DataUpdate(DateTime At, int Version, long RowCount, bool Rollback);

/// <summary>Update record and timeliness of a resource's data.</summary>
/// <param name="Status">按时, 逾期 or 未加载.</param>
/// <param name="Overdue">True when <paramref name="Status"/> is 逾期.</param>
/// <param name="DueAt">When the data is (or was) due again (UTC); null when the cycle sets no deadline or nothing is loaded.</param>
/// <param name="Description">A Chinese sentence explaining the status.</param>
/// <param name="LoadedAt">Last load of the current version (UTC; incremental loads included).</param>
/// <param name="Updates">Changes of the current data, newest first.</param>
public sealed record DataUpdateHistory(string Status, bool Overdue, DateTime? DueAt, string Description, DateTime? LoadedAt, IReadOnlyList<DataUpdate> Updates);
