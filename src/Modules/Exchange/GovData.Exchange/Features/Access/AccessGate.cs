using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Access;

/// <summary>What kind of access an endpoint serves.</summary>
/// <param name="Kind">Audit kind (<see cref="AuditKinds.Query"/>, <see cref="AuditKinds.Verify"/> …).</param>
/// <param name="Mode">The grant mode it needs.</param>
/// <param name="Salted">True for 核验: the request hash is keyed with the platform salt (the log never holds a plain
/// hash of the values asked about).</param>
internal sealed record AccessSpec(string Kind, GrantAccessMode Mode, bool Salted);

/// <summary>What an endpoint knows once the caller is authenticated and granted.</summary>
internal sealed record AccessContext(HttpContext Http, ResourceCode Code, AccessGrant Grant, AccessPolicy Policy, byte[] Body, string RequestId);

/// <summary>
/// A checked request, ready to run: <paramref name="Units"/> is what it will count against a daily quota in rows (rows
/// wanted, questions asked); with <paramref name="Partial"/> a smaller remaining quota narrows it instead of refusing.
/// <paramref name="Execute"/> receives the units reserved (null when the quota does not count rows). A plan with
/// <paramref name="Quota"/> false (looking at the state of earlier work) is not counted against the daily quota; the
/// rate still applies.
/// </summary>
internal sealed record AccessPlan(long Units, bool Partial, Func<long?, CancellationToken, Task<AccessReply>> Execute, bool Quota = true);

/// <summary>
/// The answer of a granted call: the JSON body, the rows (or answers) returned and a detail for the log.
/// <paramref name="QuotaKept"/> overrides the quota units the call keeps (a file extract keeps its reservation until the
/// extract ends); <paramref name="Status"/> and <paramref name="Location"/> for answers other than 200.
/// </summary>
internal sealed record AccessReply(object Body, long Rows, string Detail, long? QuotaKept = null, int Status = 200, string? Location = null);

/// <summary>A refusal with its HTTP status and audit outcome (messages are Chinese and never contain values asked about).</summary>
internal sealed class AccessFailure(int status, string outcome, string detail, IDictionary<string, string[]>? errors = null, int? retryAfter = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Outcome { get; } = outcome;
    public IDictionary<string, string[]>? Errors { get; } = errors;
    public int? RetryAfter { get; } = retryAfter;

    public static AccessFailure Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, AuditOutcomes.Invalid, message, new Dictionary<string, string[]> { [field] = [message] });

    public static AccessFailure Unauthenticated(string message) => new(StatusCodes.Status401Unauthorized, AuditOutcomes.Unauthenticated, message);

    public static AccessFailure Denied(string message) => new(StatusCodes.Status403Forbidden, AuditOutcomes.Denied, message);
}

