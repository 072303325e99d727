using System.Globalization;
using GovData.Portal.Persistence;

namespace GovData.Portal.Features.Feedback;

/// <summary>Display texts of the feedback loops.</summary>
internal static class FeedbackText
{
    public static string Status(FeedbackStatus status, string kind) => status switch
    {
        FeedbackStatus.Pending => "待处理",
        FeedbackStatus.Answered => "已答复",
        FeedbackStatus.Accepted => kind == FeedbackKinds.Demand ? "已采纳（计划开放）" : "已采纳（已更正）",
        FeedbackStatus.Rejected => "不予采纳",
        _ => status.ToString(),
    };

    public static string Badge(FeedbackStatus status) => status switch
    {
        FeedbackStatus.Pending => "badge-cond",
        FeedbackStatus.Rejected => "badge-mask",
        _ => "badge-open",
    };

    /// <summary>A stored UTC time as local date and time.</summary>
    public static string Time(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Stars(double average) => average.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>State of the feedback forms of a dataset: entered values and the error to show next to a field.</summary>
internal sealed record FeedbackForms(string Package, Catalog.Contracts.OpenDataset Dataset)
{
    public string? Form { get; init; }
    public string? ErrorField { get; init; }
    public string? Error { get; init; }
    public string? Body { get; init; }
    public string? FieldName { get; init; }
    public string? RecordRef { get; init; }
    public string? Description { get; init; }
    public int? Score { get; init; }

    public string Action(string handler) => $"/portal/datasets/{Package}/feedback?handler={handler}";

    public string? ErrorFor(string form, string field) => Form == form && (ErrorField == field) ? Error : null;

    public string? FormError(string form) => Form == form && ErrorField is null ? Error : null;
}
