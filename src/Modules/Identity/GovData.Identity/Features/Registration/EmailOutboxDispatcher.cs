using GovData.Identity.Contracts;
using GovData.Identity.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovData.Identity.Features.Registration;

/// <summary>
/// Sends the outbox through the host's <see cref="IEmailDelivery"/>, when one is registered (none is by default: the
/// mail then stays in <c>identity_email_outbox</c> and the log). Several hosts may run it against one database: a
/// message is claimed for two minutes by a conditional UPDATE before it is sent, so only one host sends it. Failed
/// sends are retried up to <see cref="MaxAttempts"/> times.
/// </summary>
internal sealed class EmailOutboxDispatcher(IServiceScopeFactory scopes, TimeProvider clock, AccountSettings settings, ILogger<EmailOutboxDispatcher> logger) : BackgroundService
{
    public const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using (var probe = scopes.CreateScope())
            if (probe.ServiceProvider.GetService<IEmailDelivery>() is null) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendPendingAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "发件箱投递失败，稍后重试");
            }
            await Task.Delay(settings.OutboxInterval, clock, stoppingToken);
        }
    }

    /// <summary>Sends every pending message this host can claim; returns how many were sent.</summary>
    public async Task<int> SendPendingAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var delivery = scope.ServiceProvider.GetRequiredService<IEmailDelivery>();
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await db.Outbox.AsNoTracking()
            .Where(m => m.SentAt == null && m.Attempts < MaxAttempts && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.CreatedAt).Take(50).ToListAsync(ct);
        var sent = 0;
        foreach (var m in pending)
        {
            var until = now.AddMinutes(2);
            var claimed = await db.Outbox.Where(x => x.Id == m.Id && x.SentAt == null && (x.ClaimedUntil == null || x.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ClaimedUntil, until).SetProperty(x => x.Attempts, x => x.Attempts + 1), ct);
            if (claimed == 0) continue;
            try
            {
                await delivery.SendAsync(new EmailMessage(m.Id, m.ToAddress, m.Subject, m.Body), ct);
                var at = clock.GetUtcNow().UtcDateTime;
                await db.Outbox.Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SentAt, at).SetProperty(x => x.LastError, (string?)null), ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var error = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
                await db.Outbox.Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastError, error).SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
                logger.LogWarning(ex, "邮件 {Id} 发送失败（第 {Attempt} 次）", m.Id, m.Attempts + 1);
            }
        }
        return sent;
    }
}

/// <summary>Registration of public accounts (one line in <see cref="IdentityModule"/>).</summary>
internal static class PublicAccountsRegistration
{
    public static IServiceCollection AddPublicAccounts(this IServiceCollection services)
    {
        services.AddSingleton<AccountSettings>();
        services.AddScoped<RegistrationService>();
        services.AddScoped<IPublicAccounts, PublicAccounts>();
        services.AddSingleton<EmailOutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailOutboxDispatcher>());
        return services;
    }
}
