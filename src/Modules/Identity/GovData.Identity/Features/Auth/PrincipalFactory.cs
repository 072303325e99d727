using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Persistence;

namespace GovData.Identity.Features.Auth;

internal static class PrincipalFactory
{
    public const string StampClaim = "govdata:stamp";

    public static ClaimsPrincipal Create(User user, Department? department, string scheme, ApiKey? apiKey = null)
    {
        var claims = new List<Claim>
        {
            new(GovDataClaims.UserId, user.Id.ToString()),
            new(ClaimTypes.Name, user.UserName),
            new(GovDataClaims.DisplayName, user.DisplayName),
            new(StampClaim, user.SecurityStamp),
        };
        if (department is not null)
        {
            claims.Add(new Claim(GovDataClaims.DepartmentId, department.Id.ToString()));
            claims.Add(new Claim(GovDataClaims.RegionCode, department.RegionCode));
        }
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.Role)));
        if (apiKey is not null)
        {
            claims.Add(new Claim(GovDataClaims.ApiKeyId, apiKey.Id.ToString()));
            claims.AddRange(apiKey.ScopeList.Select(s => new Claim(GovDataClaims.Scope, s)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
