using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Demo;
using GovData.Identity.Features.ApiKeys;
using GovData.Identity.Features.Auth;
using GovData.Identity.Features.Departments;
using GovData.Identity.Features.Home;
using GovData.Identity.Features.Regions;
using GovData.Identity.Features.Registration;
using GovData.Identity.Features.SecurityLog;
using GovData.Identity.Features.Users;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Identity;

/// <summary>Wiring of the Identity module: departments, users, roles, sign-in, API keys and the security log.</summary>
public static class IdentityModule
{
    /// <summary>Authentication scheme that picks API key or cookie per request.</summary>
    public const string DefaultScheme = "GovData";

    /// <summary>Registers the module's services, schema, authentication and authorization policies.</summary>
    public static IServiceCollection AddIdentityModule(this IServiceCollection services)
    {
        services.AddModuleSchema("identity", typeof(IdentityModule).Assembly, 10);
        services.AddDbContext<IdentityDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddHttpContextAccessor();
        services.AddScoped<DepartmentScope>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<DepartmentAdministration>();
        services.AddScoped<DepartmentImport>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<IDeveloperKeys, DeveloperKeys>();
        services.AddScoped<LoginService>();
        services.AddPublicAccounts();
        services.AddScoped<IDepartmentDirectory, DepartmentDirectory>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<IConsoleStatistics, IdentityStatistics>();
        services.AddSingleton<IDemoSeeder, IdentityDemoSeeder>();
        foreach (var item in Navigation) services.AddSingleton(item);

        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "API 密钥或登录会话", o => o.ForwardDefaultSelector = ctx =>
                ApiKeyAuthenticationHandler.HasKey(ctx.Request) ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "govdata.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, 401);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, 403);
                o.Events.OnValidatePrincipal = ValidateSecurityStampAsync;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser().RequireClaim(GovDataClaims.DepartmentId))
            .AddPolicy(Policies.PlatformAdmin, p => p.RequireRole(Roles.PlatformAdmin))
            .AddPolicy(Policies.ManageUsers, p => p.RequireRole(Roles.PlatformAdmin, Roles.DepartmentAdmin))
            .AddPolicy(Policies.ReadAuditLog, p => p.RequireRole(Roles.SecurityAuditor, Roles.PlatformAdmin)
                .RequireAssertion(c => c.User.HasScope(ApiScopes.AuditRead)))
            .AddPolicy(Policies.ReadIdentity, p => p.RequireAuthenticatedUser().RequireClaim(GovDataClaims.DepartmentId)
                .RequireAssertion(c => c.User.HasScope(ApiScopes.IdentityRead) || c.User.HasScope(ApiScopes.IdentityWrite)));
        return services;
    }

    /// <summary>Maps the module's API under <c>/api/v1/identity</c> and the account endpoints.</summary>
    public static IEndpointRouteBuilder MapIdentityModule(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/identity");
        api.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new
        {
            id = user.GetUserId(),
            userName = user.Identity?.Name,
            displayName = user.GetDisplayName(),
            departmentId = user.GetDepartmentId(),
            roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
            scopes = user.IsApiKeyCaller() ? user.FindAll(GovDataClaims.Scope).Select(c => c.Value).ToArray() : null,
        })).RequireAuthorization(Policies.SignedIn).WithTags("账号").WithSummary("当前调用者");
        api.MapDepartmentsApi();
        api.MapUsersApi();
        api.MapApiKeysApi();
        api.MapSecurityLogApi();
        app.MapGroup("/api/v1").MapRegionsApi();
        return app;
    }

    internal static readonly ConsoleNavItem[] Navigation =
    [
        new("系统管理", "部门管理", "/console/departments", 900, u => u.IsInRole(Roles.PlatformAdmin) || u.IsInRole(Roles.DepartmentAdmin) || u.IsInRole(Roles.SecurityAuditor)),
        new("系统管理", "用户与角色", "/console/users", 910, u => u.IsInRole(Roles.PlatformAdmin) || u.IsInRole(Roles.DepartmentAdmin) || u.IsInRole(Roles.SecurityAuditor)),
        new("系统管理", "API 密钥", "/console/apikeys", 920, u => u.Identity?.IsAuthenticated == true),
        new("系统管理", "安全日志", "/console/security-log", 930, u => u.IsInRole(Roles.SecurityAuditor) || u.IsInRole(Roles.PlatformAdmin)),
    ];

    private static async Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (status == 403) await RecordAccessDeniedAsync(ctx.HttpContext);
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            await Results.Problem(Problems.DetailFor(status), statusCode: status, title: Problems.TitleFor(status)).ExecuteAsync(ctx.HttpContext);
            return;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
    }

    /// <summary>Records a refused request of a signed-in caller in the security log (auditors review these).</summary>
    internal static async Task RecordAccessDeniedAsync(HttpContext http)
    {
        var db = http.RequestServices.GetRequiredService<IdentityDb>();
        SecurityJournal.Add(db, http, SecurityEventTypes.AccessDenied, false, $"{http.Request.Method} {http.Request.Path}",
            departmentId: http.User.GetDepartmentId());
        await db.SaveChangesAsync();
    }

    /// <summary>Signs out sessions of users who were disabled or whose password/roles changed since sign-in.</summary>
    private static async Task ValidateSecurityStampAsync(CookieValidatePrincipalContext ctx)
    {
        var id = ctx.Principal?.GetUserId();
        var stamp = ctx.Principal?.FindFirstValue(PrincipalFactory.StampClaim);
        if (id is null || stamp is null) { ctx.RejectPrincipal(); return; }
        var db = ctx.HttpContext.RequestServices.GetRequiredService<IdentityDb>();
        var current = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.SecurityStamp, u.IsActive }).FirstOrDefaultAsync();
        if (current is null || !current.IsActive || current.SecurityStamp != stamp)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
