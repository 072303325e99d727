namespace GovData.Identity.Contracts;

/// <summary>What other modules may know about an account that wants to take part (comment, report, request).</summary>
/// <param name="Id">User id.</param>
/// <param name="DisplayName">The name shown publicly (昵称 / 姓名).</param>
/// <param name="IsPublic">True for public accounts (公众/开发者, no department).</param>
/// <param name="EmailVerified">True when the account may post: self-registered accounts after e-mail verification;
/// accounts created by an administrator always.</param>
/// <param name="IsActive">False for disabled accounts.</param>
public sealed record AccountStanding(Guid Id, string DisplayName, bool IsPublic, bool EmailVerified, bool IsActive)
{
    /// <summary>True when the account may publish user content.</summary>
    public bool MayPost => IsActive && EmailVerified;
}

/// <summary>Read access to the standing of accounts (the portal asks before accepting user content).</summary>
public interface IPublicAccounts
{
    /// <summary>The account's standing, read from the database (not from the session cookie), or null.</summary>
    Task<AccountStanding?> FindAsync(Guid userId, CancellationToken ct = default);
}

/// <summary>Addresses of the account pages, for links from other modules.</summary>
public static class AccountPaths
{
    /// <summary>Sign-in page (<c>?returnUrl=</c>).</summary>
    public const string Login = "/account/login";
    /// <summary>Sign-out (POST).</summary>
    public const string Logout = "/account/logout";
    /// <summary>Registration of a public account.</summary>
    public const string Register = "/account/register";
    /// <summary>Asks for a new verification e-mail.</summary>
    public const string ResendVerification = "/account/verify/resend";
}

/// <summary>An e-mail to deliver.</summary>
/// <param name="Id">Outbox id (stable across retries: use it as Message-ID / idempotency key).</param>
/// <param name="To">Recipient address.</param>
/// <param name="Subject">Subject (Chinese).</param>
/// <param name="Body">Plain-text body.</param>
public sealed record EmailMessage(Guid Id, string To, string Subject, string Body);

/// <summary>
/// Delivers e-mail from the outbox (<c>identity_email_outbox</c>). None is registered by default: mail stays in the
/// outbox and in the log. An operator registers one implementation (SMTP relay, the government mail gateway, …) in the
/// host; the Identity module's dispatcher then sends pending mail and marks it sent.
/// </summary>
public interface IEmailDelivery
{
    /// <summary>Sends one message; throws on failure (the dispatcher retries later).</summary>
    Task SendAsync(EmailMessage message, CancellationToken ct);
}
