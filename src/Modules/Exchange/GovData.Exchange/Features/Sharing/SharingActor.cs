using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// Who is calling, as the sharing rules see it (exchange-design.md, roles): consumer (用数方: 用数人员 and 部门管理员 of the
/// requesting department), provider (部门管理员 of the providing department), competent department (目录审核员 at a 主管部门,
/// for the providers of its region and the regions below; 平台管理员 everywhere), auditor (安全审计员, read only).
/// </summary>
internal sealed record SharingActor(Guid? UserId, string Name, DepartmentInfo? Department, IReadOnlySet<string> Roles)
{
    /// <summary>Reads the signed-in principal and its department.</summary>
    public static async Task<SharingActor> FromPrincipalAsync(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct)
    {
        var department = user.GetDepartmentId() is { } id ? await departments.FindAsync(id, ct) : null;
        var roles = Identity.Contracts.Roles.All.Where(user.IsInRole).ToHashSet();
        return new SharingActor(user.GetUserId(), user.GetDisplayName(), department, roles);
    }

    public bool IsPlatformAdmin => Roles.Contains(Identity.Contracts.Roles.PlatformAdmin);
    public bool IsAuditor => Roles.Contains(Identity.Contracts.Roles.SecurityAuditor);
    public bool IsDepartmentAdmin => Department is not null && Roles.Contains(Identity.Contracts.Roles.DepartmentAdmin);

    /// <summary>用数人员 or 部门管理员 of a department: may request and follow its department's requests and grants.</summary>
    public bool IsConsumerStaff => Department is not null &&
        (Roles.Contains(Identity.Contracts.Roles.DataUser) || Roles.Contains(Identity.Contracts.Roles.DepartmentAdmin));

    /// <summary>目录审核员 sitting at a competent department (主管部门).</summary>
    public bool IsCompetentReviewer => Department is { IsCompetent: true } && Roles.Contains(Identity.Contracts.Roles.CatalogReviewer);

    /// <summary>Acts for the competent department somewhere (reviewer at a 主管部门, or platform administrator).</summary>
    public bool HasCompetentRole => IsCompetentReviewer || IsPlatformAdmin;

    /// <summary>Consumer of <paramref name="departmentId"/>.</summary>
    public bool IsConsumerOf(Guid departmentId) => IsConsumerStaff && Department!.Id == departmentId;

    /// <summary>Decides for the providing department.</summary>
    public bool IsProviderOf(Guid departmentId) => IsDepartmentAdmin && Department!.Id == departmentId;

    /// <summary>Competent for providers in <paramref name="providerRegionCode"/>: its region or a region below the reviewer's.</summary>
    public bool IsCompetentFor(string providerRegionCode, RegionDirectory regions) =>
        IsPlatformAdmin || (IsCompetentReviewer && regions.IsWithin(providerRegionCode, Department!.RegionCode));

    /// <summary>May read a request.</summary>
    public bool CanSee(SharingRequest r, RegionDirectory regions) =>
        IsConsumerOf(r.ConsumerDepartmentId) || IsProviderOf(r.ProviderDepartmentId) || IsAuditor || IsCompetentFor(r.ProviderRegionCode, regions);

    /// <summary>May read a grant (the competent department of the provider's region included).</summary>
    public bool CanSee(Grant g, string? providerRegionCode, RegionDirectory regions) =>
        IsConsumerOf(g.ConsumerDepartmentId) || IsProviderOf(g.ProviderDepartmentId) || IsAuditor
        || (providerRegionCode is not null && IsCompetentFor(providerRegionCode, regions));

    /// <summary>As recorded in events and the audit log.</summary>
    public Actor ToActor() => new(UserId, Name, Department?.Id);
}

/// <summary>Outcome of a sharing operation, mapped to HTTP by the endpoints.</summary>
internal sealed record SharingResult<T>(T? Value, Dictionary<string, string[]>? Errors = null, bool NotFound = false, string? Forbidden = null, string? Conflict = null)
{
    /// <summary>True when the operation succeeded (<see cref="Value"/> is the result).</summary>
    public bool Ok => Errors is null && !NotFound && Forbidden is null && Conflict is null;

    public static SharingResult<T> Success(T value) => new(value);
    public static SharingResult<T> Invalid(Dictionary<string, string[]> errors) => new(default, errors);
    public static SharingResult<T> Invalid(string field, string message) => new(default, new() { [field] = [message] });
    public static SharingResult<T> Missing() => new(default, NotFound: true);
    public static SharingResult<T> Deny(string reason) => new(default, Forbidden: reason);
    public static SharingResult<T> Clash(string reason) => new(default, Conflict: reason);

    /// <summary>A domain refusal: bad input with a field → 400, otherwise a state conflict → 409.</summary>
    public static SharingResult<T> From(SharingException ex) => ex.Errors is { } e ? Invalid(e) : Clash(ex.Message);

    /// <summary>The same failure for another value type.</summary>
    public SharingResult<TOther> As<TOther>() => new(default, Errors, NotFound, Forbidden, Conflict);
}

/// <summary>A page of results.</summary>
internal sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Collects per-field Chinese messages.</summary>
internal sealed class FieldErrors
{
    public Dictionary<string, string[]> Errors { get; } = new();

    public bool Any => Errors.Count > 0;

    public void Add(string field, string message) =>
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>Checks page and pageSize (1–200) and returns them with defaults.</summary>
    public (int Page, int PageSize) Paging(int? page, int? pageSize)
    {
        if (page is < 1) Add("page", "page 必须是从 1 开始的页码");
        if (pageSize is < 1 or > 200) Add("pageSize", "pageSize 必须在 1 到 200 之间");
        return (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 20, 1, 200));
    }
}
