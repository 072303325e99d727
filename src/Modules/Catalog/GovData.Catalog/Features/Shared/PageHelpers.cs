using System.Text.RegularExpressions;
using GovData.Catalog.Domain;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace GovData.Catalog.Features.Shared;

/// <summary>
/// Messages attached to the fields of a catalog form, keyed like <see cref="ResourceValidator"/>'s errors and the
/// reviewers' comments (<c>name</c>, <c>shareCondition</c>, <c>items[2].dataType</c>), which are also the form
/// fields' names, so a service message lands next to the field it is about.
/// </summary>
internal sealed partial class FieldMessages
{
    private readonly Dictionary<string, List<string>> _messages = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _css;
    private readonly string _suffix;

    /// <param name="css">Class of the paragraph shown under a field (field-error, review-note).</param>
    /// <param name="suffix">Suffix of the paragraph's id (<c>{field}-error</c>).</param>
    public FieldMessages(string css = "field-error", string suffix = "error")
    {
        _css = css;
        _suffix = suffix;
    }

    public bool Any => _messages.Count > 0;

    public int Count => _messages.Values.Sum(m => m.Count);

    /// <summary>Every (field, message), in the order added.</summary>
    public IEnumerable<(string Field, string Message)> All => _messages.SelectMany(kv => kv.Value.Select(m => (kv.Key, m)));

    public IEnumerable<string> Fields => _messages.Keys;

    public void Add(string field, string message)
    {
        if (!_messages.TryGetValue(field, out var list)) _messages[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    public void AddRange(IEnumerable<KeyValuePair<string, string[]>>? messages)
    {
        if (messages is null) return;
        foreach (var (field, list) in messages)
            foreach (var m in list) Add(field, m);
    }

    public bool Has(string field) => _messages.ContainsKey(field);

    public string? For(string field) => _messages.TryGetValue(field, out var list) ? string.Join("；", list) : null;

    /// <summary>Messages of information item <paramref name="index"/> (its row and its cells).</summary>
    public IEnumerable<string> ForItem(int index) =>
        _messages.Where(kv => ItemIndex(kv.Key) == index).SelectMany(kv => kv.Value);

    /// <summary>Messages about fields not shown on the form (none of <paramref name="shown"/> and not an item key).</summary>
    public IEnumerable<string> Unplaced(IEnumerable<string> shown)
    {
        var set = new HashSet<string>(shown, StringComparer.OrdinalIgnoreCase);
        return _messages.Where(kv => !set.Contains(kv.Key) && ItemIndex(kv.Key) is null).SelectMany(kv => kv.Value);
    }

    /// <summary>"true" when the field has a message (for aria-invalid), else null so Razor omits the attribute.</summary>
    public string? Invalid(string field) => _messages.ContainsKey(field) ? "true" : null;

    /// <summary>Id of the field's message paragraph when it has one, else <paramref name="hintId"/>.</summary>
    public string? DescribedBy(string field, string? hintId = null) =>
        _messages.ContainsKey(field) ? $"{PageFormat.Id(field)}-{_suffix}" + (hintId is null ? "" : " " + hintId) : hintId;

    /// <summary>The field's messages as a paragraph, or nothing.</summary>
    public IHtmlContent Show(string field, string? prefix = null)
    {
        if (For(field) is not { } message) return HtmlString.Empty;
        var p = new TagBuilder("p");
        p.AddCssClass(_css);
        p.Attributes["id"] = $"{PageFormat.Id(field)}-{_suffix}";
        p.InnerHtml.Append((prefix ?? "") + message);
        return p;
    }

    [GeneratedRegex(@"^items\[(\d{1,4})\]")]
    private static partial Regex ItemPrefix();

    /// <summary>The 0-based item index of a key such as <c>items[3].length</c>, or null.</summary>
    public static int? ItemIndex(string key) => ItemPrefix().Match(key) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;
}

/// <summary>Formatting of the catalog console pages (times, links and paging: <see cref="GovData.SharedKernel.Web.ConsoleFormat"/>, <see cref="GovData.SharedKernel.Web.Pager"/>).</summary>
internal static class PageFormat
{
    /// <summary>“3天5小时”, “4小时12分钟”, “不到1分钟”.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return "不到1分钟";
        if (span.TotalDays >= 1) return $"{(int)span.TotalDays}天" + (span.Hours > 0 ? $"{span.Hours}小时" : "");
        if (span.TotalHours >= 1) return $"{(int)span.TotalHours}小时" + (span.Minutes > 0 ? $"{span.Minutes}分钟" : "");
        return $"{span.Minutes}分钟";
    }

    /// <summary>An HTML id for a field key: <c>items[2].dataType</c> → <c>items-2-dataType</c>.</summary>
    public static string Id(string key) => key.Replace("[", "-").Replace("].", "-").Replace("]", "").Replace(".", "-");

    /// <summary>Badge class of a status or lifecycle phase label (草稿, 待审核, 已发布（修订待审核）…).</summary>
    public static string BadgeFor(string? label) => label switch
    {
        null => "",
        _ when label.StartsWith("已发布（修订已驳回") => "badge-err",
        _ when label.StartsWith("已发布（修订待审核") => "badge-warn",
        _ when label.StartsWith("已发布（修订草稿") => "badge-accent",
        _ when label.StartsWith("已发布") => "badge-ok",
        "待审核" => "badge-warn",
        "已驳回" => "badge-err",
        "已下线" => "badge-muted",
        _ => "",
    };

    /// <summary>Shown for an empty value.</summary>
    public static string OrDash(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;
}
