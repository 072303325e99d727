using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace GovData.Identity.Features.Registration;

/// <summary>
/// Settings of public accounts (section <c>GovData:Accounts</c>): <c>VerificationTokenHours</c> (default 24),
/// <c>RegistrationAttemptsPerHour</c> per client address (default 10), <c>ResendsPerHour</c> per client address
/// (default 5), <c>OutboxIntervalSeconds</c> (default 15), <c>PublicBaseUrl</c> (address used in the links of e-mails; default: the request's).
/// </summary>
internal sealed class AccountSettings(IConfiguration configuration)
{
    public TimeSpan TokenLifetime { get; } = TimeSpan.FromHours(Positive(configuration, "VerificationTokenHours", 24));

    public int RegistrationAttemptsPerHour { get; } = Positive(configuration, "RegistrationAttemptsPerHour", 10);

    public int ResendsPerHour { get; } = Positive(configuration, "ResendsPerHour", 5);

    /// <summary>How often the outbox dispatcher looks for pending mail (<c>OutboxIntervalSeconds</c>, default 15).</summary>
    public TimeSpan OutboxInterval { get; } = TimeSpan.FromSeconds(Positive(configuration, "OutboxIntervalSeconds", 15));

    public string? ConfiguredBaseUrl { get; } = configuration["GovData:Accounts:PublicBaseUrl"]?.Trim().TrimEnd('/') is { Length: > 0 } b ? b : null;

    public string BaseUrl(HttpRequest request) => ConfiguredBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static int Positive(IConfiguration configuration, string key, int fallback) =>
        int.TryParse(configuration["GovData:Accounts:" + key], out var v) && v > 0 ? v : fallback;
}
