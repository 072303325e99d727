using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Catalog.Features.Shared;

/// <summary>Authorization policies of the catalog API. Role and department checks happen per entry in the services.</summary>
internal static class CatalogPolicies
{
    /// <summary>Government staff reading the catalog (API keys need catalog:read or catalog:write).</summary>
    public const string Read = "govdata.catalog.read";
    /// <summary>Government staff changing the catalog (API keys need catalog:write).</summary>
    public const string Write = "govdata.catalog.write";

    public static void Register(AuthorizationBuilder builder) => builder
        .AddPolicy(Read, p => p.RequireAuthenticatedUser().RequireClaim(GovDataClaims.DepartmentId)
            .RequireAssertion(c => c.User.HasScope(ApiScopes.CatalogRead) || c.User.HasScope(ApiScopes.CatalogWrite)))
        .AddPolicy(Write, p => p.RequireAuthenticatedUser().RequireClaim(GovDataClaims.DepartmentId)
            .RequireAssertion(c => c.User.HasScope(ApiScopes.CatalogWrite)));
}
