using System.Globalization;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Open;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Apps;

/// <summary>What a developer fills in for an app.</summary>
internal sealed record AppForm(string? Name, string? Description, string? Homepage);

/// <summary>
/// The outcome of a write: <paramref name="Status"/> 200/201 with the app (and, for create and rotate, the key shown
/// once), else 400 (field errors), 401, 403 (not a verified developer, someone else's app), 404, 409 (revoked app,
/// concurrent rotation), 422 (too many apps).
/// </summary>
internal sealed record AppOutcome(int Status, DeveloperApp? App, IssuedDeveloperKey? Key, Dictionary<string, string[]> Errors)
{
    public bool Ok => Status is StatusCodes.Status200OK or StatusCodes.Status201Created;

    /// <summary>The first message (for a form-level alert).</summary>
    public string? Message => Errors.Values.SelectMany(m => m).FirstOrDefault();

    public static AppOutcome Fail(int status, string field, string message) => new(status, null, null, new() { [field] = [message] });
}

/// <summary>Use of an app's key: the numbers the open API enforces (<see cref="OpenGate"/>, table <c>portal_api_windows</c>).</summary>
/// <param name="CallsToday">Calls counted today (server's local date) — those the gate let through.</param>
/// <param name="DailyQuota">Calls per day of a developer key (<c>KeyedPerDay</c>).</param>
/// <param name="CallsThisMinute">Calls in the current UTC minute.</param>
/// <param name="PerMinute">Calls per minute of a developer key (<c>KeyedPerMinute</c>).</param>
/// <param name="Days">The last 30 days, oldest first, with the calls counted on each.</param>
internal sealed record AppUsage(long CallsToday, int DailyQuota, long CallsThisMinute, int PerMinute, IReadOnlyList<(DateOnly Day, long Calls)> Days)
{
    public long RemainingToday => Math.Max(0, DailyQuota - CallsToday);
    public long RemainingThisMinute => Math.Max(0, PerMinute - CallsThisMinute);
    public long CallsInPeriod => Days.Sum(d => d.Calls);
}

/// <summary>
/// 我的应用: developer apps of public accounts with the role 开发者. Each app holds one Identity API key (scope
/// <c>open:read</c>, issued, rotated and revoked through <see cref="IDeveloperKeys"/>; the portal never sees more than the
/// plaintext once, at issue). The account's standing is read from the database on every write. The open API counts the
/// calls of an app's key per app (<see cref="CountingCallerAsync"/>), so the page's numbers are the gate's own.
/// </summary>
internal sealed class DeveloperApps(PortalDb db, IDeveloperKeys keys, OpenAccessSettings limits, TimeProvider time)
{
    public const int NameMin = 2, NameMax = 50, DescriptionMax = 500, HomepageMax = 300;

    /// <summary>Active apps per account (each app has its own quota, so the number is bounded).</summary>
    public const int MaxActiveApps = 10;

