using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Persistence;

/// <summary>
/// The Data module's own tables (prefix <c>data_</c>); schema from Migrations/*.sql. The dataset rows themselves live in
/// generated per-version tables (<c>data_rows_*</c>) that EF does not map: they are written by the bulk loaders and read
/// with parameterised SQL built from a <c>TableLayout</c>.
/// </summary>
internal sealed class DataDb(DbContextOptions<DataDb> options) : DbContext(options)
{
    public DbSet<DataResource> Resources => Set<DataResource>();
    public DbSet<DataVersion> Versions => Set<DataVersion>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<DataResource>(e =>
        {
            e.ToTable("data_resources");
            e.Property(x => x.UpdateCycle).HasConversion<int?>();
        });
        b.Entity<DataVersion>(e =>
        {
            e.ToTable("data_versions");
            e.Property(x => x.Status).HasConversion<int>();
        });
        b.UseSnakeCaseNames();
    }
}
