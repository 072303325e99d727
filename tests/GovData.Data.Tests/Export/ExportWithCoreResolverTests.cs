using System.Net;
using System.Text.Json;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Export;

/// <summary>
/// The export endpoint on the host as composed — the core's resolver (<c>DataTableResolver</c> over data_resources /
/// data_versions) rather than a test stand-in: a Ready version recorded the way the loader records it (columns as
/// <c>ColumnsJson</c>, current version pointer) is exported, masking rules survive the columns' JSON, and versions that
/// are not Ready are not exported.
/// </summary>
public abstract class ExportWithCoreResolverTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private const string Code = "303026010201/8";

    private async Task SeedAsync()
    {
        await App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DataDb>();
            if (db.Resources.Any(r => r.ResourceCode == Code)) return;
            var department = (await sp.GetRequiredService<IUserDirectory>().InRoleAsync(Roles.DepartmentAdmin)).Single(u => u.UserName == "scjg_admin").DepartmentId!.Value;
            var now = DateTime.UtcNow;
            var resource = new DataResource
            {
                Id = Guid.CreateVersion7(), EntryId = Guid.CreateVersion7(), ResourceCode = Code, ResourceName = "企业法人库（核心解析）",
                DepartmentId = department, LastVersionNumber = 2, CreatedAt = now, UpdatedAt = now,
            };
            var ready = ExportTestData.Layout(1) with { TableName = Domain.TableLayout.TableNameOf(resource.Id, 1) };
            var loading = ready with { TableName = Domain.TableLayout.TableNameOf(resource.Id, 2) };
            await using (var connection = App.Database.Settings.CreateConnection())
            {
                await connection.OpenAsync();
                await ExportTables.CreateAndFillAsync(connection, App.Provider, ready, ExportTestData.Rows());
                await ExportTables.CreateAndFillAsync(connection, App.Provider, loading, ExportTestData.Rows().Take(1));
            }
            var v1 = new DataVersion
            {
                Id = Guid.CreateVersion7(), ResourceId = resource.Id, Number = 1, Status = VersionStatus.Ready, TableName = ready.TableName,
                ColumnsJson = ColumnsJson.Serialize(ready.Columns), CatalogRevision = 1, RowCount = ExportTestData.Rows().Count, CreatedAt = now, LoadedAt = now,
            };
            var v2 = new DataVersion
            {
                Id = Guid.CreateVersion7(), ResourceId = resource.Id, Number = 2, Status = VersionStatus.Loading, TableName = loading.TableName,
                ColumnsJson = ColumnsJson.Serialize(loading.Columns), CatalogRevision = 1, CreatedAt = now,
            };
            resource.CurrentVersionId = v1.Id;
            db.Resources.Add(resource);
            db.Versions.AddRange(v1, v2);
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task The_current_ready_version_is_exported_masked_for_the_data_bureau_and_raw_for_the_department()
    {
        await SeedAsync();
        var path = "/api/v1/data/" + Uri.EscapeDataString(Code) + "/export?format=ndjson";

        (await (await App.LoginAsync("rst_user")).GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);   // another department: via the exchange
        var other = await (await App.LoginAsync("reviewer")).GetAsync(path);
        other.StatusCode.ShouldBe(HttpStatusCode.OK, await other.Content.ReadAsStringAsync());
        other.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("企业法人库（核心解析）_1.ndjson");
        var lines = (await other.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(ExportTestData.Rows().Count);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        first.GetProperty("phone").GetString().ShouldBe("138****1234");      // the masking rule came through ColumnsJson
        first.GetProperty("legal_person").GetString().ShouldBe("张*");
        first.GetProperty("成立日期").GetString().ShouldBe("2018-08-31");

        var own = await (await App.LoginAsync("scjg_admin")).GetStringAsync(path);
        JsonDocument.Parse(own.Split('\n')[0]).RootElement.GetProperty("phone").GetString().ShouldBe("13812341234");
    }

    [Fact]
    public async Task Versions_that_are_not_ready_are_not_exported()
    {
        await SeedAsync();
        var client = await App.LoginAsync("scjg_admin");
        var path = "/api/v1/data/" + Uri.EscapeDataString(Code) + "/export";
        (await client.GetAsync(path + "?version=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync(path + "?version=2")).StatusCode.ShouldBe(HttpStatusCode.NotFound);   // still loading
        (await client.GetAsync(path + "?version=3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteExportWithCoreResolverTests(SqliteAppFactory app)
    : ExportWithCoreResolverTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class PostgresExportWithCoreResolverTests(PostgresAppFactory app)
    : ExportWithCoreResolverTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
