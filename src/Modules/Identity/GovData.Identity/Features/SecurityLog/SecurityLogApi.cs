using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Features.Users;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.SecurityLog;

internal sealed record SecurityEventDto(long Id, DateTime OccurredAt, string EventType, string EventName, Guid? ActorId, string? ActorName,
    Guid? SubjectUserId, Guid? DepartmentId, string? IpAddress, bool Success, string? Detail);

internal sealed record SecurityLogQuery(DateTime? From, DateTime? To, string? Type, string? Actor, bool? Success);

/// <summary>Read-only access to the security log. There is deliberately no endpoint that changes or deletes entries.</summary>
internal static class SecurityLogApi
{
    public static RouteGroupBuilder MapSecurityLogApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/security-events").WithTags("安全日志").RequireAuthorization(Policies.ReadAuditLog);
        g.MapGet("/", List).WithSummary("查询安全日志（只读）");
        g.MapGet("/export", Export).WithSummary("导出安全日志 CSV");
        return g;
    }

    internal static IQueryable<SecurityEvent> Filter(IdentityDb db, SecurityLogQuery q)
    {
        var query = db.SecurityEvents.AsNoTracking();
        if (q.From is { } from) query = query.Where(e => e.OccurredAt >= from.ToUniversalTime());
        if (q.To is { } to) query = query.Where(e => e.OccurredAt < to.ToUniversalTime());
        if (!string.IsNullOrWhiteSpace(q.Type)) query = query.Where(e => e.EventType == q.Type);
        if (!string.IsNullOrWhiteSpace(q.Actor)) query = query.Where(e => e.ActorName != null && e.ActorName.Contains(q.Actor));
        if (q.Success is { } s) query = query.Where(e => e.Success == s);
        return query;
    }

    internal static SecurityEventDto ToDto(SecurityEvent e) => new(e.Id, e.OccurredAt, e.EventType, SecurityEventTypes.DisplayName(e.EventType),
        e.ActorId, e.ActorName, e.SubjectUserId, e.DepartmentId, e.IpAddress, e.Success, e.Detail);

    private static async Task<Ok<PagedResult<SecurityEventDto>>> List(IdentityDb db, DateTime? from, DateTime? to, string? type, string? actor,
        bool? success, int page = 1, int pageSize = 100, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 1000);
        var query = Filter(db, new SecurityLogQuery(from, to, type, actor, success));
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new PagedResult<SecurityEventDto>(items.Select(ToDto).ToList(), total, page, pageSize));
    }

    private static async Task<FileContentHttpResult> Export(IdentityDb db, DateTime? from, DateTime? to, string? type, string? actor, bool? success, CancellationToken ct)
    {
        var items = await Filter(db, new SecurityLogQuery(from, to, type, actor, success)).OrderBy(e => e.Id).Take(100_000).ToListAsync(ct);
        var rows = new List<IReadOnlyList<string>> { new[] { "序号", "时间(UTC)", "事件", "操作人", "对象用户", "部门", "IP", "结果", "说明" } };
        rows.AddRange(items.Select(e => (IReadOnlyList<string>)[e.Id.ToString(), e.OccurredAt.ToString("yyyy-MM-dd HH:mm:ss"),
            SecurityEventTypes.DisplayName(e.EventType), e.ActorName ?? "", e.SubjectUserId?.ToString() ?? "", e.DepartmentId?.ToString() ?? "",
            e.IpAddress ?? "", e.Success ? "成功" : "失败", e.Detail ?? ""]));
        using var ms = new MemoryStream();
        TabularFile.WriteCsv(ms, rows);
        return TypedResults.File(ms.ToArray(), "text/csv; charset=utf-8", $"安全日志-{DateTime.UtcNow:yyyyMMddHHmm}.csv");
    }
}
