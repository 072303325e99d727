using System.Security.Claims;

namespace GovData.Identity.Contracts;

/// <summary>Claim types the platform issues, and helpers other modules use to read the caller.</summary>
public static class GovDataClaims
{
    /// <summary>The user's id (GUID).</summary>
    public const string UserId = ClaimTypes.NameIdentifier;
    /// <summary>The user's department id (GUID), absent for public accounts.</summary>
    public const string DepartmentId = "govdata:dept";
    /// <summary>The department's region code (GB/T 2260).</summary>
    public const string RegionCode = "govdata:region";
    /// <summary>One claim per API scope, present only when the caller authenticated with an API key.</summary>
    public const string Scope = "govdata:scope";
    /// <summary>Id of the API key used, when any.</summary>
    public const string ApiKeyId = "govdata:apikey";
    /// <summary>Display name (姓名).</summary>
    public const string DisplayName = "govdata:display";

    /// <summary>The caller's user id, or null when anonymous.</summary>
    public static Guid? GetUserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(UserId), out var id) ? id : null;

    /// <summary>The caller's department id, or null.</summary>
    public static Guid? GetDepartmentId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(DepartmentId), out var id) ? id : null;

    /// <summary>The caller's display name, falling back to the login name.</summary>
    public static string GetDisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayName) ?? user.Identity?.Name ?? "匿名";

    /// <summary>True when the caller used an API key (scopes then apply).</summary>
    public static bool IsApiKeyCaller(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == ApiKeyId);

    /// <summary>
    /// True when the caller may use <paramref name="scope"/>: cookie sessions carry all of their roles'
    /// rights; API keys only the scopes they were created with.
    /// </summary>
    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        !user.IsApiKeyCaller() || user.HasClaim(Scope, scope);
}
