using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Demo;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Query;
using GovData.Data.Persistence;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Regions;
using GovData.Tests.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Demo;

/// <summary>The real host with its demo data, at sizes of its own (not the suite-wide test defaults).</summary>
public abstract class DemoDataApp : GovDataAppFactory
{
    public const int EnterpriseRows = 3_000;
    public const int RowsPerResource = 40;

    protected DemoDataApp(DatabaseProvider provider) : base(provider)
    {
        WithSetting("GovData:Data:DemoEnterpriseRows", EnterpriseRows.ToString(CultureInfo.InvariantCulture));
        WithSetting("GovData:Data:DemoRowsPerResource", RowsPerResource.ToString(CultureInfo.InvariantCulture));
    }
}

public sealed class SqliteDemoDataApp() : DemoDataApp(DatabaseProvider.Sqlite);

public sealed class PostgresDemoDataApp() : DemoDataApp(DatabaseProvider.PostgreSql);

public sealed class SqliteDemoDataTests(SqliteDemoDataApp app) : DemoDataTests<SqliteDemoDataApp>(app), IClassFixture<SqliteDemoDataApp>;

public sealed class PostgresDemoDataTests(PostgresDemoDataApp app) : DemoDataTests<PostgresDemoDataApp>(app), IClassFixture<PostgresDemoDataApp>;

