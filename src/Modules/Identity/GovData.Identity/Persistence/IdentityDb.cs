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
    public DbSet<EmailToken> EmailTokens => Set<EmailToken>();
    public DbSet<OutboxMail> Outbox => Set<OutboxMail>();
    public DbSet<RegistrationAttempt> RegistrationAttempts => Set<RegistrationAttempt>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Department>(e =>
        {
            e.ToTable("identity_departments");
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.Kind).HasConversion<int>();
            e.Ignore(x => x.DomainList);
            // The foreign keys of the SQL schema, declared so EF Core inserts a parent before its children in one
            // SaveChanges (version-7 GUIDs made in the same millisecond do not sort in creation order).
            e.HasOne<Department>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<User>(e =>
        {
            e.ToTable("identity_users");
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasMany(x => x.Roles).WithOne().HasForeignKey(r => r.UserId);
            e.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
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
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
            e.Ignore(x => x.ScopeList);
        });
        b.Entity<SecurityEvent>(e =>
        {
            e.ToTable("identity_security_events");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
        b.Entity<EmailToken>(e =>
        {
            e.ToTable("identity_email_tokens");
            // Declared so EF Core inserts the new user before its token in one SaveChanges.
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<OutboxMail>(e => e.ToTable("identity_email_outbox"));
        b.Entity<RegistrationAttempt>(e =>
        {
            e.ToTable("identity_registration_attempts");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
        });
        b.UseSnakeCaseNames();
    }
}