/// <summary>
/// Runs every governed access call the same way: read the body (bounded), check the signed request (client, timestamp,
/// nonce, signature; replays refused through the database), find the consumer department's usable grant for the resource
/// and mode, let the endpoint check its input, count the call against the grant's rate (per minute) and daily quota in the
/// database, run it under the grant's policy, and answer with the request hash (and the response hash) in headers.
/// Every call, answered or refused, appends exactly one audit record before the response is sent.
/// </summary>
internal sealed class AccessGate(
    ExchangeDb db, AppSecrets secrets, AccessStore store, IOptions<AccessOptions> options, TimeProvider clock, ILogger<AccessGate> log)
{
    private readonly TimeZoneInfo _zone = options.Value.Zone();

    /// <summary>JSON of the access endpoints: camelCase, Chinese readable, HTML-sensitive characters escaped.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Page size counted against a row quota when the request gives no <c>limit</c> (the data API's default).</summary>
    public const int DefaultPageRows = 100;

    private const int MaxRequestIdLength = 100;
    private const int MaxIssueLength = 200;

    public async Task<IResult> RunAsync(HttpContext http, AccessSpec spec, string code, IGrantLookup grants, IAuditTrail audit,
        Func<AccessContext, AccessPlan> prepare)
    {
        var ct = http.RequestAborted;
        var request = http.Request;
        var now = clock.GetUtcNow();
        var requestIdHeader = Header(request, RequestSigning.RequestIdHeader);
        var requestId = requestIdHeader ?? "gd-" + Guid.CreateVersion7().ToString("N");
        var record = new AuditRecord(spec.Kind, AuditOutcomes.Error, ResourceCode: Shorten(Uri.UnescapeDataString(code), 60));
        var quota = new QuotaHold();
        AccessGrant? grant = null;
        string? requestHash = null;
        AccessResponse response;
        try
        {
            var body = await ReadBodyAsync(request, ct);
            var timestamp = Header(request, RequestSigning.TimestampHeader) ?? "";
            var nonce = Header(request, RequestSigning.NonceHeader) ?? "";
            var canonical = RequestSigning.CanonicalString(request.Method, RawPath(http), request.QueryString.Value, timestamp, nonce,
                RequestSigning.BodyHash(body));
            requestHash = spec.Salted
                ? RequestSigning.SaltedRequestHash(await store.VerificationSaltAsync(ct), canonical)
                : RequestSigning.RequestHash(canonical);

            // A client id of the right shape is logged even when the request fails authentication (who tried what).
            if (Header(request, RequestSigning.ClientHeader) is { } claimed && AppSecrets.IsClientId(claimed)) record = record with { ClientId = claimed };
            var app = await AuthenticateAsync(request, canonical, timestamp, nonce, now, ct);
            record = record with { ClientId = app.ClientId, ConsumerDepartmentId = app.DepartmentId };
            if (requestIdHeader is not null && !IsPrintableAscii(requestIdHeader, MaxRequestIdLength))
                throw AccessFailure.Invalid(RequestSigning.RequestIdHeader, $"请求头 {RequestSigning.RequestIdHeader} 无效：应为不超过 {MaxRequestIdLength} 个可见 ASCII 字符");
            record = record with { MessageId = requestId, Issue = ReadIssue(request) };

            var text = Uri.UnescapeDataString(code);
            if (!ResourceCode.TryParse(text, out var resourceCode, out var codeError)) throw AccessFailure.Invalid("code", codeError);
            record = record with { ResourceCode = resourceCode.ToString() };

            grant = await AuthorizeAsync(grants, app, resourceCode, spec.Mode, now.UtcDateTime, ct);
            record = record with { GrantId = grant.GrantId, ProviderDepartmentId = grant.ProviderDepartmentId, Purpose = grant.Purpose };
            var policy = new AccessPolicy(grant.Items, grant.RowConditions, grant.RawAllowed);

            var plan = prepare(new AccessContext(http, resourceCode, grant, policy, body, requestId));
            await LimitRateAsync(grant, now, ct);
            var reserved = await ReserveQuotaAsync(grant, plan, now, quota, ct);
            var reply = await plan.Execute(reserved, ct);
            await quota.SettleAsync(store, reply.QuotaKept ?? (grant.QuotaUnit == GrantQuotaUnit.Rows ? reply.Rows : 1), ct);
            record = record with { Outcome = AuditOutcomes.Ok, RowsReturned = reply.Rows, Detail = reply.Detail };
            response = AccessResponse.Json(reply.Status, reply.Body);
            if (reply.Location is not null) response.Headers["Location"] = reply.Location;
        }
        catch (AccessFailure failure)
        {
            await quota.SettleAsync(store, 0, CancellationToken.None);
            record = record with { Outcome = failure.Outcome, Detail = failure.Message };
            response = AccessResponse.Problem(failure.Status, failure.Message, failure.Errors);
            if (failure.RetryAfter is { } seconds) response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            if (failure.Status == StatusCodes.Status401Unauthorized)
                response.Headers["WWW-Authenticate"] = RequestSigning.Scheme + " realm=\"GovData\"";
        }
        catch (DataAccessException ex)
        {
            await quota.SettleAsync(store, 0, CancellationToken.None);
            var (status, outcome) = ex.Kind switch
            {
                DataAccessErrorKind.Forbidden => (StatusCodes.Status403Forbidden, AuditOutcomes.Denied),
                DataAccessErrorKind.NotFound => (StatusCodes.Status404NotFound, AuditOutcomes.Invalid),
                _ => (StatusCodes.Status400BadRequest, AuditOutcomes.Invalid),
            };
            record = record with { Outcome = outcome, Detail = Shorten(ex.Message, 500) };
            response = AccessResponse.Problem(status, ex.Message,
                status == StatusCodes.Status400BadRequest ? new Dictionary<string, string[]> { [ex.Parameter] = [ex.Message] } : null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller went away: nothing is answered, but the call is still on record.
            await quota.SettleAsync(store, 0, CancellationToken.None);
            await audit.AppendAsync(record with { Outcome = AuditOutcomes.Error, RequestHash = requestHash, MessageId = record.MessageId ?? Shorten(requestId, MaxRequestIdLength), Detail = "调用方在应答前中止了请求" }, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            await quota.SettleAsync(store, 0, CancellationToken.None);
            log.LogError(ex, "共享数据访问 {Kind} {Code} 处理失败（请求 {RequestId}）", spec.Kind, record.ResourceCode, requestId);
            await audit.AppendAsync(record with { Outcome = AuditOutcomes.Error, RequestHash = requestHash, MessageId = record.MessageId ?? Shorten(requestId, MaxRequestIdLength), Detail = "服务器内部错误" }, CancellationToken.None);
            throw;
        }

        response.Headers[RequestSigning.RequestIdHeader] = IsPrintableAscii(requestId, MaxRequestIdLength) ? requestId : "invalid";
        if (requestHash is not null) response.Headers[RequestSigning.RequestHashHeader] = requestHash;
        var responseHash = Convert.ToHexStringLower(SHA256.HashData(response.Body));
        response.Headers[RequestSigning.ResponseHashHeader] = responseHash;
        // The entry is durable before the response leaves: a call the log does not hold was never answered.
        await audit.AppendAsync(record with { RequestHash = requestHash, ResponseHash = responseHash }, CancellationToken.None);
        return response;
    }

    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var max = options.Value.MaxBodyBytes;
        if (request.ContentLength > max) throw TooLarge(max);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) throw TooLarge(max);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static AccessFailure TooLarge(int max) =>
        new(StatusCodes.Status413PayloadTooLarge, AuditOutcomes.Invalid, $"请求体超过 {max / 1024} KiB 的上限");

    /// <summary>Checks the signed request; returns the application (active) or throws a 401 naming the header at fault.</summary>
    private async Task<AppCredential> AuthenticateAsync(HttpRequest request, string canonical, string timestamp, string nonce, DateTimeOffset now,
        CancellationToken ct)
    {
        var client = Header(request, RequestSigning.ClientHeader);
        var signature = Header(request, RequestSigning.SignatureHeader);
        foreach (var (name, value, what) in new[]
                 {
                     (RequestSigning.ClientHeader, client, "应用的 client id"),
                     (RequestSigning.TimestampHeader, timestamp, "Unix 时间戳，秒"),
                     (RequestSigning.NonceHeader, nonce, "每次请求不同的随机串"),
                     (RequestSigning.SignatureHeader, signature, "HMAC-SHA256 签名"),
                 })
            if (string.IsNullOrEmpty(value)) throw AccessFailure.Unauthenticated($"缺少请求头 {name}（{what}）。调用共享数据接口须按平台规则签名");
        if (!AppSecrets.IsClientId(client))
            throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.ClientHeader} 无效：应为平台签发的 client id（gdc_ 加 20 位十六进制字符）");
        if (timestamp.Length is 0 or > 12 || !timestamp.All(char.IsAsciiDigit) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.TimestampHeader} 无效：应为 Unix 时间戳（自 1970-01-01 UTC 起的秒数，十进制整数）");
        var tolerance = options.Value.TimestampToleranceSeconds;
        var skew = now.ToUnixTimeSeconds() - seconds;
        if (Math.Abs(skew) > tolerance)
            throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.TimestampHeader} 已过期或超前：与服务器时间相差 {Math.Abs(skew)} 秒，允许 ±{tolerance} 秒（请校准调用方时钟，每次请求重新签名）");
        if (nonce.Length is < 16 or > 64 || !nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.NonceHeader} 无效：应为 16 到 64 位字母、数字、“-”或“_”，每次请求不同");

        // The application as this host last read it; whenever it does not fit (unknown, signature or nonce refused) it is
        // read again, so a rotation or revocation on another host is seen at once.
        var cached = secrets.Cached(client!);
        var app = cached ?? await LoadAppAsync(client!, ct);
        for (var fresh = cached is null; ; fresh = true)
        {
            if (app is null || app.Status != AppStatus.Active)
                throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.ClientHeader} 指定的应用不存在或已吊销");
            var used = SecretUsed(app, canonical, signature!, now.UtcDateTime);
            if (used is null)
            {
                if (!fresh)
                {
                    app = await LoadAppAsync(client!, ct);
                    continue;
                }
                throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.SignatureHeader} 校验失败：签名与请求内容不符。请按平台规则用应用密钥对“方法、路径、排序后的查询参数、时间戳、随机串、请求体 SHA-256”重新计算");
            }
            // Only a correctly signed request spends its nonce: a forger cannot burn the nonces of a real client. The same
            // statement checks that the application is still active with this secret.
            if (await store.TryUseNonceAsync(app.ClientId, nonce, seconds + tolerance, used, ct)) return app;
            if (!fresh)
            {
                app = await LoadAppAsync(client!, ct);
                continue;
            }
            throw AccessFailure.Unauthenticated($"请求头 {RequestSigning.NonceHeader} 已使用过：重放的请求被拒绝，每次请求须使用新的随机串并重新签名");
        }
    }

    private async Task<AppCredential?> LoadAppAsync(string clientId, CancellationToken ct)
    {
        var app = await db.Apps().AsNoTracking().FirstOrDefaultAsync(a => a.ClientId == clientId, ct);
        secrets.Remember(clientId, app);
        return app;
    }

    /// <summary>The protected secret the signature was made with (current, or previous within its grace period), or null.</summary>
    private string? SecretUsed(AppCredential app, string canonical, string signature, DateTime now)
    {
        if (RequestSigning.SignatureMatches(secrets.Unprotect(app.SecretProtected), canonical, signature)) return app.SecretProtected;
        if (app.PreviousSecretProtected is { } previous && app.PreviousValidUntil > now
            && RequestSigning.SignatureMatches(secrets.Unprotect(previous), canonical, signature)) return previous;
        return null;
    }

    private async Task<AccessGrant> AuthorizeAsync(IGrantLookup grants, AppCredential app, ResourceCode code, GrantAccessMode mode, DateTime now,
        CancellationToken ct)
    {
        var text = code.ToString();
        var found = await grants.FindActiveAsync(app.DepartmentId, text, mode, now, ct);
        var grant = found.Grant;
        // The lookup's answer is checked again here: a grant of another department or resource, expired, or without the
        // mode is never used, whatever the lookup returned.
        if (grant is not null && (grant.ConsumerDepartmentId != app.DepartmentId || grant.ResourceCode != text || grant.ExpiresAt <= now || !grant.Modes.Contains(mode)))
        {
            log.LogWarning("授权查询返回了不可用的授权 {GrantId}（部门 {Department}，资源 {Code}，方式 {Mode}），已拒绝", grant.GrantId, app.DepartmentId, text, mode);
            grant = null;
        }
        if (grant is not null) return grant;
        throw AccessFailure.Denied((found.Grant is null ? found.Refusal : GrantRefusal.NoGrant) switch
        {
            GrantRefusal.Expired => $"本部门对资源“{text}”的授权已过期，请申请续期",
            GrantRefusal.Revoked => $"本部门对资源“{text}”的授权已被撤销",
            GrantRefusal.ModeNotGranted => $"本部门对资源“{text}”的授权不包含{ModeLabel(mode)}方式",
            _ => $"本部门没有资源“{text}”的有效授权，请先提交共享申请",
        });
    }

    public static string ModeLabel(GrantAccessMode mode) => mode switch
    {
        GrantAccessMode.Api => "接口查询",
        GrantAccessMode.Verify => "核验",
        GrantAccessMode.File => "文件交付",
        GrantAccessMode.Feed => "订阅增量",
        _ => mode.ToString(),
    };

    private async Task LimitRateAsync(AccessGrant grant, DateTimeOffset now, CancellationToken ct)
    {
        if (grant.RatePerMinute is not { } rate) return;
        var unix = now.ToUnixTimeSeconds();
        var minute = unix - unix % 60;
        if (!await store.TryReserveAsync(grant.GrantId, AccessStore.Minute, minute, 1, rate, ct))
            throw new AccessFailure(StatusCodes.Status429TooManyRequests, AuditOutcomes.Throttled,
                $"超出授权的调用频率限制（每分钟 {rate} 次），请稍后重试", retryAfter: (int)Math.Max(1, minute + 60 - unix));
    }

    /// <summary>
    /// Counts the call against the daily quota: one call, or the rows/questions of the plan (narrowed to what remains when
    /// the plan allows it). Returns the rows reserved (null when the quota does not count rows or there is none).
    /// </summary>
    private async Task<long?> ReserveQuotaAsync(AccessGrant grant, AccessPlan plan, DateTimeOffset now, QuotaHold hold, CancellationToken ct)
    {
        if (grant.DailyQuota is not { } quota || !plan.Quota) return null;
        var (dayStart, nextDay) = LocalDay(now);
        var retry = (int)Math.Max(1, nextDay - now.ToUnixTimeSeconds());
        AccessFailure Exhausted(string what) => new(StatusCodes.Status429TooManyRequests, AuditOutcomes.Throttled,
            $"今日{what}，请于次日 0 时后重试", retryAfter: retry);
        if (grant.QuotaUnit == GrantQuotaUnit.Calls)
        {
            if (!await store.TryReserveAsync(grant.GrantId, AccessStore.Day, dayStart, 1, quota, ct))
                throw Exhausted($"调用次数已达授权的每日配额（{quota} 次）");
            hold.Hold(grant.GrantId, dayStart, 1);
            return null;
        }
        var wanted = plan.Units;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (wanted > 0 && await store.TryReserveAsync(grant.GrantId, AccessStore.Day, dayStart, wanted, quota, ct))
            {
                hold.Hold(grant.GrantId, dayStart, wanted);
                return wanted;
            }
            var remaining = quota - await store.UsedAsync(grant.GrantId, AccessStore.Day, dayStart, ct);
            if (remaining <= 0) throw Exhausted($"返回的数据已达授权的每日配额（{quota} 行）");
            if (wanted == 0) return 0;
            if (!plan.Partial)
                throw Exhausted($"剩余配额 {remaining} 行，少于本次请求的 {plan.Units} 条（授权的每日配额 {quota} 行）");
            wanted = Math.Min(wanted, remaining);
        }
        throw Exhausted($"配额争用过于频繁（授权的每日配额 {quota} 行）");
    }

    /// <summary>Unix seconds of the start of the local day of <paramref name="now"/> (the daily quota's window) and of the next one.</summary>
    public (long Start, long Next) LocalDay(DateTimeOffset now)
    {
        var zone = _zone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTimeOffset(local.Date, zone.GetUtcOffset(local.Date));
        var next = new DateTimeOffset(local.Date.AddDays(1), zone.GetUtcOffset(local.Date.AddDays(1)));
        return (midnight.ToUnixTimeSeconds(), next.ToUnixTimeSeconds());
    }

    private static string? ReadIssue(HttpRequest request)
    {
        var raw = Header(request, RequestSigning.IssueHeader);
        if (raw is null) return null;
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(raw).Trim();
        }
        catch (UriFormatException)
        {
            throw AccessFailure.Invalid(RequestSigning.IssueHeader, $"请求头 {RequestSigning.IssueHeader} 无效：应为百分号编码的 UTF-8 文本");
        }
        if (decoded.Length > MaxIssueLength || decoded.Any(char.IsControl))
            throw AccessFailure.Invalid(RequestSigning.IssueHeader, $"请求头 {RequestSigning.IssueHeader} 无效：事项说明不超过 {MaxIssueLength} 个字符，且不含控制字符");
        return decoded.Length == 0 ? null : decoded;
    }

    /// <summary>The request path as the client sent it (before decoding), which is what was signed.</summary>
    private static string RawPath(HttpContext http)
    {
        var raw = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            var q = raw.IndexOf('?');
            return q < 0 ? raw : raw[..q];
        }
        return (http.Request.PathBase + http.Request.Path).ToUriComponent();
    }

    private static string? Header(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        return values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : values.Count > 1 ? "" : null;
    }

    private static bool IsPrintableAscii(string text, int max) => text.Length is > 0 and var n && n <= max && text.All(c => c is > ' ' and < (char)127);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>Quota units held by a call until it is settled (unused units are given back).</summary>
    private sealed class QuotaHold
    {
        private Guid _grant;
        private long _day;
        private long _held;

        public void Hold(Guid grant, long day, long units) => (_grant, _day, _held) = (grant, day, units);

        /// <summary>Keeps <paramref name="used"/> of the held units, gives back the rest (once).</summary>
        public async Task SettleAsync(AccessStore store, long used, CancellationToken ct)
        {
            var back = _held - Math.Min(used, _held);
            _held = 0;
            if (back > 0) await store.RefundAsync(_grant, AccessStore.Day, _day, back, ct);
        }
    }
}

