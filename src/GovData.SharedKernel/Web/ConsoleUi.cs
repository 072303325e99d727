using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.WebUtilities;

namespace GovData.SharedKernel.Web;

// Form errors, list paging and formatting used by the console pages of every module (the pager's markup is the
// partial /Identity/Features/Shared/_Pager.cshtml).

/// <summary>
/// Field errors of a console form, keyed like the services' error dictionaries (camelCase field names, which are
/// also the form fields' names and ids), so a service message lands next to the field it is about.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when any field has an error.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Every message, field by field.</summary>
    public IEnumerable<string> Messages => _errors.Values.SelectMany(m => m);

    /// <summary>Adds a message to a field (a repeated message is kept once).</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    /// <summary>Adds a service's error dictionary (field → messages).</summary>
    public void AddRange(IDictionary<string, string[]>? errors)
    {
        if (errors is null) return;
        foreach (var (field, messages) in errors)
            foreach (var m in messages) Add(field, m);
    }

    /// <summary>
    /// Turns model-binding failures (letters in a number field, a malformed id) into Chinese messages:
    /// <paramref name="messages"/> maps a field name to what it should contain.
    /// </summary>
    public void AddBindingErrors(ModelStateDictionary modelState, IReadOnlyDictionary<string, string> messages)
    {
        foreach (var (key, entry) in modelState)
        {
            if (entry.ValidationState != ModelValidationState.Invalid) continue;
            Add(key, messages.TryGetValue(key, out var message) ? message : "提交的数据格式不正确，请检查后重新提交");
        }
    }

    /// <summary>True when the field (or one of its sub-fields, see <see cref="For"/>) has an error.</summary>
    public bool Has(string field) => For(field) is not null;

    /// <summary>
    /// The errors of the field and of its sub-fields joined with “；”, or null: <c>items</c> also collects
    /// <c>items[2]</c> and <c>rowScope</c> collects <c>rowScope[0].op</c>, so a list's errors show under the list.
    /// </summary>
    public string? For(string field)
    {
        var found = _errors.Where(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value).ToList();
        return found.Count == 0 ? null : string.Join("；", found);
    }

    /// <summary>Value for aria-invalid: "true" or null (Razor then omits the attribute).</summary>
    public string? Invalid(string field) => Has(field) ? "true" : null;

    /// <summary>Value for aria-describedby pointing at the field's error, or the hint when there is no error.</summary>
    public string? DescribedBy(string field, string? hintId = null) => Has(field) ? $"{field}-error" : hintId;

    /// <summary>
    /// Parses an optional whole number typed in a form field (blank → null); a value that is not a whole number in
    /// [<paramref name="min"/>, <paramref name="max"/>] becomes an error on <paramref name="field"/> naming <paramref name="label"/>.
    /// </summary>
    public long? Number(string? text, string field, string label, long min, long max)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        Add(field, $"{label}应为 {min} 到 {max} 之间的整数，收到“{text.Trim()}”");
        return null;
    }

    /// <summary>The field's error as <c>&lt;p class="field-error" id="{field}-error"&gt;</c>, or nothing.</summary>
    public IHtmlContent Show(string field)
    {
        if (For(field) is not { } message) return HtmlString.Empty;
        var p = new TagBuilder("p");
        p.AddCssClass("field-error");
        p.Attributes["id"] = $"{field}-error";
        p.InnerHtml.Append(message);
        return p;
    }
}

/// <summary>Formatting shared by the console pages.</summary>
public static class ConsoleFormat
{
    /// <summary>A stored UTC time in the server's local time zone (Beijing time in deployment), or “—”.</summary>
    public static string Time(DateTime? utc, bool seconds = false) =>
        utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime().ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>Builds <c>path?a=1&amp;b=2</c>, leaving out empty values.</summary>
    public static string Link(string path, params (string Key, string? Value)[] query) =>
        QueryHelpers.AddQueryString(path, query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value)));
}

/// <summary>A page of a list: which page, how many, and how to link to another page with the same filters.</summary>
public sealed record Pager(int Page, int PageSize, int Total, Func<int, string> Link)
{
    /// <summary>Number of pages (at least 1).</summary>
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    /// <summary>Rows before the (clamped) current page.</summary>
    public int Skip => (Math.Clamp(Page, 1, Pages) - 1) * PageSize;

    /// <summary>Clamps a requested page number to at least 1.</summary>
    public static int Normalize(int? page) => Math.Max(1, page ?? 1);
}
