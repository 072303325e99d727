using System.Collections.Concurrent;
using System.Net;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests.Feedback;

/// <summary>An <see cref="IEmailDelivery"/> that records what it is given and fails its first call (to see the retry).</summary>
public sealed class RecordingDelivery : IEmailDelivery
{
    private int _calls;

    public ConcurrentQueue<EmailMessage> Sent { get; } = new();

    public Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _calls) == 1) throw new InvalidOperationException("模拟邮件网关暂时不可用");
        Sent.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>A host with a mail sender wired the way an operator would (one <see cref="IEmailDelivery"/> registration).</summary>
public abstract class MailAppFactory(DatabaseProvider provider) : GovDataAppFactory(provider)
{
    public RecordingDelivery Delivery { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        WithSetting("GovData:Accounts:OutboxIntervalSeconds", "1");
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IEmailDelivery>(Delivery));
    }
}

public sealed class MailSqliteAppFactory() : MailAppFactory(DatabaseProvider.Sqlite);

public sealed class MailPostgresAppFactory() : MailAppFactory(DatabaseProvider.PostgreSql);

/// <summary>With a sender registered, the outbox dispatcher delivers the verification mail, retrying after a failure.</summary>
public abstract class OutboxDeliveryTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : MailAppFactory
{
    [Fact]
    public async Task A_registered_sender_receives_the_verification_mail_and_the_outbox_marks_it_sent()
    {
        var email = Accounts.NewEmail("mail");
        (await Accounts.RegisterAsync(App.CreateBrowserClient(), email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        EmailMessage? message = null;
        while (DateTime.UtcNow < deadline && (message = App.Delivery.Sent.FirstOrDefault(m => m.To == email.ToLowerInvariant())) is null)
            await Task.Delay(200);
        message.ShouldNotBeNull("the dispatcher did not deliver the mail within 30 s");
        message.Subject.ShouldContain("验证");
        message.Body.ShouldContain("/account/verify?token=" + await Accounts.TokenFromOutboxAsync(App, email));

        // The dispatcher marks the row after the sender returns: wait for that write too (it is not instant under load).
        const string sent = "SELECT COUNT(*) FROM identity_email_outbox WHERE to_address = @e AND sent_at IS NOT NULL AND last_error IS NULL AND attempts = 2";
        long marked = 0;
        while (DateTime.UtcNow < deadline && (marked = await Accounts.CountAsync(App, sent, new { e = email.ToLowerInvariant() })) == 0)
            await Task.Delay(200);
        marked.ShouldBe(1, "sent on the second attempt, after the simulated failure");
        App.Delivery.Sent.Count(m => m.To == email.ToLowerInvariant()).ShouldBe(1, "delivered once");
    }
}

public sealed class SqliteOutboxDeliveryTests(MailSqliteAppFactory app) : OutboxDeliveryTests<MailSqliteAppFactory>(app), IClassFixture<MailSqliteAppFactory>;

public sealed class PostgresOutboxDeliveryTests(MailPostgresAppFactory app) : OutboxDeliveryTests<MailPostgresAppFactory>(app), IClassFixture<MailPostgresAppFactory>;
