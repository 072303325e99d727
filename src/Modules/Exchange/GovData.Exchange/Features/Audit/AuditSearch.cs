using System.Globalization;
using System.Reflection;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Audit;

/// <summary>Chinese names of the kinds and outcomes of <see cref="AuditKinds"/> / <see cref="AuditOutcomes"/>.</summary>
internal static class AuditTerms
{
    /// <summary>Every kind code declared in <see cref="AuditKinds"/> (read by reflection, so kinds added there appear here).</summary>
    public static IReadOnlyList<string> Kinds { get; } = Constants(typeof(AuditKinds));

    /// <summary>Every outcome code declared in <see cref="AuditOutcomes"/>.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = Constants(typeof(AuditOutcomes));

    public static string KindName(string kind) => kind switch
    {
        AuditKinds.Query => "数据查询",
        AuditKinds.Verify => "核验",
        AuditKinds.File => "文件交付",
        AuditKinds.Feed => "订阅同步",
        AuditKinds.RequestChanged => "共享申请变更",
        AuditKinds.GrantChanged => "授权变更",
        AuditKinds.DisputeChanged => "数据异议变更",
        AuditKinds.Open => "有条件开放数据读取",
        _ => kind,
    };

    public static string OutcomeName(string outcome) => outcome switch
    {
        AuditOutcomes.Ok => "成功",
        AuditOutcomes.Denied => "拒绝（无权）",
        AuditOutcomes.Unauthenticated => "拒绝（认证失败）",
        AuditOutcomes.Throttled => "拒绝（超出配额或频率）",
        AuditOutcomes.Invalid => "请求无效",
        AuditOutcomes.Error => "出错",
        _ => outcome,
    };

    /// <summary>CSS badge class of an outcome.</summary>
    public static string OutcomeBadge(string outcome) => outcome switch
    {
        AuditOutcomes.Ok => "badge-ok",
        AuditOutcomes.Invalid or AuditOutcomes.Throttled => "badge-warn",
        _ => "badge-err",
    };

    private static IReadOnlyList<string> Constants(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
}

/// <summary>Filters of a log search (API, pages and export share them).</summary>
/// <param name="From">Inclusive lower bound of the log time (UTC).</param>
/// <param name="To">Exclusive upper bound (UTC).</param>
/// <param name="Department">Consumer or provider department.</param>
/// <param name="Resource">Resource code prefix.</param>
/// <param name="Kind">Exact kind.</param>
/// <param name="Outcome">Exact outcome.</param>
/// <param name="Grant">Grant id.</param>
internal sealed record AuditQuery(DateTime? From = null, DateTime? To = null, Guid? Department = null, string? Resource = null,
    string? Kind = null, string? Outcome = null, Guid? Grant = null)
{
    /// <summary>
    /// Parses the text parameters. Times: a date <c>2026-01-31</c> (server time zone; <c>from</c> = start of that day,
    /// <c>to</c> = end of that day), or a time <c>2026-01-31T08:00:00+08:00</c> / <c>…Z</c> (<c>to</c> exclusive; without
    /// offset: server time zone). Errors are keyed by parameter name, in Chinese.
    /// </summary>
    public static AuditQuery Parse(string? from, string? to, string? department, string? resource, string? kind, string? outcome, string? grant,
        Dictionary<string, string[]> errors, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        var fromTime = ParseTime("from", from, endOfDay: false, zone, errors);
        var toTime = ParseTime("to", to, endOfDay: true, zone, errors);
        if (fromTime is { } f && toTime is { } t && t <= f) errors["to"] = ["结束时间（to）应晚于开始时间（from）"];
        var dept = ParseGuid("department", department, "部门", errors);
        var grantId = ParseGuid("grant", grant, "授权", errors);
        string? kindValue = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            kindValue = kind.Trim();
            if (!AuditTerms.Kinds.Contains(kindValue))
                errors["kind"] = [$"参数 kind 的值“{kindValue}”不是有效的记录类型，可选：{string.Join("、", AuditTerms.Kinds)}"];
        }
        string? outcomeValue = null;
        if (!string.IsNullOrWhiteSpace(outcome))
        {
            outcomeValue = outcome.Trim();
            if (!AuditTerms.Outcomes.Contains(outcomeValue))
                errors["outcome"] = [$"参数 outcome 的值“{outcomeValue}”不是有效的结果，可选：{string.Join("、", AuditTerms.Outcomes)}"];
        }
        var resourceValue = string.IsNullOrWhiteSpace(resource) ? null : resource.Trim();
        if (resourceValue is { Length: > 200 }) errors["resource"] = ["参数 resource（资源代码）过长，最多 200 个字符"];
        return new AuditQuery(fromTime, toTime, dept, resourceValue, kindValue, outcomeValue, grantId);
    }

