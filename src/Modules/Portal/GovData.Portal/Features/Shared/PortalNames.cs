using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;

namespace GovData.Portal.Features.Shared;

/// <summary>
/// Stable ASCII names (CKAN's <c>[a-z0-9_-]</c>, 2–100 characters) for what the portal publishes:
/// <list type="bullet">
/// <item><b>Datasets (CKAN packages)</b>: the resource code with its '/' written '-': <c>303026010201/1</c> ↔ <c>303026010201-1</c>.
/// A code has only digits and one '/', so the mapping is one-to-one and reversible, never changes (codes are never
/// reused or changed) and needs no table.</item>
/// <item><b>Departments (CKAN organizations)</b>: the department's 统一社会信用代码 in lower case (18 characters,
/// e.g. <c>11370000mb0000001x</c>); a department without a valid code gets <c>dept-</c> + its id (32 hex digits).</item>
/// <item><b>领域 (CKAN groups)</b>: fixed English slugs, see <see cref="Domains"/>.</item>
/// </list>
/// </summary>
internal static partial class PortalNames
{
    [GeneratedRegex(@"^([1-3][0-9]{5,29})-([1-9][0-9]{0,8})$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageNamePattern();

    [GeneratedRegex(@"^[0-9a-z]{18}$", RegexOptions.CultureInvariant)]
    private static partial Regex CreditCodeName();

    /// <summary>The package name of a resource code.</summary>
    public static string Package(ResourceCode code) => code.Prefix + "-" + code.Suffix;

    /// <summary>The resource code of a package name; false for anything else.</summary>
    public static bool TryParsePackage(string? name, [NotNullWhen(true)] out ResourceCode? code)
    {
        code = null;
        if (name is null) return false;
        var m = PackageNamePattern().Match(name);
        return m.Success && ResourceCode.TryParse(m.Groups[1].Value + "/" + m.Groups[2].Value, out code);
    }

    /// <summary>The organization name of a department.</summary>
    public static string Organization(DepartmentInfo department)
    {
        var lower = department.CreditCode?.Trim().ToLowerInvariant() ?? "";
        return CreditCodeName().IsMatch(lower) ? lower : "dept-" + department.Id.ToString("N");
    }

    /// <summary>The department named <paramref name="nameOrId"/> (organization name or id), or null.</summary>
    public static DepartmentInfo? FindOrganization(IEnumerable<DepartmentInfo> departments, string? nameOrId)
    {
        if (string.IsNullOrWhiteSpace(nameOrId)) return null;
        var key = nameOrId.Trim();
        if (Guid.TryParse(key, out var id)) return departments.FirstOrDefault(d => d.Id == id);
        return departments.FirstOrDefault(d => string.Equals(Organization(d), key, StringComparison.Ordinal));
    }

    /// <summary>
    /// The 领域 as CKAN groups and DCAT themes: slug, English title, and the EU data theme
    /// (http://publications.europa.eu/resource/authority/data-theme/…) closest to it.
    /// </summary>
    public static IReadOnlyList<DomainName> Domains { get; } =
    [
        new("企业", "enterprise", "Enterprises", "ECON"),
        new("人社", "human-resources-social-security", "Human resources and social security", "SOCI"),
        new("教育", "education", "Education", "EDUC"),
        new("医疗卫生", "health", "Health", "HEAL"),
        new("民政", "civil-affairs", "Civil affairs", "SOCI"),
        new("建设", "construction", "Housing and construction", "REGI"),
        new("交通运输", "transport", "Transport", "TRAN"),
        new("文化", "culture", "Culture and tourism", "EDUC"),
        new("科技", "science-technology", "Science and technology", "TECH"),
        new("农业", "agriculture", "Agriculture", "AGRI"),
        new("安全生产", "work-safety", "Work safety and emergencies", "JUST"),
        new("环保", "environment", "Environment", "ENVI"),
    ];

    /// <summary>The domain with this Chinese name, slug or (case-insensitively) title; null when none.</summary>
    public static DomainName? FindDomain(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        var k = key.Trim();
        return Domains.FirstOrDefault(d => d.Name == k || d.Slug == k || string.Equals(d.Title, k, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The domain of a Chinese name (every name of <see cref="CatalogDomains.Names"/> has one).</summary>
    public static DomainName Domain(string name) =>
        Domains.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"未知的领域：{name}", nameof(name));
}

/// <summary>A 领域 as a CKAN group and a DCAT theme.</summary>
/// <param name="Name">Chinese name (the catalog's domain).</param>
/// <param name="Slug">ASCII group name.</param>
/// <param name="Title">English title.</param>
/// <param name="EuTheme">Code of the EU data theme vocabulary.</param>
internal sealed record DomainName(string Name, string Slug, string Title, string EuTheme)
{
    /// <summary>IRI of the EU data theme.</summary>
    public string EuThemeIri => "http://publications.europa.eu/resource/authority/data-theme/" + EuTheme;
}