/// <summary>
/// The Data module's demo data as the real host seeds it at first start (after the identity and catalog demos): 企业法人库
/// with valid unique credit codes, generated tables whose values pass the load validation, the three timeliness states,
/// a rollback demo, a load report with rejected rows, the real Shenzhen file — and a second seeding changes nothing.
/// </summary>
public abstract class DemoDataTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private static string Path(string code) => Uri.EscapeDataString(code);

    private async Task<CatalogResource> PublishedAsync(string name) =>
        (await App.WithScopeAsync(sp => sp.GetRequiredService<ICatalogResources>().ListPublishedAsync())).Single(r => r.Name == name);

    private Task<ResolvedTable?> ResolveAsync(string code, int? version = null) =>
        App.WithScopeAsync(sp => sp.GetRequiredService<IDataTableResolver>().ResolveAsync(ResourceCode.Parse(code), version, CancellationToken.None));

    private async Task<List<string?[]>> RowsAsync(TableLayout layout)
    {
        await using DbConnection connection = await App.Database.OpenConnectionAsync();
        var sql = $"SELECT {string.Join(", ", layout.Columns.Select(c => c.ColumnName))} FROM {layout.TableName} ORDER BY _row";
        var rows = await connection.QueryAsync(sql);
        return rows.Select(r => ((IDictionary<string, object?>)r).Values.Select(Text).ToArray()).ToList();
    }

    private static string? Text(object? v) => v switch
    {
        null => null,
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    [Fact]
    public void Demo_data_is_seeded_after_the_catalog_demo()
    {
        var order = App.Services.GetServices<IDemoSeeder>().OrderBy(s => s.Order).Select(s => s.Module).ToList();
        order.IndexOf("data").ShouldBeGreaterThan(order.IndexOf("catalog"));
        order.IndexOf("catalog").ShouldBeGreaterThan(order.IndexOf("identity"));
    }

    [Fact]
    public async Task The_enterprise_registry_has_the_configured_rows_with_valid_unique_credit_codes()
    {
        var registry = await PublishedAsync(DataDemoSeeder.EnterpriseRegistry);
        var table = (await ResolveAsync(registry.Code.ToString())).ShouldNotBeNull();
        var rows = await RowsAsync(table.Layout);
        rows.Count.ShouldBe(DemoDataApp.EnterpriseRows);
        int Col(string item) => table.Layout.Columns.Single(c => c.ItemName == item).Ordinal - 1;

        var regions = RegionDirectory.Default;
        var codes = rows.Select(r => r[Col("统一社会信用代码")]!).ToList();
        codes.Distinct().Count().ShouldBe(codes.Count);
        foreach (var code in codes)
        {
            CreditCode.Validate(code).ShouldBeNull(code);
            code[0].ShouldBe('9');
            code[1].ShouldBeOneOf('1', '3');
            var region = regions.Find(code.Substring(2, 6)).ShouldNotBeNull(code);
            region.Code.ShouldStartWith("37");
            code[16].ShouldBe(CreditCode.OrganizationCheckCharacter(code.AsSpan(8, 8)), code);   // GB 11714 inside GB 32100
        }

        var statuses = rows.GroupBy(r => r[Col("法人状态")]!).ToDictionary(g => g.Key, g => g.Count());
        statuses.Keys.ShouldBe(["存续", "在业", "吊销", "注销"], ignoreOrder: true);
        (statuses["存续"] + statuses["在业"]).ShouldBeGreaterThan(rows.Count * 6 / 10);
        statuses["注销"].ShouldBeGreaterThan(statuses["吊销"]);
        rows.Select(r => r[Col("法人类型")]).Distinct().ShouldContain("有限责任公司");
        foreach (var row in rows)
        {
            var code = row[Col("统一社会信用代码")]!;
            var authority = row[Col("批准或核准机关")]!;
            authority.ShouldEndWith("市场监督管理局");
            // The authority is the registering region's: its name contains the region of the code.
            authority.ShouldContain(regions.Find(code.Substring(2, 6))!.Name);
            row[Col("法人处所")]!.ShouldStartWith("山东省");
            row[Col("法人名称")]!.Length.ShouldBeLessThanOrEqualTo(50);
            DateOnly.ParseExact(row[Col("批准时间")]!, "yyyy-MM-dd", CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(DemoFaker.Anchor);
            row[Col("法定代表人")]!.Length.ShouldBeInRange(2, 4);
        }

        // Through the query API as the admin.
        var admin = await App.LoginAsync("admin");
        var page = await admin.GetJsonAsync($"/api/v1/data/{Path(registry.Code.ToString())}/rows?limit=5");
        page["rows"]!.AsArray().Count.ShouldBe(5);
        page["total"]!.GetValue<long>().ShouldBe(DemoDataApp.EnterpriseRows);
    }

    [Fact]
    public async Task Every_generated_value_passes_the_load_validation_and_coded_values_agree_within_a_row()
    {
        var published = await App.WithScopeAsync(sp => sp.GetRequiredService<ICatalogResources>().ListPublishedAsync());
        var checkedTables = 0;
        foreach (var resource in published.Where(r => r.Items.Count > 0))
        {
            if (await ResolveAsync(resource.Code.ToString()) is not { } table) continue;
            var converters = ColumnConverter.For(table.Layout.Columns, ConversionOptions.Default);
            var rows = await RowsAsync(table.Layout);
            rows.ShouldNotBeEmpty(resource.Name);
            var keys = new HashSet<string>();
            foreach (var row in rows)
            {
                for (var i = 0; i < converters.Length; i++)
                    converters[i].TryConvert(row[i], out _, out var problem)
                        .ShouldBeTrue($"{resource.Name}.{table.Layout.Columns[i].ItemName} = “{row[i]}”：{problem?.Message}");
                var key = string.Join("|", table.Layout.KeyColumns.Select(k => row[k.Ordinal - 1]));
                if (table.Layout.KeyColumns.Count > 0) keys.Add(key).ShouldBeTrue($"{resource.Name}: 主键重复 {key}");
                // A person's 性别 and 出生日期 are those of the 公民身份号码 in the same row.
                var id = table.Layout.Columns.FirstOrDefault(c => c.ItemName == "公民身份号码");
                var birth = table.Layout.Columns.FirstOrDefault(c => c.ItemName == "出生日期");
                var sex = table.Layout.Columns.FirstOrDefault(c => c.ItemName == "性别");
                if (id is not null && row[id.Ordinal - 1] is { } number)
                {
                    if (birth is not null && row[birth.Ordinal - 1] is { } b) b.Replace("-", "", StringComparison.Ordinal).ShouldBe(number.Substring(6, 8));
                    if (sex is not null && row[sex.Ordinal - 1] is { } s) s.ShouldBe((number[16] - '0') % 2 == 1 ? "1" : "2");
                }
            }
            checkedTables++;
        }
        checkedTables.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task All_three_timeliness_states_occur()
    {
        var admin = await App.LoginAsync("admin");
        foreach (var (state, label) in new[] { ("ontime", "按时"), ("overdue", "逾期"), ("notloaded", "未加载") })
        {
            var page = await admin.GetJsonAsync("/api/v1/data/resources?pageSize=200&timeliness=" + state);
            var items = page["items"]!.AsArray();
            items.Count(i => i!["structured"]!.GetValue<bool>()).ShouldBeGreaterThan(3, state);
            items.ShouldAllBe(i => i!["timeliness"]!["label"]!.GetValue<string>() == label);
        }
    }

    [Fact]
    public async Task The_rollback_demo_has_two_versions_and_the_newer_one_is_current()
    {
        var resource = await PublishedAsync(DataDemoSeeder.RollbackResource);
        var admin = await App.LoginAsync("admin");
        var list = await admin.GetJsonAsync($"/api/v1/data/{Path(resource.Code.ToString())}/versions");
        var versions = list["versions"]!.AsArray();
        versions.Count.ShouldBe(2);
        versions.ShouldAllBe(v => v!["status"]!.GetValue<string>() == "ready");
        list["currentVersion"]!.GetValue<int>().ShouldBe(2);
        var rows = versions.ToDictionary(v => v!["number"]!.GetValue<int>(), v => v!["rowCount"]!.GetValue<long>());
        rows[2].ShouldBeGreaterThan(rows[1]);
        var loaded = versions.ToDictionary(v => v!["number"]!.GetValue<int>(), v => v!["loadedAt"]!.GetValue<DateTime>());
        loaded[2].ShouldBeGreaterThan(loaded[1]);
        list["switches"]!.AsArray().Count.ShouldBe(2);
        (await ResolveAsync(resource.Code.ToString(), 1)).ShouldNotBeNull("version 1 stays readable for a rollback");
    }

    [Fact]
    public async Task The_demo_load_report_has_rejected_rows_with_chinese_reasons()
    {
        var resource = await PublishedAsync(DataDemoSeeder.RejectedRowsResource);
        var admin = await App.LoginAsync("admin");
        var loads = (await admin.GetJsonAsync($"/api/v1/data/{Path(resource.Code.ToString())}/loads")).AsArray();
        var load = loads.Single()!;
        load["status"]!.GetValue<string>().ShouldBe("succeeded");
        load["source"]!.GetValue<string>().ShouldBe("演示数据");
        load["rowsRejected"]!.GetValue<long>().ShouldBe(6);
        load["rowsLoaded"]!.GetValue<long>().ShouldBe(load["rowsRead"]!.GetValue<long>() - 6);

        var report = await admin.GetJsonAsync($"/api/v1/data/loads/{load["id"]!.GetValue<Guid>()}");
        var errors = report["errors"]!.AsArray();
        errors.Select(e => e!["rule"]!.GetValue<string>()).Distinct()
            .ShouldBe(["IDCARD", "PHONE", "DATE", "REQUIRED", "DUPLICATE_KEY"], ignoreOrder: true);
        errors.ShouldAllBe(e => e!["message"]!.GetValue<string>().Any(ch => ch >= '\u4e00' && ch <= '\u9fff'));
        errors.ShouldAllBe(e => e!["row"]!.GetValue<long>() > 1);

        var rejected = await admin.GetAsync(report["rejectedRowsUrl"]!.GetValue<string>());
        rejected.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Encoding.UTF8.GetString(await rejected.Content.ReadAsByteArrayAsync());
        text.ShouldContain("错误原因");
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(7);   // header + 6 rows
    }

    [Fact]
    public async Task The_real_shenzhen_file_is_loaded_through_the_ingestion_path()
    {
        var resource = await PublishedAsync(DataDemoSeeder.ShenzhenResource);
        resource.UpdateCycle.ShouldBe(UpdateCycle.Irregular);
        var admin = await App.LoginAsync("admin");
        var code = Path(resource.Code.ToString());
        var all = await admin.GetJsonAsync($"/api/v1/data/{code}/rows?limit=1");
        all["total"]!.GetValue<long>().ShouldBe(10_000);
        var missingStation = await admin.GetJsonAsync($"/api/v1/data/{code}/rows?limit=0&station.isnull=true");
        missingStation["total"]!.GetValue<long>().ShouldBe(369);    // the file's '-' markers read as empty
        var load = (await admin.GetJsonAsync($"/api/v1/data/{code}/loads")).AsArray().Single()!;
        load["fileName"]!.GetValue<string>().ShouldBe(DataDemoSeeder.ShenzhenFile);
        load["detected"]!.GetValue<string>().ShouldContain("UTF-8");
        (load["rowsRead"]!.GetValue<long>(), load["rowsRejected"]!.GetValue<long>()).ShouldBe((10_000L, 0L));
    }

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        async Task<(int, int, long)> CountsAsync() => await App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DataDb>();
            return (await db.Versions.CountAsync(), await db.Loads.CountAsync(), await db.Versions.SumAsync(v => v.RowCount));
        });
        var before = await CountsAsync();
        (await App.Services.GetRequiredService<DemoSeedRunner>().SeedAsync()).ShouldBeEmpty();
        // Even run directly (history bypassed), the data seeder leaves existing data alone.
        await App.WithScopeAsync(sp => App.Services.GetServices<IDemoSeeder>().Single(s => s.Module == "data").SeedAsync(sp, CancellationToken.None));
        (await CountsAsync()).ShouldBe(before);
    }
}

