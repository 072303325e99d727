using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Persistence;

/// <summary>The Identity module's tables (prefix <c>identity_</c>); schema from Migrations/*.sql.</summary>
internal sealed class IdentityDb(DbContextOptions<IdentityDb> options) : DbContext(options)
{
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Department>(e =>
        {
            e.ToTable("identity_departments");
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.Kind).HasConversion<int>();
            e.Ignore(x => x.DomainList);
            // Declared (as in the SQL schema) so EF inserts a parent before its children in one SaveChanges;
            // otherwise rows are ordered by key and random v7 GUIDs break the foreign key now and then.
            e.HasOne<Department>().WithMany().HasForeignKey(x => x.ParentId);
        });
        b.Entity<User>(e =>
        {
            e.ToTable("identity_users");
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasMany(x => x.Roles).WithOne().HasForeignKey(r => r.UserId);
            e.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId);
            e.Ignore(x => x.RoleCodes);
        });
        b.Entity<UserRole>(e =>
        {
            e.ToTable("identity_user_roles");
            e.HasKey(x => new { x.UserId, x.Role });
        });
        b.Entity<ApiKey>(e =>
        {
            e.ToTable("identity_api_keys");
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId);
            e.Ignore(x => x.ScopeList);
        });
        b.Entity<SecurityEvent>(e =>
        {
            e.ToTable("identity_security_events");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
        b.UseSnakeCaseNames();
    }
}
