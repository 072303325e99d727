using System.Globalization;
using System.Security.Claims;
using GovData.Exchange.Features.Audit.Pages;
using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Features.Pages;

/// <summary>
/// Console pages of the exchange (共享交换) for consumers, providers and the competent department: navigation (role-appropriate)
/// and the small helpers the pages share. The pages call the sharing, dispute and application services; no rule lives here.
/// </summary>
internal static class ExchangePages
{
    public const string Section = "共享交换";
    public const string Root = "/console/exchange";

    /// <summary>用数人员 or 部门管理员 of a department (consumer side).</summary>
    public static bool IsConsumer(ClaimsPrincipal u) => u.GetDepartmentId() is not null && (u.IsInRole(Roles.DataUser) || u.IsInRole(Roles.DepartmentAdmin));

    /// <summary>部门管理员 (provider side).</summary>
    public static bool IsProvider(ClaimsPrincipal u) => u.GetDepartmentId() is not null && u.IsInRole(Roles.DepartmentAdmin);

    /// <summary>目录审核员 or 平台管理员 (competent department).</summary>
    public static bool IsCompetent(ClaimsPrincipal u) => u.IsInRole(Roles.CatalogReviewer) || u.IsInRole(Roles.PlatformAdmin);

    internal static readonly ConsoleNavItem[] Navigation =
    [
        new(Section, "共享目录", Root + "/catalog", 400, IsConsumer),
        new(Section, "我的申请", Root + "/requests", 401, IsConsumer),
        new(Section, "我的授权", Root + "/grants", 402, IsConsumer),
        new(Section, "应用与密钥", Root + "/apps", 403, IsConsumer),
        new(Section, "使用情况", Root + "/usage", 404, IsConsumer),
        new(Section, "审批队列", Root + "/review", 410, IsProvider),
        new(Section, "已发授权", Root + "/issued", 411, IsProvider),
        new(Section, "数据异议", Root + "/disputes", 412, u => IsConsumer(u) || IsProvider(u)),
        new(Section, "交换总览", Root + "/overview", 420, IsCompetent),
        new(Section, "合规审查与协调", Root + "/competent", 421, IsCompetent),
        new(Section, "工作日历", Root + "/calendar", 422, IsCompetent),
    ];

    public static IServiceCollection AddExchangePages(this IServiceCollection services)
    {
        foreach (var item in Navigation) services.AddSingleton(item);
        services.AddSingleton<IDemoSeeder, Demo.ExchangeDemoSeeder>();
        return services;
    }

    public static string Time(DateTime? utc) => AuditUi.Time(utc);

    public static string Day(DateOnly? day) => day is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    public static string OrDash(string? s) => string.IsNullOrWhiteSpace(s) ? "—" : s;

    public static string Link(string path, params (string Key, string? Value)[] query) => AuditUi.Link(path, query);

    public static string StatusBadge(string status) => status switch
    {
        "approved" or "active" or "corrected" => "badge-ok",
        "pending_compliance" or "pending_provider" or "open" or "draft" => "badge-accent",
        "expired" or "withdrawn" => "badge-warn",
        _ => "badge-err",
    };

    /// <summary>剩余 N 个工作日 / 已逾期 N 个工作日, for lists and details.</summary>
    public static IHtmlContent Timer(TimerDto? t)
    {
        if (t is null) return new HtmlString("<span class=\"muted\">—</span>");
        var text = t.Overdue
            ? $"<span class=\"badge badge-err\">已逾期</span> {t.PhaseLabel}超期 {t.WorkingDaysOverdue} 个工作日（期限 {Day(t.DueOn)}）"
            : $"{t.PhaseLabel}剩余 <strong>{t.WorkingDaysLeft}</strong> 个工作日（期限 {Day(t.DueOn)}）";
        return new HtmlString(text);
    }

    /// <summary>Splits a text box of values (one per line, or separated by commas / 、 / ；).</summary>
    public static List<string?> Values(string? text) => (text ?? "")
        .Split(['\n', '\r', ',', '，', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(v => (string?)v).ToList();
}

/// <summary>Base of the exchange pages: the caller as the sharing rules see it, errors, and how a service result becomes a page response.</summary>
internal abstract class ExchangePageModel : PageModel
{
    public FormErrors Errors { get; } = new();

    /// <summary>The form whose errors are shown (pages with several forms).</summary>
    public string? FailedForm { get; protected set; }

    protected Task<SharingActor> ActorAsync(CancellationToken ct) =>
        SharingActor.FromPrincipalAsync(User, HttpContext.RequestServices.GetRequiredService<IDepartmentDirectory>(), ct);

    /// <summary>
    /// A failed operation: null when the page should be shown again with field errors (<see cref="Errors"/> filled);
    /// otherwise 404, the access-denied page, or (state conflict) a redirect back with the reason as an error message.
    /// </summary>
    protected IActionResult? Failure<T>(SharingResult<T> result, string back)
    {
        if (result.Errors is { } e)
        {
            Errors.AddRange(e);
            return null;
        }
        if (result.NotFound) return NotFound();
        if (result.Forbidden is { } f)
        {
            TempData["Error"] = f;
            return Forbid();
        }
        TempData["Error"] = result.Conflict;
        return Redirect(back);
    }
}
