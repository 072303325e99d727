using System.Net;
using Dapper;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using GovData.Tests.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Functional;

/// <summary>
/// An Identity database created at schema version 1 (before lockout, API keys and the security log) and filled
/// with rows keeps every row when upgraded to the latest version, the new columns take their defaults, and the
/// upgraded database serves sign-in.
/// </summary>
public sealed class IdentityUpgradeTests
{
    private sealed record OldDepartment(Guid Id, string Name, string CreditCode, Guid? ParentId, string Region);
    private sealed record OldUser(Guid Id, string UserName, Guid DepartmentId, string Role, DateTime? LastLogin);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Version_1_data_survives_the_upgrade_to_latest(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = PlatformSchemas.MigratorFor(db);

        var v1 = await migrator.MigrateAsync(new Dictionary<string, int> { ["identity"] = 1 });
        v1.Where(m => m.Module == "identity").Select(m => m.Version).ShouldBe([1]);

        var created = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var root = new OldDepartment(Guid.CreateVersion7(), "旧版大数据局（演示）", CreditCode.Create('1', '1', "370000", "10000001").Value, null, "370000");
        var child = new OldDepartment(Guid.CreateVersion7(), "旧版数据中心（演示）", CreditCode.Create('1', '2', "371300", "10000002").Value, root.Id, "371300");
        var users = new[]
        {
            new OldUser(Guid.CreateVersion7(), "legacy_admin", root.Id, "platform_admin", created.AddDays(1)),
            new OldUser(Guid.CreateVersion7(), "legacy_cataloger", child.Id, "dept_cataloger", null),
        };
        const string password = "Legacy@2024";

        await using (var connection = await db.OpenConnectionAsync())
        {
            foreach (var d in new[] { root, child })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO identity_departments (id, name, short_name, credit_code, kind, parent_id, region_code, is_competent, domains, sort_order, is_active, created_at, updated_at, version)
                    VALUES (@id, @name, NULL, @code, 3, @parent, @region, @competent, '人社、教育', 1, @active, @at, @at, 2)
                    """, Params(db, new { id = d.Id, name = d.Name, code = d.CreditCode, parent = d.ParentId, region = d.Region, competent = d.ParentId is null, active = true, at = created }));
            }
            foreach (var u in users)
            {
                var hashUser = new User { Id = u.Id, UserName = u.UserName, DisplayName = u.UserName, PasswordHash = "", SecurityStamp = "s" };
                await connection.ExecuteAsync("""
                    INSERT INTO identity_users (id, user_name, display_name, email, phone, password_hash, department_id, is_active, security_stamp, created_at, updated_at, last_login_at, version)
                    VALUES (@id, @name, @display, @email, NULL, @hash, @dept, @active, @stamp, @at, @at, @last, 1)
                    """, Params(db, new
                {
                    id = u.Id, name = u.UserName, display = "旧用户 " + u.UserName, email = u.UserName + "@example.gov.cn",
                    hash = PasswordPolicy.Hash(hashUser, password), dept = u.DepartmentId, active = true, stamp = Guid.NewGuid().ToString("N"),
                    at = created, last = u.LastLogin,
                }));
                await connection.ExecuteAsync("INSERT INTO identity_user_roles (user_id, role) VALUES (@id, @role)", Params(db, new { id = u.Id, role = u.Role }));
            }
        }

        var upgrade = await migrator.MigrateAsync();
        upgrade.ShouldContain(m => m.Module == "identity" && m.Version == 2);
        (await migrator.AppliedAsync()).Where(a => a.Module == "identity").Select(a => a.Version)
            .ShouldBe(migrator.AllMigrations().Where(m => m.Module == "identity").Select(m => m.Version));

        await using (var connection = await db.OpenConnectionAsync())
        {
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_departments")).ShouldBe(2);
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_users")).ShouldBe(2);
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_user_roles")).ShouldBe(2);
            // New columns of 0002 take their defaults on existing rows.
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_users WHERE failed_login_count = 0 AND lockout_end IS NULL")).ShouldBe(2);
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_api_keys")).ShouldBe(0);
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_security_events")).ShouldBe(0);
        }

        // The current model reads the upgraded rows unchanged.
        var options = new DbContextOptionsBuilder<IdentityDb>();
        db.Settings.Configure(options);
        await using (var context = new IdentityDb(options.Options))
        {
            var departments = await context.Departments.AsNoTracking().OrderBy(d => d.Name).ToListAsync();
            departments.Select(d => d.Id).ShouldBe([child.Id, root.Id], ignoreOrder: true);
            var readChild = departments.Single(d => d.Id == child.Id);
            readChild.ParentId.ShouldBe(root.Id);
            readChild.CreditCode.ShouldBe(child.CreditCode);
            readChild.CreatedAt.ShouldBe(created);
            readChild.DomainList.ShouldBe(["人社", "教育"]);
            readChild.Version.ShouldBe(2);

            var readUsers = await context.Users.AsNoTracking().Include(u => u.Roles).ToListAsync();
            readUsers.Count.ShouldBe(2);
            foreach (var u in users)
            {
                var read = readUsers.Single(x => x.Id == u.Id);
                read.UserName.ShouldBe(u.UserName);
                read.DepartmentId.ShouldBe(u.DepartmentId);
                read.RoleCodes.ShouldBe([u.Role]);
                read.LastLoginAt.ShouldBe(u.LastLogin);
                read.FailedLoginCount.ShouldBe(0);
                read.LockoutEnd.ShouldBeNull();
                read.Email.ShouldBe(u.UserName + "@example.gov.cn");
            }
        }

        // And the upgraded database serves the application: the old administrator signs in and sees both accounts.
        await using var app = await GovDataAppFactory.StartAsync(db, seedDemoData: false);
        var client = await app.LoginAsync("legacy_admin", password);
        var listed = await client.GetJsonAsync("/api/v1/identity/users");
        listed["items"]!.AsArray().Select(x => x!["userName"]!.GetValue<string>()).ShouldBe(["legacy_admin", "legacy_cataloger"], ignoreOrder: true);
        listed["items"]!.AsArray().ShouldAllBe(x => !x!["isLockedOut"]!.GetValue<bool>());
        var departmentsSeen = await client.GetJsonAsync("/api/v1/identity/departments");
        departmentsSeen.AsArray().Count.ShouldBe(2);
    }

    /// <summary>Converts values to the provider's storage (GUID text on SQLite etc.) for Dapper.</summary>
    private static DynamicParameters Params(TestDatabase db, object values)
    {
        var result = new DynamicParameters();
        foreach (var p in values.GetType().GetProperties())
            result.Add(p.Name, p.GetValue(values) is { } v ? db.Value(v) : null);
        return result;
    }
}
