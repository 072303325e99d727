using GovData.Catalog.Features.Search;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Persistence;

/// <summary>
/// The Catalog module's tables (prefix <c>catalog_</c>); schema from Migrations/*.sql. Every save that touches entries,
/// revisions or information items also rewrites those entries' search documents in the same transaction
/// (<see cref="SearchIndex"/>), so the search index never disagrees with committed data.
/// </summary>
internal sealed class CatalogDb(DbContextOptions<CatalogDb> options) : DbContext(options)
{
    public DbSet<Classification> Classifications => Set<Classification>();
    public DbSet<CatalogEntry> Entries => Set<CatalogEntry>();
    public DbSet<ResourceRevision> Revisions => Set<ResourceRevision>();
    public DbSet<InformationItem> Items => Set<InformationItem>();
    public DbSet<ReviewComment> ReviewComments => Set<ReviewComment>();
    public DbSet<HistoryRecord> History => Set<HistoryRecord>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var touched = SearchIndex.Collect(ChangeTracker);
        if (touched.IsEmpty) return base.SaveChanges(acceptAllChangesOnSuccess);
        using var own = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
        var result = base.SaveChanges(acceptAllChangesOnSuccess: false);
        SearchIndex.Refresh(this, touched);
        own?.Commit();
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return result;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var touched = SearchIndex.Collect(ChangeTracker);
        if (touched.IsEmpty) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var result = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        await SearchIndex.RefreshAsync(this, touched, cancellationToken);
        if (own is not null) await own.CommitAsync(cancellationToken);
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return result;
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Classification>(e =>
        {
            e.ToTable("catalog_classifications");
            e.HasKey(x => x.Code);
        });
        b.Entity<CatalogEntry>(e =>
        {
            e.ToTable("catalog_entries");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.Status).HasConversion<string>();
        });
        b.Entity<ResourceRevision>(e =>
        {
            e.ToTable("catalog_revisions");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion<string>();
            e.Property(x => x.FormatCategory).HasConversion<string>();
            e.Property(x => x.ShareType).HasConversion<string>();
            e.Property(x => x.ShareChannel).HasConversion<string>();
            e.Property(x => x.ShareMethodType).HasConversion<string>();
            e.Property(x => x.OpenType).HasConversion<string>();
            e.Property(x => x.UpdateCycle).HasConversion<string>();
            e.Property(x => x.SecurityClass).HasConversion<string>();
            e.Property(x => x.Hierarchy).HasConversion<string>();
            e.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.RevisionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Comments).WithOne().HasForeignKey(c => c.RevisionId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<InformationItem>(e =>
        {
            e.ToTable("catalog_information_items");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.DataType).HasConversion<string>();
            e.Property(x => x.Sensitivity).HasConversion<string>();
            e.Property(x => x.MaskingRule).HasConversion<string>();
        });
        b.Entity<ReviewComment>(e =>
        {
            e.ToTable("catalog_review_comments");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
        b.Entity<HistoryRecord>(e =>
        {
            e.ToTable("catalog_history");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
        b.UseSnakeCaseNames();
    }
}
