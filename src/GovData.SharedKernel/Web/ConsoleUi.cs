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

    /// <summary>True when the field has an error.</summary>
    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>The field's errors joined with “；”, or null.</summary>
    public string? For(string field) => _errors.TryGetValue(field, out var list) ? string.Join("；", list) : null;

    /// <summary>Value for aria-invalid: "true" or null (Razor then omits the attribute).</summary>
    public string? Invalid(string field) => _errors.ContainsKey(field) ? "true" : null;

    /// <summary>Value for aria-describedby pointing at the field's error, or the hint when there is no error.</summary>
    public string? DescribedBy(string field, string? hintId = null) => _errors.ContainsKey(field) ? $"{field}-error" : hintId;

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
