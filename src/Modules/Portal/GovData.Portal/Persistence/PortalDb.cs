using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Persistence;

/// <summary>
/// The Portal module's own tables (prefix <c>portal_</c>; schema from Migrations/*.sql). Catalog content is never
/// stored here: the portal reads the open catalog through <c>GovData.Catalog.Contracts.IOpenCatalog</c>.
/// </summary>
internal sealed class PortalDb(DbContextOptions<PortalDb> options) : DbContext(options)
{
    public DbSet<DatasetViewCount> DatasetViews => Set<DatasetViewCount>();
    public DbSet<Favorite> Favorites => Set<Favorite>();
    public DbSet<Rating> Ratings => Set<Rating>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<Correction> Corrections => Set<Correction>();
    public DbSet<Demand> Demands => Set<Demand>();
    public DbSet<SensitiveWord> SensitiveWords => Set<SensitiveWord>();

    public DbSet<DatasetUsageCount> DatasetUsage => Set<DatasetUsageCount>();
    public DbSet<DeveloperApp> Apps => Set<DeveloperApp>();
    public DbSet<ApiWindow> ApiWindows => Set<ApiWindow>();
    public DbSet<ShowcaseApp> ShowcaseApps => Set<ShowcaseApp>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<DatasetViewCount>(e =>
        {
            e.ToTable("portal_dataset_views");
            e.HasKey(x => new { x.EntryId, x.Day });
        });
        b.Entity<DatasetUsageCount>(e =>
        {
            e.ToTable("portal_dataset_usage");
            e.HasKey(x => new { x.EntryId, x.Day, x.Kind });
            e.Property(x => x.Kind).HasMaxLength(16);
        });
        FeedbackModel.Configure(b);
        DeveloperAppModel.Configure(b);
        Features.OpenApply.OpenApplyModel.Configure(b);
        ShowcaseModel.Configure(b);
        b.UseSnakeCaseNames();
    }
}

/// <summary>Views of one dataset page on one day (server time), counted once per request, robots excluded.</summary>
internal sealed class DatasetViewCount
{
    /// <summary>Catalog entry id of the resource.</summary>
    public Guid EntryId { get; set; }

    /// <summary>The day (server's local date).</summary>
    public DateOnly Day { get; set; }

    /// <summary>The providing department at the time of the views (department statistics without asking the catalog).</summary>
    public Guid DepartmentId { get; set; }

    /// <summary>Number of views.</summary>
    public long Views { get; set; }
}

/// <summary>
/// Use of one dataset on one day (server time) of one kind: <c>api</c> (a data request of the open API or of CKAN's
/// <c>datastore_search</c>) or a file download (<c>csv</c>, <c>xlsx</c>, <c>json</c>, <c>xml</c>), counted once per request on
/// the server, robots excluded (table <c>portal_dataset_usage</c>).
/// </summary>
internal sealed class DatasetUsageCount
{
    public Guid EntryId { get; set; }

    public DateOnly Day { get; set; }

    /// <summary><see cref="UsageKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The providing department at the time (department statistics without asking the catalog).</summary>
    public Guid DepartmentId { get; set; }

    public long Count { get; set; }
}

/// <summary>The kinds of <see cref="DatasetUsageCount"/>.</summary>
internal static class UsageKinds
{
    public const string Api = "api";

    /// <summary>Download formats, in display order.</summary>
    public static readonly IReadOnlyList<string> Downloads = ["csv", "xlsx", "json", "xml"];
}
