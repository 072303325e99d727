using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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
    public DbSet<DataVersionSwitch> Switches => Set<DataVersionSwitch>();
    public DbSet<DataLoad> Loads => Set<DataLoad>();
    public DbSet<DataLoadError> LoadErrors => Set<DataLoadError>();
    public DbSet<DataFile> Files => Set<DataFile>();
    public DbSet<DataLink> Links => Set<DataLink>();

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
        b.Entity<DataVersionSwitch>().ToTable("data_version_switches");
        b.Entity<DataLoad>(e =>
        {
            e.ToTable("data_loads");
            e.Property(x => x.Mode).HasConversion(LowerCase<LoadMode>());
            e.Property(x => x.Source).HasConversion(LowerCase<LoadSource>());
            e.Property(x => x.Status).HasConversion(LowerCase<LoadStatus>());
        });
        b.Entity<DataLoadError>(e =>
        {
            e.ToTable("data_load_errors");
            e.HasKey(x => new { x.LoadId, x.Seq });
        });
        b.Entity<DataFile>().ToTable("data_files");
        b.Entity<DataLink>().ToTable("data_links");
        b.UseSnakeCaseNames();
    }

    /// <summary>Enum stored as its lower-case name ('queued', 'full' ...), readable in SQL and stable across reorderings.</summary>
    private static ValueConverter<T, string> LowerCase<T>() where T : struct, Enum =>
        new(v => DbText(v), s => Enum.Parse<T>(s, true));

    /// <summary>The stored text of an enum value (raw SQL uses the same).</summary>
    public static string DbText<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
