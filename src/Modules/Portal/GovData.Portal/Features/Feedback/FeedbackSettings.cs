using System.Globalization;
using System.Text;
using GovData.Portal.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace GovData.Portal.Features.Feedback;

/// <summary>
/// Settings of the feedback loops (section <c>GovData:Portal:Feedback</c>): <c>ResponseDays</c> — time limit of the
/// providing department for 纠错 and 数据需求 (default 10 days); <c>PostsPerHour</c> — comments, 纠错 and 数据需求 one
/// account may submit per hour together (default 10); <c>SensitiveWords</c> — a list of words refused in user text (added
/// to the list the platform administrator keeps in the database).
/// </summary>
internal sealed class FeedbackSettings(IConfiguration configuration)
{
    public const int CommentMaxLength = 1000;
    public const int DescriptionMaxLength = 2000;
    public const int TitleMaxLength = 100;
    public const int ShortFieldMaxLength = 100;
    public const int AnswerMaxLength = 2000;

    public int ResponseDays { get; } = Positive(configuration, "ResponseDays", 10);

    public int PostsPerHour { get; } = Positive(configuration, "PostsPerHour", 10);

    public IReadOnlyList<string> ConfiguredWords { get; } = configuration.GetSection("GovData:Portal:Feedback:SensitiveWords")
        .GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();

    private static int Positive(IConfiguration configuration, string key, int fallback) =>
        int.TryParse(configuration["GovData:Portal:Feedback:" + key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}

/// <summary>
/// The sensitive-word filter. Text and words are compared after Unicode NFKC normalisation (full-width → half-width),
/// lower-casing and removing white space and common separators, so “敏 感”, “敏*感” and “ＡＢＣ” still match. A hit is
/// <b>refused</b> with a Chinese message naming the word (the author can rephrase at once; nothing waits for a moderator).
/// </summary>
internal sealed class SensitiveWordFilter(PortalDb db, FeedbackSettings settings)
{
    public static string Normalize(string text)
    {
        var s = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            if (!char.IsWhiteSpace(c) && c is not ('*' or '.' or '-' or '_' or '·' or '|' or '/' or '\\' or '　' or '。' or '，' or ','))
                b.Append(c);
        return b.ToString();
    }

    /// <summary>Every word in force: configured ones and the database list.</summary>
    public async Task<IReadOnlyList<string>> WordsAsync(CancellationToken ct = default)
    {
        var stored = await db.SensitiveWords.AsNoTracking().Select(w => w.Word).ToListAsync(ct);
        return settings.ConfiguredWords.Concat(stored).Distinct().ToList();
    }

    /// <summary>The first word found in any of the texts, or null.</summary>
    public async Task<string?> FindAsync(CancellationToken ct, params string?[] texts)
    {
        var words = await WordsAsync(ct);
        if (words.Count == 0) return null;
        var normalized = texts.Where(t => !string.IsNullOrEmpty(t)).Select(t => Normalize(t!)).ToList();
        foreach (var word in words)
        {
            var w = Normalize(word);
            if (w.Length > 0 && normalized.Any(t => t.Contains(w, StringComparison.Ordinal))) return word;
        }
        return null;
    }
}