    public const string Active = "active", Revoked = "revoked";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Checks and normalises the form; errors keyed name / description / homepage.</summary>
    public static (string Name, string? Description, string? Homepage, Dictionary<string, string[]> Errors) Validate(AppForm form)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Clean(form.Name?.Replace('\n', ' ')) ?? "";
        if (name.Length == 0) errors["name"] = ["请填写应用名称"];
        else if (name.Length is < NameMin or > NameMax) errors["name"] = [$"应用名称须为 {NameMin} 至 {NameMax} 个字符，当前 {name.Length} 个"];
        var description = Clean(form.Description);
        if (description is { Length: > DescriptionMax }) errors["description"] = [$"应用简介不能超过 {DescriptionMax} 个字符，当前 {description.Length} 个"];
        var homepage = form.Homepage?.Trim();
        if (string.IsNullOrEmpty(homepage)) homepage = null;
        else if (homepage.Length > HomepageMax) errors["homepage"] = [$"主页地址不能超过 {HomepageMax} 个字符"];
        else if (!Uri.TryCreate(homepage, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)
                 || homepage.Any(char.IsWhiteSpace))
            errors["homepage"] = ["主页地址须为以 http:// 或 https:// 开头的完整网址，例如 https://example.cn/app"];
        return (name, description, homepage, errors);
    }

    /// <summary>Trims and removes control characters (line breaks of a description kept); blank → null.</summary>
    private static string? Clean(string? text)
    {
        if (text is null) return null;
        var kept = new string(text.Where(c => !char.IsControl(c) || c is '\n').ToArray()).Trim();
        return kept.Length == 0 ? null : kept;
    }

    /// <summary>Why the account may not manage apps now (401/403 with a Chinese reason), or null.</summary>
    public async Task<AppOutcome?> RefusalAsync(Guid? userId, CancellationToken ct)
    {
        if (userId is null) return AppOutcome.Fail(StatusCodes.Status401Unauthorized, "form", "请先登录");
        var standing = await keys.FindAsync(userId.Value, ct);
        if (standing is null) return AppOutcome.Fail(StatusCodes.Status401Unauthorized, "form", "请先登录");
        if (!standing.IsPublic) return AppOutcome.Fail(StatusCodes.Status403Forbidden, "form", "开发者应用只面向公众账号：政务部门账号请在控制台的“API 密钥”中管理密钥");
        if (!standing.IsActive) return AppOutcome.Fail(StatusCodes.Status403Forbidden, "form", "账号已停用");
        if (!standing.EmailVerified) return AppOutcome.Fail(StatusCodes.Status403Forbidden, "form", "请先验证电子邮箱：打开注册邮件中的链接后才能创建应用");
        if (!standing.IsDeveloper) return AppOutcome.Fail(StatusCodes.Status403Forbidden, "form", "创建应用需要开发者身份：请先在本页开通开发者");
        return null;
    }

    public Task<List<DeveloperApp>> ListAsync(Guid userId, CancellationToken ct) =>
        db.Apps.AsNoTracking().Where(a => a.UserId == userId).OrderBy(a => a.Status == Revoked).ThenByDescending(a => a.CreatedAt).ToListAsync(ct);

    /// <summary>The app if it is the account's: 404 when there is no such app, 403 when it is someone else's.</summary>
    public async Task<(DeveloperApp? App, int Status)> FindAsync(Guid userId, Guid appId, CancellationToken ct)
    {
        var app = await db.Apps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == appId, ct);
        if (app is null) return (null, StatusCodes.Status404NotFound);
        return app.UserId == userId ? (app, StatusCodes.Status200OK) : (null, StatusCodes.Status403Forbidden);
    }

    private static string KeyName(string appName) => $"开发者应用“{appName}”";

    public async Task<AppOutcome> CreateAsync(Guid? userId, AppForm form, CancellationToken ct)
    {
        if (await RefusalAsync(userId, ct) is { } refusal) return refusal;
        var (name, description, homepage, errors) = Validate(form);
        if (errors.Count > 0) return new AppOutcome(StatusCodes.Status400BadRequest, null, null, errors);
        var user = userId!.Value;
        if (await db.Apps.CountAsync(a => a.UserId == user && a.Status == Active, ct) >= MaxActiveApps)
            return AppOutcome.Fail(StatusCodes.Status422UnprocessableEntity, "form", $"每个账号最多 {MaxActiveApps} 个有效应用，请先吊销不再使用的应用");
        var key = await keys.IssueAsync(user, KeyName(name), ct);
        if (key is null) return AppOutcome.Fail(StatusCodes.Status403Forbidden, "form", "账号当前不能持有开发者密钥");
        var now = Now;
        var app = new DeveloperApp
        {
            Id = Guid.CreateVersion7(), UserId = user, Name = name, Description = description, HomepageUrl = homepage,
            ApiKeyId = key.KeyId, Status = Active, CreatedAt = now, UpdatedAt = now,
        };
        db.Apps.Add(app);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // The key must not outlive an app that was never stored.
            await keys.RevokeAsync(user, key.KeyId, CancellationToken.None);
            throw;
        }
        return new AppOutcome(StatusCodes.Status201Created, app, key, []);
    }

    public async Task<AppOutcome> UpdateAsync(Guid? userId, Guid appId, AppForm form, CancellationToken ct)
    {
        if (await RefusalAsync(userId, ct) is { } refusal) return refusal;
        var (found, status) = await FindAsync(userId!.Value, appId, ct);
        if (found is null) return NotYours(status);
        if (found.Status != Active) return AppOutcome.Fail(StatusCodes.Status409Conflict, "form", "应用已吊销，不能修改");
        var (name, description, homepage, errors) = Validate(form);
        if (errors.Count > 0) return new AppOutcome(StatusCodes.Status400BadRequest, found, null, errors);
        var app = await db.Apps.FirstAsync(a => a.Id == appId, ct);
        app.Name = name;
        app.Description = description;
        app.HomepageUrl = homepage;
        app.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        return new AppOutcome(StatusCodes.Status200OK, app, null, []);
    }

    /// <summary>A new key for the app, the old one revoked in the same Identity transaction; the new key is shown once.</summary>
    public async Task<AppOutcome> RotateAsync(Guid? userId, Guid appId, CancellationToken ct)
    {
        if (await RefusalAsync(userId, ct) is { } refusal) return refusal;
        var user = userId!.Value;
        var (app, status) = await FindAsync(user, appId, ct);
        if (app is null) return NotYours(status);
        if (app.Status != Active) return AppOutcome.Fail(StatusCodes.Status409Conflict, "form", "应用已吊销，不能轮换密钥");
        var key = await keys.RotateAsync(user, app.ApiKeyId, KeyName(app.Name), ct);
        if (key is null) return AppOutcome.Fail(StatusCodes.Status409Conflict, "form", "密钥刚刚已被轮换或吊销，请刷新页面后再试");
        var now = Now;
        var moved = await db.Apps.Where(a => a.Id == appId && a.ApiKeyId == app.ApiKeyId && a.Status == Active)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ApiKeyId, key.KeyId).SetProperty(a => a.UpdatedAt, now), ct);
        if (moved == 0)
        {
            await keys.RevokeAsync(user, key.KeyId, CancellationToken.None);
            return AppOutcome.Fail(StatusCodes.Status409Conflict, "form", "应用刚刚已被修改或吊销，请刷新页面后再试");
        }
        app.ApiKeyId = key.KeyId;
        app.UpdatedAt = now;
        return new AppOutcome(StatusCodes.Status200OK, app, key, []);
    }

    /// <summary>Revokes the app and its key (calls with the key are refused with 401 from then on).</summary>
    public async Task<AppOutcome> RevokeAsync(Guid? userId, Guid appId, CancellationToken ct)
    {
        if (userId is null) return AppOutcome.Fail(StatusCodes.Status401Unauthorized, "form", "请先登录");
        var user = userId.Value;
        var (app, status) = await FindAsync(user, appId, ct);
        if (app is null) return NotYours(status);
        if (app.Status == Revoked) return new AppOutcome(StatusCodes.Status200OK, app, null, []);
        // The key first: an app shown as active with a revoked key is harmless, the reverse is not.
        await keys.RevokeAsync(user, app.ApiKeyId, ct);
        var now = Now;
        await db.Apps.Where(a => a.Id == appId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, Revoked)
            .SetProperty(a => a.RevokedAt, now).SetProperty(a => a.UpdatedAt, now), ct);
        app.Status = Revoked;
        app.RevokedAt = now;
        app.UpdatedAt = now;
        return new AppOutcome(StatusCodes.Status200OK, app, null, []);
    }

    private static AppOutcome NotYours(int status) => status == StatusCodes.Status403Forbidden
        ? AppOutcome.Fail(StatusCodes.Status403Forbidden, "form", "无权访问：该应用属于其他账号")
        : AppOutcome.Fail(StatusCodes.Status404NotFound, "form", "应用不存在");

    /// <summary>The Identity keys of the apps (prefix, created, last used), the account's own only.</summary>
    public Task<IReadOnlyDictionary<Guid, DeveloperKeyInfo>> KeysAsync(Guid userId, IEnumerable<DeveloperApp> apps, CancellationToken ct) =>
        keys.GetAsync(userId, apps.Select(a => a.ApiKeyId).ToList(), ct);

    /// <summary>The caller the open API counts an app's calls under.</summary>
    public static string Caller(Guid appId) => "app:" + appId;

    /// <summary>Today's and this minute's calls and the last 30 days of each app, read from the gate's windows.</summary>
    public async Task<IReadOnlyDictionary<Guid, AppUsage>> UsageAsync(IReadOnlyCollection<DeveloperApp> apps, CancellationToken ct)
    {
        var nowUtc = time.GetUtcNow();
        var minute = "m" + nowUtc.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var days = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).ToList();
        var periods = days.Select(Period).Append(minute).ToList();
        var callers = apps.Select(a => Caller(a.Id)).ToList();
        var windows = callers.Count == 0 ? [] : await db.ApiWindows.AsNoTracking()
            .Where(w => callers.Contains(w.Caller) && periods.Contains(w.Period)).ToListAsync(ct);
        var result = new Dictionary<Guid, AppUsage>();
        foreach (var app in apps)
        {
            var mine = windows.Where(w => w.Caller == Caller(app.Id)).ToDictionary(w => w.Period, w => w.Calls);
            var series = days.Select(d => (d, mine.GetValueOrDefault(Period(d)))).ToList();
            result[app.Id] = new AppUsage(mine.GetValueOrDefault(Period(today)), limits.KeyedPerDay, mine.GetValueOrDefault(minute), limits.KeyedPerMinute, series);
        }
        return result;
    }

    private static string Period(DateOnly day) => "d" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>
    /// For the gate: a developer key bound to an active app is counted as the app (<c>app:{id}</c>), so its limits hold
    /// across key rotations; any other key stays <c>key:{id}</c>.
    /// </summary>
    public static async Task<OpenCaller> CountingCallerAsync(PortalDb db, OpenCaller caller, CancellationToken ct)
    {
        if (!caller.Keyed || !caller.Key.StartsWith("key:", StringComparison.Ordinal) || !Guid.TryParse(caller.Key.AsSpan(4), out var keyId)) return caller;
        var appId = await db.Apps.AsNoTracking().Where(a => a.ApiKeyId == keyId && a.Status == Active).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        return appId is { } id ? caller with { Key = Caller(id) } : caller;
    }
}