    /// <summary>Parses a 1-based page number and a page size within 1..<paramref name="maxPageSize"/>.</summary>
    public static (int Page, int PageSize) ParsePaging(string? page, string? pageSize, int defaultPageSize, int maxPageSize, Dictionary<string, string[]> errors)
    {
        var p = 1;
        if (!string.IsNullOrWhiteSpace(page) && (!int.TryParse(page.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out p) || p < 1))
        {
            errors["page"] = [$"参数 page（页码）的值“{page.Trim()}”无效，应为正整数"];
            p = 1;
        }
        var size = defaultPageSize;
        if (!string.IsNullOrWhiteSpace(pageSize) && (!int.TryParse(pageSize.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > maxPageSize))
        {
            errors["pageSize"] = [$"参数 pageSize（每页条数）的值“{pageSize.Trim()}”无效，应为 1 至 {maxPageSize} 的整数"];
            size = defaultPageSize;
        }
        return (p, size);
    }

    private static DateTime? ParseTime(string name, string? text, bool endOfDay, TimeZoneInfo zone, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        var label = name == "from" ? "开始时间" : "结束时间";
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var local = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return TimeZoneInfo.ConvertTimeToUtc(local, zone);
        }
        string[] offsetFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
        if ((t.EndsWith('Z') || t.EndsWith('z') || HasOffset(t))
            && DateTimeOffset.TryParseExact(t, offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            return withOffset.UtcDateTime;
        string[] localFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"];
        if (DateTime.TryParseExact(t, localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), zone);
        errors[name] = [$"参数 {name}（{label}）的值“{t}”无效，应为日期（如 2026-01-31）或时间（如 2026-01-31T08:00:00+08:00）"];
        return null;
    }

    private static bool HasOffset(string t) => t.Length > 6 && (t[^6] is '+' or '-') && t[^3] == ':';

    private static Guid? ParseGuid(string name, string? text, string label, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Guid.TryParse(text.Trim(), out var id)) return id;
        errors[name] = [$"参数 {name}（{label}）的值“{text.Trim()}”不是有效的标识（GUID）"];
        return null;
    }

    /// <summary>The entries matching this query.</summary>
    public IQueryable<AuditEntry> Apply(ExchangeDb db)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (From is { } from) q = q.Where(e => e.RecordedAt >= from);
        if (To is { } to) q = q.Where(e => e.RecordedAt < to);
        if (Department is { } d) q = q.Where(e => e.ConsumerDepartmentId == d || e.ProviderDepartmentId == d);
        if (Resource is { } r) q = q.Where(e => e.ResourceCode != null && e.ResourceCode.StartsWith(r));
        if (Kind is { } k) q = q.Where(e => e.Kind == k);
        if (Outcome is { } o) q = q.Where(e => e.Outcome == o);
        if (Grant is { } g) q = q.Where(e => e.GrantId == g);
        return q;
    }

    /// <summary>The query as URL parameters (for links keeping the filters).</summary>
    public List<(string Key, string? Value)> ToParameters() =>
    [
        ("from", From?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        ("to", To?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        ("department", Department?.ToString()),
        ("resource", Resource),
        ("kind", Kind),
        ("outcome", Outcome),
        ("grant", Grant?.ToString()),
    ];
}

/// <summary>An entry as the API shows it.</summary>
internal sealed record AuditEntryDto(
    long Seq, DateTime RecordedAt, string Kind, string KindName, string Outcome, string OutcomeName,
    Guid? ConsumerDepartmentId, string? ConsumerDepartmentName, Guid? ProviderDepartmentId, string? ProviderDepartmentName,
    string? ClientId, Guid? UserId, string? UserName, string? ResourceCode, Guid? GrantId, Guid? RequestId, string? Purpose, string? Issue,
    string? MessageId, long RowsReturned, string? RequestHash, string? ResponseHash, string? Detail,
    string EntryHash, string LeafHash, string ChainHash);

/// <summary>
/// Names for ids shown in the log (departments, users), looked up once per request through the Identity contracts.
/// </summary>
internal sealed class AuditNames(IDepartmentDirectory departments, IUserDirectory users)
{
    private Dictionary<Guid, string>? _departments;
    private readonly Dictionary<Guid, string?> _users = [];

    public async Task<IReadOnlyDictionary<Guid, string>> DepartmentsAsync(CancellationToken ct)
    {
        if (_departments is null)
        {
            _departments = [];
            foreach (var d in await departments.ListAsync(ct)) _departments[d.Id] = d.Name;
        }
        return _departments;
    }

    public async Task<string?> DepartmentAsync(Guid? id, CancellationToken ct)
    {
        if (id is not { } g) return null;
        var all = await DepartmentsAsync(ct);
        if (all.TryGetValue(g, out var name)) return name;
        var one = await departments.FindAsync(g, ct);
        _departments![g] = one?.Name ?? g.ToString();
        return _departments[g];
    }

    public async Task<string?> UserAsync(Guid? id, CancellationToken ct)
    {
        if (id is not { } g) return null;
        if (_users.TryGetValue(g, out var name)) return name;
        var user = await users.FindAsync(g, ct);
        return _users[g] = user is null ? null : $"{user.DisplayName}（{user.UserName}）";
    }

    public async Task<AuditEntryDto> ToDtoAsync(AuditEntry e, CancellationToken ct) => new(
        e.Seq, e.RecordedAt, e.Kind, AuditTerms.KindName(e.Kind), e.Outcome, AuditTerms.OutcomeName(e.Outcome),
        e.ConsumerDepartmentId, await DepartmentAsync(e.ConsumerDepartmentId, ct), e.ProviderDepartmentId, await DepartmentAsync(e.ProviderDepartmentId, ct),
        e.ClientId, e.UserId, await UserAsync(e.UserId, ct), e.ResourceCode, e.GrantId, e.RequestId, e.Purpose, e.Issue, e.MessageId,
        e.RowsReturned, e.RequestHash, e.ResponseHash, e.Detail, e.EntryHash.Trim(), e.LeafHash.Trim(), e.ChainHash.Trim());
}
