namespace GovData.Data.Contracts;

/// <summary>A resource's current version as a policy shows it.</summary>
/// <param name="ResourceCode">资源代码 (<c>303026010201/1</c>).</param>
/// <param name="ResourceName">资源名称.</param>
/// <param name="ProviderDepartmentId">The providing department.</param>
/// <param name="Version">Version number.</param>
/// <param name="RowCount">Rows of the version (all rows, before the policy's row conditions).</param>
/// <param name="LoadedAt">When the version was loaded (UTC).</param>
/// <param name="Fields">The allowed fields, in column order.</param>
public sealed record DataResourceDescription(
    string ResourceCode, string ResourceName, Guid ProviderDepartmentId, int Version, long RowCount, DateTime? LoadedAt,
    IReadOnlyList<DataFieldDescription> Fields);

/// <summary>A field as a caller sees it.</summary>
/// <param name="Name">API name: the item's field code, or its Chinese name when it has none.</param>
/// <param name="ItemName">信息项名称.</param>
/// <param name="Type"><c>text</c>, <c>decimal</c>, <c>double</c>, <c>integer</c>, <c>date</c>, <c>timestamp</c> or <c>boolean</c>
/// (masked values are always text).</param>
/// <param name="Masked">Values are masked for this caller.</param>
/// <param name="IsKey">A key item (核验 and change feeds look rows up by the key items).</param>
public sealed record DataFieldDescription(string Name, string ItemName, string Type, bool Masked, bool IsKey);

/// <summary>A page of rows.</summary>
/// <param name="ResourceCode">资源代码.</param>
/// <param name="Version">The version read.</param>
/// <param name="LoadedAt">Its load time (UTC).</param>
/// <param name="Fields">The fields of <paramref name="Rows"/>, in order.</param>
/// <param name="Rows">One value per field: string, decimal, double, long, DateOnly, DateTime (local time as loaded, Kind
/// Unspecified), bool or null; masked values are strings.</param>
/// <param name="Total">Rows matching the filters and the policy, when asked for (<c>count=true</c>, the default).</param>
/// <param name="Limit">Page size used.</param>
/// <param name="Offset">Rows skipped.</param>
/// <param name="Next">Keyset cursor of the next page (<c>after=</c>), null on the last page.</param>
public sealed record GovernedRowPage(
    string ResourceCode, int Version, DateTime? LoadedAt, IReadOnlyList<DataFieldDescription> Fields,
    IReadOnlyList<IReadOnlyList<object?>> Rows, long? Total, int Limit, int Offset, string? Next);
