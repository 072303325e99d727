using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Persistence;

/// <summary>A developer's app (我的应用, table <c>portal_apps</c>) with the Identity API key currently bound to it.</summary>
internal sealed class DeveloperApp
{
    public Guid Id { get; set; }

    /// <summary>Owner (Identity user id; a public account with the role 开发者).</summary>
    public Guid UserId { get; set; }

    /// <summary>2–50 characters.</summary>
    public required string Name { get; set; }

    /// <summary>Up to 500 characters.</summary>
    public string? Description { get; set; }

    /// <summary>http(s) address, optional.</summary>
    public string? HomepageUrl { get; set; }

    /// <summary>The Identity API key bound now (the previous ones are revoked).</summary>
    public Guid ApiKeyId { get; set; }

    /// <summary><c>active</c> or <c>revoked</c>.</summary>
    public required string Status { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>One counting window of the open API's limits (<c>portal_api_windows</c>; written only by the gate's SQL).</summary>
internal sealed class ApiWindow
{
    /// <summary><c>ip:{address}</c>, <c>key:{api key id}</c> or <c>app:{app id}</c>.</summary>
    public required string Caller { get; set; }

    /// <summary><c>m{yyyyMMddHHmm}</c> (UTC minute) or <c>d{yyyyMMdd}</c> (server's local day).</summary>
    public required string Period { get; set; }

    public long Calls { get; set; }

    /// <summary>Unix seconds.</summary>
    public long EndsAt { get; set; }
}

internal static class DeveloperAppModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<DeveloperApp>(e => e.ToTable("portal_apps"));
        b.Entity<ApiWindow>(e => { e.ToTable("portal_api_windows"); e.HasKey(x => new { x.Caller, x.Period }); });
    }
}
