namespace GovData.Data.Contracts;

/// <summary>What happened to a row between two versions.</summary>
public enum DataChangeKind
{
    /// <summary>新增: the key is new (or the row entered the policy's row conditions).</summary>
    Added = 1,
    /// <summary>变更: an allowed field's value changed.</summary>
    Changed = 2,
    /// <summary>删除: the key is gone (or the row left the policy's row conditions).</summary>
    Removed = 3,
}

/// <summary>One change.</summary>
/// <param name="Kind">Added, changed or removed.</param>
/// <param name="Key">The key values (key fields in column order, as stored: a feed needs keys the caller may see unmasked).</param>
/// <param name="Values">The new row (one value per <see cref="DataChangePage.Fields"/>) for added and changed rows; null for removed ones.</param>
public sealed record DataChange(DataChangeKind Kind, IReadOnlyList<object?> Key, IReadOnlyList<object?>? Values);

/// <summary>A page of the change feed.</summary>
/// <param name="ResourceCode">资源代码.</param>
/// <param name="FromVersion">The version the changes start from (0: nothing, the initial copy).</param>
/// <param name="ToVersion">The version the changes lead to.</param>
/// <param name="Fields">The fields of <see cref="DataChange.Values"/>.</param>
/// <param name="KeyFields">The fields of <see cref="DataChange.Key"/>.</param>
/// <param name="Changes">The changes, ordered by key.</param>
/// <param name="Cursor">Pass back to continue; stays the same when nothing new has happened.</param>
/// <param name="UpToDate">True when the cursor has reached the current version (no more changes for now).</param>
/// <param name="Reset">True when the copy must be rebuilt: the version the cursor stood on was changed in place (an append
/// or upsert load) or is no longer kept; this page starts again from nothing (version 0).</param>
public sealed record DataChangePage(
    string ResourceCode, int FromVersion, int ToVersion, IReadOnlyList<DataFieldDescription> Fields, IReadOnlyList<DataFieldDescription> KeyFields,
    IReadOnlyList<DataChange> Changes, string Cursor, bool UpToDate, bool Reset);
