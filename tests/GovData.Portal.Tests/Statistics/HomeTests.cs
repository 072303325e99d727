using System.Net;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests.Statistics;

/// <summary>
/// 门户首页 totals over the real host: datasets, departments, records and APIs equal the sums computed independently
/// through the catalog and data contracts (every open dataset described one by one), downloads and API calls equal the
/// sums of the usage table after uses made through the real paths; the most used list shows the dataset used.
/// </summary>
public abstract class HomeTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    [Fact]
    public async Task Home_totals_equal_the_real_sums()
    {
        var client = App.CreateBrowserClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(StatisticsTests<TFactory>.BrowserAgent);
        var expected = await App.WithScopeAsync(async sp =>
        {
            var catalog = sp.GetRequiredService<IOpenCatalog>();
            var data = sp.GetRequiredService<IGovernedDataAccess>();
            var list = await catalog.ListAsync(0, 10_000);
            long records = 0;
            var apis = new List<OpenDataset>();
            var departments = new HashSet<Guid>();
            foreach (var item in list.Items)
            {
                var d = (await catalog.FindAsync(item.EntryId))!;
                departments.Add(d.DepartmentId);
                if (d.OpenType != OpenType.Unconditional) continue;
                if (await data.DescribeAsync(d.Code, AccessPolicy.Everything(false)) is not { } described) continue;
                records += described.RowCount;
                apis.Add(d);
            }
            return (Datasets: list.Total, Departments: departments.Count, Records: records, Apis: apis);
        });
        expected.Apis.Count.ShouldBeGreaterThan(0, "the demo data has open datasets with data");
        expected.Records.ShouldBeGreaterThan(0);

        // Uses through the real paths: two CSV downloads and one API call of the first dataset with an API.
        var used = expected.Apis.OrderBy(d => d.Code.ToString(), StringComparer.Ordinal).First();
        var name = used.Code.Prefix + "-" + used.Code.Suffix;
        (await client.GetAsync($"/portal/datasets/{name}/download/csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/portal/datasets/{name}/download/csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/api/v1/open/datasets/{name}/rows?limit=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        long downloads, calls;
        await using (var connection = await App.Database.OpenConnectionAsync())
        {
            downloads = await connection.ExecuteScalarAsync<long?>("SELECT SUM(count) FROM portal_dataset_usage WHERE kind <> 'api'") ?? 0;
            calls = await connection.ExecuteScalarAsync<long?>("SELECT SUM(count) FROM portal_dataset_usage WHERE kind = 'api'") ?? 0;
        }
        downloads.ShouldBeGreaterThanOrEqualTo(2);
        calls.ShouldBeGreaterThanOrEqualTo(1);

        var response = await client.GetAsync("/portal");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain($"<span class=\"value\">{expected.Datasets}</span>开放数据集");
        html.ShouldContain($"<span class=\"value\">{expected.Departments}</span>提供部门");
        html.ShouldContain($"<span class=\"value\">{expected.Records:N0}</span>数据记录");
        html.ShouldContain($"<span class=\"value\">{expected.Apis.Count}</span>数据接口");
        html.ShouldContain($"<span class=\"value\">{downloads:N0}</span>次下载");
        html.ShouldContain($"<span class=\"value\">{calls:N0}</span>次接口调用");
        html.ShouldContain("近30天使用最多");
        html.ShouldContain($"<a href=\"/portal/datasets/{name}\">{System.Net.WebUtility.HtmlEncode(used.Name)}</a>");
        html.ShouldContain("href=\"/portal/statistics\"");
    }
}

public sealed class SqliteHomeTests(StatisticsSqliteFactory app) : HomeTests<StatisticsSqliteFactory>(app), IClassFixture<StatisticsSqliteFactory>;

public sealed class PostgresHomeTests(StatisticsPostgresFactory app) : HomeTests<StatisticsPostgresFactory>(app), IClassFixture<StatisticsPostgresFactory>;
