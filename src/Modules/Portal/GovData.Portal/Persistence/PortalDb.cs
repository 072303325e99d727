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

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<DatasetViewCount>(e =>
        {
            e.ToTable("portal_dataset_views");
            e.HasKey(x => new { x.EntryId, x.Day });
        });
        FeedbackModel.Configure(b);
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
