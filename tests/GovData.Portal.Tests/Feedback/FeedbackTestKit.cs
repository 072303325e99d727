using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using GovData.Tests.Common.Web;
using GovData.SharedKernel.Persistence;

namespace GovData.Portal.Tests.Feedback;

/// <summary>Hosts for the feedback tests: a small hourly post limit and one configured sensitive word.</summary>
public static class FeedbackSettings
{
    public const int PostsPerHour = 5;
    public const int RegistrationsPerHour = 30;
    public const string ConfiguredWord = "违禁测试词";

    public static void Apply(GovDataAppFactory app) => app
        .WithSetting("GovData:Portal:Feedback:PostsPerHour", PostsPerHour.ToString())
        .WithSetting("GovData:Portal:Feedback:SensitiveWords:0", ConfiguredWord)
        .WithSetting("GovData:Accounts:RegistrationAttemptsPerHour", RegistrationsPerHour.ToString());
}

public sealed class FeedbackSqliteAppFactory : GovDataAppFactory
{
    public FeedbackSqliteAppFactory() : base(DatabaseProvider.Sqlite) => FeedbackSettings.Apply(this);
}

public sealed class FeedbackPostgresAppFactory : GovDataAppFactory
{
    public FeedbackPostgresAppFactory() : base(DatabaseProvider.PostgreSql) => FeedbackSettings.Apply(this);
}

public sealed class FeedbackKestrelSqliteAppFactory : GovDataAppFactory
{
    public FeedbackKestrelSqliteAppFactory() : base(DatabaseProvider.Sqlite, kestrel: true) => FeedbackSettings.Apply(this);
}

/// <summary>Public accounts through the real pages: register, read the verification link from the outbox, verify, sign in.</summary>
public static partial class Accounts
{
    public const string Password = "Citizen#2026";

    private static int _counter;

    public static string NewEmail(string prefix = "user") => $"{prefix}{Interlocked.Increment(ref _counter)}.{Guid.NewGuid().ToString("N")[..12]}@example.cn";

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password = Password, string? confirm = null, string displayName = "热心市民", bool developer = false) =>
        client.PostFormAsync("/account/register",
        [
            new("email", email), new("displayName", displayName), new("password", password), new("confirmPassword", confirm ?? password),
            .. developer ? new KeyValuePair<string, string>[] { new("developer", "true") } : [],
        ]);

    [GeneratedRegex(@"/account/verify\?token=([A-Za-z0-9_\-]+)")]
    private static partial Regex TokenInMail();

    /// <summary>The token of the latest verification mail to <paramref name="email"/> in the outbox.</summary>
    public static async Task<string> TokenFromOutboxAsync(GovDataAppFactory app, string email)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        var bodies = (await connection.QueryAsync<string>(
            "SELECT body FROM identity_email_outbox WHERE lower(to_address) = @e ORDER BY created_at DESC", new { e = email.ToLowerInvariant() })).ToList();
        bodies.ShouldNotBeEmpty($"no mail to {email} in the outbox");
        var match = TokenInMail().Match(bodies[0]);
        match.Success.ShouldBeTrue(bodies[0]);
        return match.Groups[1].Value;
    }

    public static async Task<HttpResponseMessage> VerifyAsync(HttpClient client, string token) =>
        await client.PostFormAsync("/account/verify?token=" + token, [new("token", token)]);

    /// <summary>Registers, verifies through the mailed link and signs in; returns the signed-in client.</summary>
    public static async Task<(HttpClient Client, string Email)> VerifiedUserAsync(GovDataAppFactory app, string displayName = "热心市民")
    {
        var email = NewEmail();
        var anonymous = app.CreateBrowserClient();
        var registered = await RegisterAsync(anonymous, email, displayName: displayName);
        registered.StatusCode.ShouldBe(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        var token = await TokenFromOutboxAsync(app, email);
        var verified = await VerifyAsync(anonymous, token);
        (await verified.Content.ReadAsStringAsync()).ShouldContain("邮箱验证成功");
        return (await app.LoginAsync(email, Password), email);
    }

    public static async Task<long> CountAsync(GovDataAppFactory app, string sql, object? args = null)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    public static async Task ExecuteAsync(GovDataAppFactory app, string sql, object? args = null)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }
}