/// <summary>The generators alone: deterministic, and only valid values.</summary>
public sealed class DemoGeneratorTests
{
    private static readonly ShandongPlaces Places = new(RegionDirectory.Default);

    [Fact]
    public void The_same_seed_gives_the_same_rows()
    {
        List<string> Run()
        {
            var faker = new DemoFaker(DemoFaker.Seed("企业法人库"), Places);
            var entities = new DemoEntities(faker);
            return Enumerable.Range(0, 200).Select(_ => entities.Enterprise()).Select(e => $"{e.CreditCode}|{e.Name}|{e.LegalRepresentative}|{e.Address}|{e.Status}").ToList();
        }
        Run().ShouldBe(Run());
    }

    [Fact]
    public void People_and_organisations_carry_valid_codes()
    {
        var faker = new DemoFaker(42, Places);
        var entities = new DemoEntities(faker);
        var ids = new IdNumberValidator(ConversionOptions.Default);
        for (var i = 0; i < 2000; i++)
        {
            var person = entities.Person();
            var id = person.IdNumber;
            ids.Check(ref id).ShouldBeNull(person.IdNumber);
            (person.IdNumber[16] % 2 == 1).ShouldBe(person.Male);
            var phone = faker.Phone(Places.Cities[i % Places.Cities.Count]);
            PhoneValidator.Instance.Check(ref phone).ShouldBeNull(phone);
            foreach (var kind in Enum.GetValues<DemoOrgKind>())
            {
                var org = entities.Organization(kind);
                CreditCode.Validate(org.CreditCode).ShouldBeNull($"{kind} {org.CreditCode}");
                org.Address.Length.ShouldBeLessThanOrEqualTo(50, org.Address);
            }
        }
    }
}
