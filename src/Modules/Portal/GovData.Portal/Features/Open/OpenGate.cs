using System.Data.Common;
using System.Globalization;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Open;

/// <summary>Who calls the open interfaces: a developer's API key, or an anonymous client by IP address.</summary>
/// <param name="Key">Counting key: <c>key:{api key id}</c> or <c>ip:{address}</c>.</param>
/// <param name="Keyed">True for a developer's API key (the higher limits).</param>
internal sealed record OpenCaller(string Key, bool Keyed);

/// <summary>Why a call was refused before it ran.</summary>
/// <param name="Status">401 (a key that is not valid), 403 (a key of an account that is not a developer) or 429.</param>
/// <param name="Title">Chinese title.</param>
/// <param name="Detail">Chinese explanation.</param>
/// <param name="RetryAfterSeconds">For 429: seconds until the window that was exhausted ends.</param>
internal sealed record OpenRefusal(int Status, string Title, string Detail, int? RetryAfterSeconds)
{
    /// <summary>Writes <c>Retry-After</c> for a 429.</summary>
    public void ApplyHeaders(HttpResponse response)
    {
        if (RetryAfterSeconds is { } s) response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An RFC 9457 problem with the Chinese title and detail.</summary>
    public IResult ToProblem(HttpResponse response)
    {
        ApplyHeaders(response);
        return TypedResults.Problem(Detail, statusCode: Status, title: Title,
            type: Status == StatusCodes.Status429TooManyRequests ? "https://govdata.local/problems/too-many-requests" : null);
    }
}

/// <summary>
/// Rate limits and daily quotas of the open interfaces (the open API, CKAN's <c>datastore_search</c>, file downloads),
/// counted in the database (<c>portal_api_windows</c>) so that several hosts over one database enforce one limit: a
/// fixed window per minute (UTC) and one per day (server's local date) per caller. Each call is one conditional upsert
/// per window (<c>INSERT … ON CONFLICT DO UPDATE SET calls = calls + 1 WHERE calls &lt; limit RETURNING calls</c>): no row
/// back means the window is full, so no two hosts can both take the last call. The minute is taken first, so a call
/// refused by the rate limit does not use the day's quota. Anonymous callers are counted by client IP address with the
/// lower limits; a valid API key of an account with the role <c>developer</c> (header <c>X-Api-Key</c>) by key with the
/// higher ones.
/// </summary>
internal sealed class OpenGate(PortalDb db, OpenAccessSettings settings, TimeProvider time)
{
    /// <summary>Response headers that tell a caller where it stands.</summary>
    public const string LimitHeader = "X-RateLimit-Limit", RemainingHeader = "X-RateLimit-Remaining",
        QuotaHeader = "X-Daily-Quota-Limit", QuotaRemainingHeader = "X-Daily-Quota-Remaining";

