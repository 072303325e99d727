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
}
