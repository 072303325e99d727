using Microsoft.Extensions.Configuration;

namespace GovData.Portal.Features.Open;

/// <summary>
/// Limits of the open data interfaces (section <c>GovData:Portal:OpenApi</c>): calls per minute and per day for anonymous
/// callers (by client IP address) and for callers with a developer's API key (by key); the largest page of rows; the rows
/// of the preview on the dataset page. Every value must be a positive integer; a wrong one fails the first use with the
/// setting named.
/// </summary>
internal sealed class OpenAccessSettings
{
    public const string Section = "GovData:Portal:OpenApi";

    public OpenAccessSettings(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        AnonymousPerMinute = Read(section, nameof(AnonymousPerMinute), 30);
        AnonymousPerDay = Read(section, nameof(AnonymousPerDay), 1_000);
        KeyedPerMinute = Read(section, nameof(KeyedPerMinute), 300);
        KeyedPerDay = Read(section, nameof(KeyedPerDay), 50_000);
        MaxRows = Read(section, nameof(MaxRows), 1_000);
        PreviewRows = Read(section, nameof(PreviewRows), 20);
    }

    /// <summary>Anonymous calls per minute and client IP address (default 30).</summary>
    public int AnonymousPerMinute { get; }

    /// <summary>Anonymous calls per day and client IP address (default 1,000).</summary>
    public int AnonymousPerDay { get; }

    /// <summary>Calls per minute and developer API key (default 300).</summary>
    public int KeyedPerMinute { get; }

    /// <summary>Calls per day and developer API key (default 50,000).</summary>
    public int KeyedPerDay { get; }

    /// <summary>Largest page of rows of the open API and <c>datastore_search</c> (default 1,000).</summary>
    public int MaxRows { get; }

    /// <summary>Rows of the preview table on the dataset page (default 20).</summary>
    public int PreviewRows { get; }

    private static int Read(IConfigurationSection section, string key, int fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text.Trim(), out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"配置项 {Section}:{key} 的值“{text}”无效，应为正整数");
    }
}