    /// <summary>True when the request carries something meant as an API key (as the Identity module reads it).</summary>
    public static bool CarriesKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var v) && !string.IsNullOrWhiteSpace(v)) return true;
        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer gd_", StringComparison.Ordinal) || auth.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The caller, or a refusal for a key that is not valid or not a developer's.</summary>
    public static (OpenCaller? Caller, OpenRefusal? Refusal) Identify(HttpContext context)
    {
        var user = context.User;
        if (CarriesKey(context.Request))
        {
            if (user.Identity?.IsAuthenticated != true || !user.IsApiKeyCaller())
                return (null, new OpenRefusal(StatusCodes.Status401Unauthorized, "API 密钥无效",
                    "请求头 X-Api-Key 中的 API 密钥无效、已吊销或已过期；匿名调用请不要发送该请求头。", null));
            if (!user.IsInRole(Roles.Developer))
                return (null, new OpenRefusal(StatusCodes.Status403Forbidden, "无权执行此操作",
                    "开放接口的 API 密钥须属于开发者账号（角色“开发者”）；该密钥的账号不是开发者。匿名调用请不要发送该请求头。", null));
            var keyId = user.FindFirst(GovDataClaims.ApiKeyId)?.Value ?? user.GetUserId()?.ToString() ?? "unknown";
            return (new OpenCaller("key:" + keyId, true), null);
        }
        return (new OpenCaller("ip:" + ClientAddress(context), false), null);
    }

    private static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return address.ToString();
    }

    /// <summary>Identifies the caller and takes one call from its minute and its day; a refusal when it may not call now.</summary>
    public async Task<OpenRefusal?> EnterAsync(HttpContext context, CancellationToken ct = default)
    {
        var (caller, refusal) = Identify(context);
        if (refusal is not null) return refusal;
        caller = await Apps.DeveloperApps.CountingCallerAsync(db, caller!, ct);
        var perMinute = caller!.Keyed ? settings.KeyedPerMinute : settings.AnonymousPerMinute;
        var perDay = caller.Keyed ? settings.KeyedPerDay : settings.AnonymousPerDay;
        var nowUtc = time.GetUtcNow();
        var minuteStart = new DateTimeOffset(nowUtc.Year, nowUtc.Month, nowUtc.Day, nowUtc.Hour, nowUtc.Minute, 0, TimeSpan.Zero);
        var minuteEnd = minuteStart.AddMinutes(1);
        var local = time.GetLocalNow();
        var dayEnd = new DateTimeOffset(local.Date.AddDays(1), time.LocalTimeZone.GetUtcOffset(local.Date.AddDays(1)));

        var who = caller.Keyed ? "该 API 密钥" : "匿名调用（按客户端 IP 地址计）";
        var hint = caller.Keyed ? "" : "；注册开发者账号并使用 API 密钥（请求头 X-Api-Key）可获得更高的限额";
        var minuteCalls = await TakeAsync(caller.Key, "m" + minuteStart.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture), minuteEnd, perMinute, ct);
        if (minuteCalls is null)
            return TooMany($"{who}每分钟最多调用 {perMinute} 次，本分钟的次数已用完，请在 {Seconds(minuteEnd - nowUtc)} 秒后重试{hint}。", minuteEnd - nowUtc);
        var dayCalls = await TakeAsync(caller.Key, "d" + local.ToString("yyyyMMdd", CultureInfo.InvariantCulture), dayEnd, perDay, ct);
        if (dayCalls is null)
            return TooMany($"{who}每日最多调用 {perDay} 次，今日配额已用完，次日 0 时恢复{hint}。", dayEnd - nowUtc);
        if (dayCalls == 1) await SweepAsync(nowUtc, ct);

        var headers = context.Response.Headers;
        headers[LimitHeader] = perMinute.ToString(CultureInfo.InvariantCulture);
        headers[RemainingHeader] = Math.Max(0, perMinute - minuteCalls.Value).ToString(CultureInfo.InvariantCulture);
        headers[QuotaHeader] = perDay.ToString(CultureInfo.InvariantCulture);
        headers[QuotaRemainingHeader] = Math.Max(0, perDay - dayCalls.Value).ToString(CultureInfo.InvariantCulture);
        return null;
    }

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));

    private static OpenRefusal TooMany(string detail, TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, "请求过于频繁", detail, Seconds(retryAfter));

    /// <summary>One call of the window, or null when the window is full.</summary>
    private async Task<long?> TakeAsync(string caller, string period, DateTimeOffset endsAt, int limit, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO portal_api_windows (caller, period, calls, ends_at) VALUES (@caller, @period, 1, @ends)
            ON CONFLICT (caller, period) DO UPDATE SET calls = portal_api_windows.calls + 1 WHERE portal_api_windows.calls < @limit
            RETURNING calls
            """;
        return await ExecuteAsync(sql, ct, ("caller", caller), ("period", period), ("ends", endsAt.ToUnixTimeSeconds()), ("limit", (long)limit)) switch
        {
            null => null,
            var value => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Drops ended minute windows and day windows older than 31 days (run when a caller starts a new day).</summary>
    private async Task SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        const string sql = "DELETE FROM portal_api_windows WHERE (period LIKE 'm%' AND ends_at < @now) OR ends_at < @old";
        await ExecuteAsync(sql, ct, ("now", now.ToUnixTimeSeconds()), ("old", now.AddDays(-31).ToUnixTimeSeconds()));
    }

    private async Task<object?> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + name;
                p.Value = value;
                command.Parameters.Add(p);
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? reader.GetValue(0) : null;
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }
}
