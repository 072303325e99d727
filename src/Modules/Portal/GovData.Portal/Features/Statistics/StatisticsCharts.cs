using System.Text.Json.Nodes;
using GovData.Portal.Features.Datasets;

namespace GovData.Portal.Features.Statistics;

/// <summary>
/// The chart data of the statistics pages for <c>/js/charts.js</c> (embedded in the page as JSON; the tables next to the
/// charts carry the same numbers, so the pages work without JavaScript).
/// </summary>
internal static class StatisticsCharts
{
    /// <summary>Display names of the measures.</summary>
    public const string Views = "浏览", Downloads = "下载", Calls = "接口调用";

    private static readonly (string Name, string Color) ViewSeries = (Views, "#1d4ed8"), DownloadSeries = (Downloads, "#15803d"), CallSeries = (Calls, "#b45309");

    private static JsonArray Array<T>(IEnumerable<T> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject Series((string Name, string Color) s, IEnumerable<long> data, string? type = null)
    {
        var o = new JsonObject { ["name"] = s.Name, ["color"] = s.Color, ["data"] = Array(data) };
        if (type is not null) o["type"] = type;
        return o;
    }

    /// <summary>Views, downloads and calls per day (lines).</summary>
    public static JsonObject Trend(IReadOnlyList<DailyUsage> daily) => new()
    {
        ["categories"] = Array(daily.Select(d => d.Day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
        ["series"] = new JsonArray(
            Series(ViewSeries, daily.Select(d => d.Figures.Views), "line"),
            Series(DownloadSeries, daily.Select(d => d.Figures.Downloads), "line"),
            Series(CallSeries, daily.Select(d => d.Figures.Calls), "line")),
    };

    private static JsonObject Bars(IReadOnlyList<string> labels, IReadOnlyList<UsageFigures> figures) => new()
    {
        ["categories"] = Array(labels),
        ["series"] = new JsonArray(
            Series(ViewSeries, figures.Select(f => f.Views)),
            Series(DownloadSeries, figures.Select(f => f.Downloads)),
            Series(CallSeries, figures.Select(f => f.Calls))),
    };

    /// <summary>The whole statistics page: <c>trend</c>, <c>datasets</c>, <c>departments</c>, <c>formats</c>.</summary>
    public static string Report(StatisticsReport r)
    {
        var json = new JsonObject { ["trend"] = Trend(r.Daily) };
        if (r.TopDatasets.Count > 0)
            json["datasets"] = Bars(r.TopDatasets.Take(10).Select(StatisticsText.DatasetName).ToList(), r.TopDatasets.Take(10).Select(d => d.Figures).ToList());
        if (r.Departments.Count > 0)
            json["departments"] = Bars(r.Departments.Take(15).Select(StatisticsText.DepartmentName).ToList(), r.Departments.Take(15).Select(d => d.Figures).ToList());
        if (r.Formats.Any(f => f.Downloads > 0))
            json["formats"] = new JsonArray(r.Formats.Where(f => f.Downloads > 0)
                .Select(f => (JsonNode)new JsonObject { ["name"] = StatisticsText.Format(f.Format), ["value"] = f.Downloads }).ToArray());
        return json.ToJsonString(DatasetModel.ScriptJson);
    }

    /// <summary>A dataset's trend: <c>usage</c>.</summary>
    public static string Dataset(DatasetTrend t) => new JsonObject { ["usage"] = Trend(t.Daily) }.ToJsonString(DatasetModel.ScriptJson);
}

/// <summary>Labels of the statistics pages.</summary>
internal static class StatisticsText
{
    public static string DatasetName(DatasetUsageRow r) => r.Dataset?.Name ?? "（已不在开放目录中的数据集）";

    public static string DepartmentName(DepartmentUsageRow r) => r.Department?.Name ?? "（已撤销的部门）";

    public static string Format(string kind) => kind switch
    {
        "csv" => "CSV",
        "xlsx" => "Excel（XLSX）",
        "json" => "JSON",
        "xml" => "XML",
        _ => kind,
    };
}