/// <summary>A JSON answer whose bytes are known before it is sent (their SHA-256 goes into a header and the log).</summary>
internal sealed class AccessResponse(int status, string contentType, byte[] body) : IResult
{
    public int Status { get; } = status;
    public byte[] Body { get; } = body;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static AccessResponse Json(int status, object value) =>
        new(status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), AccessGate.Json));

    /// <summary>RFC 9457 problem details with the Chinese title of the status.</summary>
    public static AccessResponse Problem(int status, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = new Dictionary<string, object>
        {
            ["type"] = status switch
            {
                400 => "https://govdata.local/problems/validation",
                401 => "https://govdata.local/problems/unauthenticated",
                403 => "https://govdata.local/problems/forbidden",
                404 => "https://govdata.local/problems/not-found",
                429 => "https://govdata.local/problems/too-many-requests",
                _ => "https://govdata.local/problems/error",
            },
            ["title"] = Problems.TitleFor(status),
            ["status"] = status,
            ["detail"] = detail,
        };
        if (errors is not null) problem["errors"] = errors;
        return new AccessResponse(status, "application/problem+json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(problem, AccessGate.Json));
    }

    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = Status;
        response.ContentType = contentType;
        response.ContentLength = Body.Length;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        await response.Body.WriteAsync(Body, http.RequestAborted);
    }
}
