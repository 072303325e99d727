using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Portal.Features.Shared;

namespace GovData.Portal.Features.Open;

/// <summary>How the public may get a dataset's rows.</summary>
internal enum OpenRowsAccess
{
    /// <summary>无条件开放 with loaded data: preview, downloads, open API, <c>datastore_search</c> (always masked).</summary>
    Open,
    /// <summary>有条件开放: rows only after an application is approved (需申请); none of the open interfaces serves them.</summary>
    Apply,
    /// <summary>无条件开放 without data yet (not loaded, or a file/service resource without information items).</summary>
    NoData,
}

/// <summary>
/// The rows of open datasets for the public, through the Data module's contract <see cref="IGovernedDataAccess"/> only,
/// with one policy: every field and row, <b>masked</b> (<see cref="Public"/>) — whoever calls, platform staff included,
/// since the portal is the public channel. Only 无条件开放 datasets are served; 有条件开放 rows are refused here (the
/// application and grant flow serves them elsewhere).
/// </summary>
internal sealed class OpenData(IOpenCatalog catalog, IGovernedDataAccess data, OpenAccessSettings settings)
{
    /// <summary>The one policy of the portal: everything, masked.</summary>
    public static readonly AccessPolicy Public = AccessPolicy.Everything(raw: false);

    /// <summary>The open dataset of a package name (<c>303026010201-1</c>), or null.</summary>
    public async Task<OpenDataset?> FindAsync(string name, CancellationToken ct) =>
        PortalNames.TryParsePackage(name, out var code) ? await catalog.FindAsync(code, ct) : null;

    /// <summary>The data as the public sees it (null for 有条件开放 and for datasets without data).</summary>
    public async Task<(OpenRowsAccess Access, DataResourceDescription? Description)> DescribeAsync(OpenDataset dataset, CancellationToken ct)
    {
        if (dataset.OpenType != OpenType.Unconditional) return (OpenRowsAccess.Apply, null);
        var description = await data.DescribeAsync(dataset.Code, Public, ct);
        return description is null ? (OpenRowsAccess.NoData, null) : (OpenRowsAccess.Open, description);
    }

    /// <summary>Chinese explanation for 有条件开放 (the portal shows 需申请).</summary>
    public static string ApplyMessage(OpenDataset dataset) =>
        $"数据集“{dataset.Name}”为有条件开放（开放条件：{(string.IsNullOrWhiteSpace(dataset.OpenCondition) ? "见数据集页面" : dataset.OpenCondition)}），"
        + "数据须向提供部门申请（需申请），获批后在约定范围和期限内使用；开放接口、文件下载和 datastore_search 不提供其数据。";

    /// <summary>
    /// A page of masked rows (the Data rows API syntax). A <c>limit</c> above <see cref="OpenAccessSettings.MaxRows"/> is
    /// refused naming <c>limit</c>; without one the page has <see cref="OpenAccessSettings.MaxRows"/> rows at most.
    /// </summary>
    public Task<GovernedRowPage> QueryAsync(OpenDataset dataset, IEnumerable<KeyValuePair<string, string?>> query, CancellationToken ct,
        AccessPolicy? policy = null)
    {
        var pairs = query.ToList();
        foreach (var (key, value) in pairs)
            if (key.Equals("limit", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit > settings.MaxRows)
                throw new DataAccessException(DataAccessErrorKind.InvalidRequest, "limit", $"参数 limit 的值 {limit} 超出上限：开放接口每页最多 {settings.MaxRows} 行（可用 offset 或 after 翻页）");
        // policy: a 有条件开放 grant's items and row scope (never raw: see OpenApply/ConditionalAccess), else the public one.
        return data.QueryAsync(dataset.Code, policy is null ? Public : policy with { Raw = false }, pairs, settings.MaxRows, ct);
    }

    /// <summary>A masked export of the whole (filtered) current version, checked and ready to stream. CSV is UTF-8 with BOM.</summary>
    public Task<GovernedExport> ExportAsync(OpenDataset dataset, DataExportFormat format, IEnumerable<KeyValuePair<string, string?>> query, CancellationToken ct,
        AccessPolicy? policy = null) =>
        data.PrepareExportAsync(dataset.Code, policy is null ? Public : policy with { Raw = false }, new DataExportRequest(format, Bom: format == DataExportFormat.Csv), query, ct);

    /// <summary>File formats offered for download, by their lower-case name.</summary>
    public static readonly IReadOnlyDictionary<string, DataExportFormat> Formats = new Dictionary<string, DataExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["csv"] = DataExportFormat.Csv,
        ["xlsx"] = DataExportFormat.Xlsx,
        ["json"] = DataExportFormat.Json,
        ["xml"] = DataExportFormat.Xml,
    };

    /// <summary>A value as JSON wants it: decimals without trailing zeros (both engines give the same), the rest as it is.</summary>
    public static object? JsonValueOf(object? value) => value switch
    {
        decimal d => d / 1.000000000000000000000000000000000m,
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>A value as the preview table shows it.</summary>
    public static string Display(object? value) => value switch
    {
        null => "",
        bool b => b ? "是" : "否",
        decimal d => (d / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        double x => x.ToString("G", CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
