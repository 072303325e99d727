using System.Text.Json;
using GovData.Data.Persistence;

namespace GovData.Data.Features.Loading;

/// <summary>Errors per rule.</summary>
internal sealed record RuleCountDto(string Rule, string Label, long Count);

/// <summary>One stored error.</summary>
internal sealed record LoadErrorDto(long Row, string? Column, string? Value, string Rule, string RuleLabel, string Message);

/// <summary>Options of a load as submitted.</summary>
internal sealed record LoadOptionsDto(
    IReadOnlyDictionary<string, string>? Mapping, IReadOnlyList<string>? NullMarkers, string Threshold, string? Format, string? Encoding,
    string? Delimiter, string? Sheet);

/// <summary>A load: progress while it runs, report when it ended.</summary>
internal sealed record LoadDto(
    Guid Id, string ResourceCode, string ResourceName, string Mode, string ModeLabel, string Source, string FileName, long FileSize,
    string? Format, string? Detected, string Status, string StatusLabel, int? VersionNumber,
    long RowsRead, long RowsLoaded, long RowsRejected, long BytesRead, long BytesTotal, double? Percent, double? RowsPerSecond,
    string? Message, string? RequestedBy, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, bool CancelRequested,
    LoadOptionsDto Options, IReadOnlyList<RuleCountDto> Rules, string? RejectedRowsUrl, IReadOnlyList<LoadErrorDto>? Errors);

internal static class LoadMapping
{
    public static string StatusLabel(LoadStatus s) => s switch
    {
        LoadStatus.Queued => "排队中",
        LoadStatus.Running => "加载中",
        LoadStatus.Succeeded => "已完成",
        LoadStatus.Rejected => "已拒绝",
        LoadStatus.Failed => "失败",
        LoadStatus.Cancelled => "已取消",
        LoadStatus.Staged => "待确认映射",
        _ => s.ToString(),
    };

    public static string SourceLabel(LoadSource s) => s switch
    {
        LoadSource.Console => "控制台",
        LoadSource.Api => "接口",
        LoadSource.Cli => "命令行",
        LoadSource.Demo => "演示数据",
        _ => s.ToString(),
    };

    public static IReadOnlyList<RuleCountDto> Rules(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        var counts = JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
        return counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new RuleCountDto(c.Key, LoadRules.Label(c.Key), c.Value)).ToList();
    }

    public static LoadDto ToDto(DataLoad l, DataResource r, int? versionNumber, IReadOnlyList<DataLoadError>? errors, DateTime now)
    {
        var o = LoadOptions.FromJson(l.OptionsJson);
        var threshold = ErrorThreshold.Parse(o.Threshold, out _) ?? ErrorThreshold.Default;
        double? percent = l.Status == LoadStatus.Succeeded ? 100 : l.BytesTotal > 0 ? Math.Round(100.0 * l.BytesRead / l.BytesTotal, 1) : null;
        var end = l.FinishedAt ?? (l.Status == LoadStatus.Running ? l.ProgressAt ?? now : null);
        double? rate = l.StartedAt is { } start && end is { } e && (e - start).TotalSeconds > 0.001 ? Math.Round(l.RowsRead / (e - start).TotalSeconds, 1) : null;
        return new LoadDto(l.Id, r.ResourceCode, r.ResourceName, DataDb.DbText(l.Mode), LoadOptions.ModeLabel(l.Mode), SourceLabel(l.Source), l.FileName,
            l.FileSize, l.Format, l.Detected, DataDb.DbText(l.Status), StatusLabel(l.Status), versionNumber,
            l.RowsRead, l.RowsLoaded, l.RowsRejected, l.BytesRead, l.BytesTotal, percent, rate, l.Message, l.RequestedByName, l.CreatedAt, l.StartedAt,
            l.FinishedAt, l.CancelRequested,
            new LoadOptionsDto(o.Mapping, o.NullMarkers, threshold.Describe(), o.Format is { } f ? DataDb.DbText(f) : null, o.Encoding,
                o.Delimiter is { } d ? (d == '\t' ? "\\t" : d.ToString()) : null, o.Sheet),
            Rules(l.RuleCountsJson), l.RejectedPath is not null && l.IsFinished ? $"/api/v1/data/loads/{l.Id}/rejected" : null,
            errors?.Select(x => new LoadErrorDto(x.RowNumber, x.Field, x.Value, x.Rule, LoadRules.Label(x.Rule), x.Message)).ToList());
    }
}
