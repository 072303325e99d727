using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovData.Identity.Features.Registration;

/// <summary>What a member of the public fills in to register.</summary>
internal sealed record RegistrationForm(string? Email, string? DisplayName, string? Password, string? ConfirmPassword, bool Developer);

internal enum VerifyOutcome { Verified, AlreadyVerified, Invalid, Expired }

/// <summary>
/// Self-registration of public accounts (role <c>public</c>, optionally <c>developer</c>) with e-mail verification:
/// the account is created at once and can sign in, but it may not post until the link sent by e-mail is opened.
/// Mail goes to the outbox (<c>identity_email_outbox</c>) and the log; attempts are counted per client address in the
/// database (every host of a shared database sees the same counts).
/// </summary>
internal sealed partial class RegistrationService(IdentityDb db, AccountSettings settings, TimeProvider clock,
    IHostEnvironment environment, ILogger<RegistrationService> logger)
{
    public const string PurposeVerifyEmail = "verify_email";
    public const string KindRegister = "register";
    public const string KindResend = "resend";
    public const int MaxEmailLength = 64;

    [GeneratedRegex(@"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Records an attempt and answers whether the address has exceeded the hourly limit (the attempt counts).</summary>
    private async Task<bool> OverLimitAsync(HttpContext http, string kind, string? email, int limit, CancellationToken ct)
    {
        var address = ClientAddress(http);
        var since = Now.AddHours(-1);
        var recent = await db.RegistrationAttempts.CountAsync(a => a.IpAddress == address && a.Kind == kind && a.AttemptedAt > since, ct);
        db.RegistrationAttempts.Add(new RegistrationAttempt { Kind = kind, IpAddress = address, Email = email is { Length: <= 200 } ? email : null, AttemptedAt = Now });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return recent >= limit;
    }

    public static string? NormalizeEmail(string? email) => email?.Trim().ToLowerInvariant();

    /// <summary>Creates the account and sends the verification mail; or returns field errors (nothing is stored).</summary>
    public async Task<(Guid? UserId, Dictionary<string, string[]> Errors)> RegisterAsync(HttpContext http, RegistrationForm form, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var email = NormalizeEmail(form.Email);
        if (await OverLimitAsync(http, KindRegister, email, settings.RegistrationAttemptsPerHour, ct))
        {
            errors["form"] = [$"注册尝试过于频繁（每个网络地址每小时最多 {settings.RegistrationAttemptsPerHour} 次），请稍后再试"];
            return (null, errors);
        }
        if (string.IsNullOrEmpty(email)) errors["email"] = ["请填写电子邮箱"];
        else if (email.Length > MaxEmailLength) errors["email"] = [$"电子邮箱不能超过{MaxEmailLength}个字符"];
        else if (!EmailPattern().IsMatch(email)) errors["email"] = ["电子邮箱格式不正确，例如 name@example.com"];
        var displayName = form.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName)) errors["displayName"] = ["请填写昵称（在评论等公开内容旁显示）"];
        else if (displayName.Length is < 2 or > 20) errors["displayName"] = ["昵称长度须为2至20个字符"];
        else if (displayName.Any(c => char.IsControl(c) || c is '<' or '>' or '&' or '"' or '\'')) errors["displayName"] = ["昵称不能包含控制字符或 < > & \" ' 等符号"];
        if (PasswordPolicy.Validate(form.Password) is { } weak) errors["password"] = [weak];
        else if (form.Password != form.ConfirmPassword) errors["confirmPassword"] = ["两次输入的密码不一致"];
        if (!errors.ContainsKey("email") && email is not null)
        {
            var taken = await db.Users.AnyAsync(u => u.Email != null && u.Email.ToLower() == email || u.UserName.ToLower() == email, ct);
            if (taken) errors["email"] = ["该电子邮箱已注册，请直接登录；如未收到验证邮件，可重新发送"];
        }
        if (errors.Count > 0) return (null, errors);

        var now = Now;
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            UserName = email!,
            DisplayName = displayName!,
            Email = email,
            PasswordHash = "",
            SecurityStamp = Guid.NewGuid().ToString("N"),
            SelfRegistered = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = PasswordPolicy.Hash(user, form.Password!);
        user.Roles.Add(new UserRole { UserId = user.Id, Role = Roles.Public });
        if (form.Developer) user.Roles.Add(new UserRole { UserId = user.Id, Role = Roles.Developer });
        db.Users.Add(user);
        SecurityJournal.Add(db, http, SecurityEventTypes.UserCreated, true, $"公众自助注册：{email}{(form.Developer ? "（开发者）" : "")}", user.Id, actorName: email);
        var link = IssueVerification(user, settings.BaseUrl(http.Request));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone registered the same address at the same moment (unique index on self-registered e-mails).
            db.ChangeTracker.Clear();
            if (!await db.Users.AnyAsync(u => u.Email != null && u.Email.ToLower() == email, ct)) throw;
            errors["email"] = ["该电子邮箱已注册，请直接登录；如未收到验证邮件，可重新发送"];
            return (null, errors);
        }
        LogMail(user.Email!, link);
        return (user.Id, errors);
    }

    /// <summary>Adds a fresh token (earlier unused ones are voided) and the mail carrying its link; returns the link.</summary>
    private string IssueVerification(User user, string baseUrl)
    {
        var now = Now;
        var raw = RandomNumberGenerator.GetBytes(32);
        var token = Convert.ToBase64String(raw).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.EmailTokens.Add(new EmailToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            Purpose = PurposeVerifyEmail,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + settings.TokenLifetime,
        });
        var link = $"{baseUrl}/account/verify?token={token}";
        var hours = (int)settings.TokenLifetime.TotalHours;
        db.Outbox.Add(new OutboxMail
        {
            Id = Guid.CreateVersion7(),
            Kind = PurposeVerifyEmail,
            UserId = user.Id,
            ToAddress = user.Email!,
            Subject = "请验证您的电子邮箱 - GovData 公共数据开放门户",
            Body = $"{user.DisplayName}，您好：\n\n感谢注册 GovData 公共数据开放门户。请在 {hours} 小时内打开以下链接完成邮箱验证，验证后即可发表评论、提交纠错和数据需求：\n\n{link}\n\n如果这不是您本人的操作，请忽略本邮件。\n",
            CreatedAt = now,
        });
        return link;
    }

    private void LogMail(string to, string link)
    {
        // The link is a credential: it is logged only in development (no mail server there); elsewhere the outbox has it.
        if (environment.IsDevelopment()) logger.LogInformation("验证邮件已写入发件箱：{To} {Link}", to, link);
        else logger.LogInformation("验证邮件已写入发件箱：{To}", to);
    }

    internal static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    /// <summary>Whether the token is usable, without using it (the confirmation page).</summary>
    public async Task<VerifyOutcome> CheckAsync(string? token, CancellationToken ct = default) =>
        (await FindAsync(token, ct)).Outcome;

    private async Task<(VerifyOutcome Outcome, EmailToken? Token)> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return (VerifyOutcome.Invalid, null);
        var hash = Hash(token.Trim());
        var row = await db.EmailTokens.FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == PurposeVerifyEmail, ct);
        if (row is null) return (VerifyOutcome.Invalid, null);
        if (row.UsedAt is not null) return (VerifyOutcome.AlreadyVerified, row);
        if (row.ExpiresAt <= Now) return (VerifyOutcome.Expired, row);
        return (VerifyOutcome.Verified, row);
    }

    /// <summary>Uses the token: marks the address verified. Expired, used, unknown or voided tokens change nothing.</summary>
    public async Task<VerifyOutcome> VerifyAsync(HttpContext http, string? token, CancellationToken ct = default)
    {
        var (outcome, row) = await FindAsync(token, ct);
        if (outcome != VerifyOutcome.Verified) return outcome;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == row!.UserId, ct);
        if (user is null) return VerifyOutcome.Invalid;
        var now = Now;
        // One transaction: the token is never spent without the address being marked verified.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Single use even when two requests race: only the update that finds the token unused counts.
        var claimed = await db.EmailTokens.Where(t => t.Id == row!.Id && t.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (claimed == 0) return VerifyOutcome.AlreadyVerified;
        user.EmailVerifiedAt ??= now;
        user.UpdatedAt = now;
        user.Version++;
        SecurityJournal.Add(db, http, SecurityEventTypes.UserUpdated, true, $"电子邮箱验证通过：{user.Email}", user.Id, actorName: user.UserName);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return VerifyOutcome.Verified;
    }

    /// <summary>
    /// Sends a new verification mail to an unverified self-registered account (earlier tokens are voided). Answers
    /// false only when the client address is over the limit; whether the address exists is not revealed.
    /// </summary>
    public async Task<bool> ResendAsync(HttpContext http, string? email, CancellationToken ct = default)
    {
        var normalized = NormalizeEmail(email);
        if (await OverLimitAsync(http, KindResend, normalized, settings.ResendsPerHour, ct)) return false;
        if (string.IsNullOrEmpty(normalized)) return true;
        var user = await db.Users.FirstOrDefaultAsync(u => u.SelfRegistered && u.Email != null && u.Email.ToLower() == normalized && u.EmailVerifiedAt == null && u.IsActive, ct);
        if (user is null) return true;
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.EmailTokens.Where(t => t.UserId == user.Id && t.Purpose == PurposeVerifyEmail && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, now), ct);
        var link = IssueVerification(user, settings.BaseUrl(http.Request));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogMail(user.Email!, link);
        return true;
    }
}

/// <summary>The account standing other modules ask for (read from the database on every call).</summary>
internal sealed class PublicAccounts(IdentityDb db) : IPublicAccounts
{
    public async Task<AccountStanding?> FindAsync(Guid userId, CancellationToken ct = default)
    {
        var u = await db.Users.AsNoTracking().Where(x => x.Id == userId)
            .Select(x => new { x.Id, x.DisplayName, x.DepartmentId, x.SelfRegistered, x.EmailVerifiedAt, x.IsActive }).FirstOrDefaultAsync(ct);
        return u is null ? null : new AccountStanding(u.Id, u.DisplayName, u.DepartmentId is null, !u.SelfRegistered || u.EmailVerifiedAt is not null, u.IsActive);
    }
}
