using GovData.Exchange.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Access;

/// <summary>States of an application credential.</summary>
internal static class AppStatus
{
    /// <summary>有效: signed requests with its secret are accepted.</summary>
    public const string Active = "active";
    /// <summary>已吊销: every request is refused; cannot be undone (register a new application).</summary>
    public const string Revoked = "revoked";

    public static string Label(string status) => status == Active ? "有效" : status == Revoked ? "已吊销" : status;
}

/// <summary>
/// An application of a consumer department (调用方应用, <c>exchange_apps</c>): the client id it signs requests with and its
/// secret, stored protected with ASP.NET Core Data Protection (the HMAC needs the secret itself, so a one-way hash would not
/// do). The secret is shown once, when created or rotated.
/// </summary>
internal sealed class AppCredential
{
    public Guid Id { get; set; }
    /// <summary>The consumer department the application acts for (its grants apply).</summary>
    public Guid DepartmentId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary><c>gdc_</c> + 20 lowercase hex characters; sent as <c>X-GovData-Client</c>.</summary>
    public string ClientId { get; set; } = "";
    /// <summary>The secret, protected (<see cref="AppSecrets"/>).</summary>
    public string SecretProtected { get; set; } = "";
    /// <summary>The last 4 characters of the secret, to tell secrets apart in lists.</summary>
    public string SecretHint { get; set; } = "";
    /// <summary>After a rotation: the previous secret, valid until <see cref="PreviousValidUntil"/>.</summary>
    public string? PreviousSecretProtected { get; set; }
    public DateTime? PreviousValidUntil { get; set; }
    public string Status { get; set; } = AppStatus.Active;
    public Guid? CreatedBy { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? RotatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedByName { get; set; }
    public string? RevokeReason { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>EF Core mapping of the access tables (migration <c>0003_access</c>); called from <see cref="ExchangeDb"/>.</summary>
internal static class AccessModel
{
    public static void ConfigureAccess(this ModelBuilder b)
    {
        b.Entity<AppCredential>(e =>
        {
            e.ToTable("exchange_apps");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        b.Entity<FileJob>(e =>
        {
            e.ToTable("exchange_file_jobs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
    }

    /// <summary>The file extracts.</summary>
    public static DbSet<FileJob> FileJobs(this ExchangeDb db) => db.Set<FileJob>();

    /// <summary>The applications.</summary>
    public static DbSet<AppCredential> Apps(this ExchangeDb db) => db.Set<AppCredential>();
}
