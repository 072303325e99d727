using GovData.Identity.Persistence;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Functional;

/// <summary>The Identity model against the real schema on both engines.</summary>
public sealed class IdentityDbTests
{
    private static async Task<(TestDatabase Db, IdentityDb Context)> CreateAsync(DatabaseProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await PlatformSchemas.MigratorFor(db).MigrateAsync();
        var options = new DbContextOptionsBuilder<IdentityDb>();
        db.Settings.Configure(options);
        return (db, new IdentityDb(options.Options));
    }

    private static Department Department(Guid id, Guid? parent, string code) => new()
    {
        Id = id, Name = "部门" + code, CreditCode = code, RegionCode = "370000", ParentId = parent,
        Kind = Contracts.DepartmentKind.Government, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
    };

    /// <summary>
    /// Parents and children saved together must reach the database parent first, whatever their ids: EF orders
    /// rows of one table by key unless it knows the relationship, and v7 GUIDs made within one millisecond are random.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Rows_referring_to_rows_with_larger_ids_are_saved_in_one_go(DatabaseProvider provider)
    {
        var (db, context) = await CreateAsync(provider);
        await using var _ = db;
        await using var __ = context;

        var parent = Guid.Parse("ffffffff-0000-7000-8000-000000000001");
        var child = Guid.Parse("00000000-0000-7000-8000-000000000002");
        var grandchild = Guid.Parse("00000000-0000-7000-8000-000000000001");
        context.Departments.Add(Department(grandchild, child, "C3"));
        context.Departments.Add(Department(child, parent, "C2"));
        context.Departments.Add(Department(parent, null, "C1"));
        var user = new User
        {
            Id = Guid.Parse("00000000-0000-7000-8000-0000000000aa"), UserName = "u1", DisplayName = "用户", PasswordHash = "x",
            SecurityStamp = "s", DepartmentId = parent, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        user.Roles.Add(new UserRole { UserId = user.Id, Role = "dept_cataloger" });
        context.Users.Add(user);
        context.ApiKeys.Add(new ApiKey
        {
            Id = Guid.Parse("00000000-0000-7000-8000-000000000000"), Name = "k", Prefix = "gd_AAAAAAAA", SecretHash = new string('0', 64),
            UserId = user.Id, Scopes = "identity:read", CreatedAt = DateTime.UtcNow,
        });

        await context.SaveChangesAsync();

        context.ChangeTracker.Clear();
        (await context.Departments.CountAsync()).ShouldBe(3);
        (await context.Departments.SingleAsync(d => d.Id == grandchild)).ParentId.ShouldBe(child);
        (await context.Users.Include(u => u.Roles).SingleAsync()).RoleCodes.ShouldBe(["dept_cataloger"]);
        (await context.ApiKeys.SingleAsync()).UserId.ShouldBe(user.Id);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Timestamps_come_back_as_utc(DatabaseProvider provider)
    {
        var (db, context) = await CreateAsync(provider);
        await using var _ = db;
        await using var __ = context;
        var at = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        var dept = Department(Guid.CreateVersion7(), null, "T1");
        dept.CreatedAt = at;
        context.Departments.Add(dept);
        await context.SaveChangesAsync();
        context.ChangeTracker.Clear();

        var read = await context.Departments.SingleAsync();
        read.CreatedAt.Kind.ShouldBe(DateTimeKind.Utc);
        read.CreatedAt.ShouldBe(at);
    }
}
