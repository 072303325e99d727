using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.Data.Features.Query;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Spreadsheets;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Export;

/// <summary>
/// Stands in for the core's resolver in HTTP tests: resources registered by the test, versions kept in memory.
/// </summary>
public sealed class TestExportTables : IDataTableResolver
{
    private readonly ConcurrentDictionary<(string Code, int Version), ResolvedTable> _tables = new();
    private readonly ConcurrentDictionary<string, int> _current = new();

    internal void Add(ResourceCode code, string name, int version, TableLayout layout, Guid department, bool current = true)
    {
        _tables[(code.ToString(), version)] = new ResolvedTable(Guid.Empty, Guid.Empty, department, code.ToString(), name, version, null, layout);
        if (current) _current[code.ToString()] = version;
    }

    Task<ResolvedTable?> IDataTableResolver.ResolveAsync(ResourceCode code, int? version, CancellationToken ct)
    {
        var key = code.ToString();
        var number = version ?? (_current.TryGetValue(key, out var v) ? v : 0);
        return Task.FromResult(_tables.TryGetValue((key, number), out var t) ? t : null);
    }
}

/// <summary>The real host with <see cref="TestExportTables"/> registered as the export resolver.</summary>
public abstract class ExportAppFactory(DatabaseProvider provider) : GovDataAppFactory(provider)
{
    public TestExportTables Tables { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IDataTableResolver>(Tables));
    }
}

public sealed class SqliteExportAppFactory() : ExportAppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresExportAppFactory() : ExportAppFactory(DatabaseProvider.PostgreSql);

public abstract class ExportApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : ExportAppFactory
{
    private const string Code = "303026010201/1";
    private static readonly string Path = "/api/v1/data/" + Uri.EscapeDataString(Code) + "/export";
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static readonly ConcurrentDictionary<GovDataAppFactory, Guid> Prepared = new();

    /// <summary>Creates the tables once per host: version 1 (3 rows) and version 2 (all test rows, current), owned by 省市场监管局.</summary>
    private async Task<Guid> PrepareAsync()
    {
        if (Prepared.TryGetValue(App, out var known)) return known;
        await Setup.WaitAsync();
        try
        {
            if (Prepared.TryGetValue(App, out known)) return known;
            var department = await App.WithScopeAsync(async sp =>
                (await sp.GetRequiredService<IUserDirectory>().InRoleAsync(Roles.DepartmentAdmin)).Single(u => u.UserName == "scjg_admin").DepartmentId!.Value);
            await using var connection = App.Database.Settings.CreateConnection();
            await connection.OpenAsync();
            var v1 = ExportTestData.Layout(1);
            var v2 = ExportTestData.Layout(2);
            await ExportTables.CreateAndFillAsync(connection, App.Provider, v1, ExportTestData.Rows().Take(3));
            await ExportTables.CreateAndFillAsync(connection, App.Provider, v2, ExportTestData.Rows());
            var code = ResourceCode.Parse(Code);
            App.Tables.Add(code, "企业法人库（测试）", 1, v1, department, current: false);
            App.Tables.Add(code, "企业法人库（测试）", 2, v2, department);
            Prepared[App] = department;
            return department;
        }
        finally
        {
            Setup.Release();
        }
    }

    [Fact]
    public async Task Anonymous_callers_are_refused()
    {
        await PrepareAsync();
        var response = await App.CreateBrowserClient().GetAsync(Path);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Own_department_gets_raw_values_as_csv_with_bom_and_a_chinese_file_name()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("scjg_admin");
        var response = await client.GetAsync(Path + "?format=csv&bom=true");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("企业法人库（测试）_2.csv");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.AsSpan(0, 3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }).ShouldBeTrue();
        var rows = ExportTestData.ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        rows.Count.ShouldBe(ExportTestData.Rows().Count + 1);
        rows[1][9].ShouldBe("13812341234");
        rows[1][8].ShouldBe("张三");
    }

    [Fact]
    public async Task The_data_bureau_reviewer_gets_masked_values_and_cannot_ask_for_raw()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("reviewer");
        var response = await client.GetAsync(Path + "?format=ndjson");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("13812341234");
        var first = JsonDocument.Parse(text.Split('\n')[0]).RootElement;
        first.GetProperty("phone").GetString().ShouldBe("138****1234");
        first.GetProperty("legal_person").GetString().ShouldBe("张*");
        first.GetProperty("capital").GetDecimal().ShouldBe(1234567.89m);

        var forbidden = await client.GetAsync(Path + "?raw=true");
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forbidden.Content.ReadAsStringAsync()).ShouldContain("未脱敏");
    }

    [Fact]
    public async Task Other_departments_are_sent_to_the_exchange()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("rst_user");
        var response = await client.GetAsync(Path + "?format=ndjson");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("申请共享");
    }

    [Fact]
    public async Task A_query_result_is_exported_with_the_rows_api_syntax()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("scjg_admin");
        var all = ExportTestData.Rows();
        var response = await client.GetAsync(Path + "?format=ndjson&fields=credit_code,capital&sort=-capital&limit=2");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        first.EnumerateObject().Select(p => p.Name).ShouldBe(["credit_code", "capital"]);
        // The row with the largest 注册资本 comes first (compared by its key: SQLite keeps ~15 significant digits of NUMERIC).
        first.GetProperty("credit_code").GetString().ShouldBe((string?)all.Where(r => r[2] is decimal).MaxBy(r => (decimal)r[2]!)![0]);
        var bad = await client.GetAsync(Path + "?format=csv&no_such_field=1");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("no_such_field");
    }

    [Fact]
    public async Task Platform_admin_gets_raw_values_and_can_ask_for_masked_ones()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("admin");
        var raw = await client.GetStringAsync(Path + "?format=json");
        raw.ShouldContain("13812341234");
        var masked = await client.GetStringAsync(Path + "?format=json&raw=false");
        masked.ShouldNotContain("13812341234");
        masked.ShouldContain("138****1234");
    }

    [Fact]
    public async Task Xlsx_download_opens_with_the_sdk_and_TabularFile()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("scjg_admin");
        var response = await client.GetAsync(Path + "?format=xlsx&header=code");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("企业法人库（测试）_2.xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false))
            doc.WorkbookPart!.WorksheetParts.Count().ShouldBe(1);
        var rows = TabularFile.Read(new MemoryStream(bytes), "x.xlsx");
        rows[0][0].ShouldBe("credit_code");
        rows.Count.ShouldBe(ExportTestData.Rows().Count + 1);
    }

    [Fact]
    public async Task Xml_and_gbk_and_an_earlier_version()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("scjg_admin");
        var xml = System.Xml.Linq.XDocument.Parse(await client.GetStringAsync(Path + "?format=xml&version=1"));
        xml.Root!.Attribute("version")!.Value.ShouldBe("1");
        xml.Root.Elements("row").Count().ShouldBe(3);

        var gbk = await client.GetAsync(Path + "?encoding=gbk");
        gbk.Content.Headers.ContentType!.CharSet.ShouldBe("gb18030");
        ExportOptions.Gb18030.GetString(await gbk.Content.ReadAsByteArrayAsync()).ShouldContain("山东测试科技有限公司");
    }

    [Fact]
    public async Task Bad_parameters_give_chinese_400s_naming_them_and_unknown_resources_404()
    {
        await PrepareAsync();
        var client = await App.LoginAsync("scjg_admin");
        var bad = await client.GetAsync(Path + "?format=pdf&version=x&encoding=big5");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        problem.GetProperty("format")[0].GetString()!.ShouldContain("不支持的导出格式");
        problem.GetProperty("version")[0].GetString()!.ShouldContain("正整数");
        problem.GetProperty("encoding")[0].GetString()!.ShouldContain("big5");

        var badCode = await client.GetAsync("/api/v1/data/abc/export");
        badCode.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badCode.Content.ReadAsStringAsync()).ShouldContain("信息资源代码");

        (await client.GetAsync("/api/v1/data/" + Uri.EscapeDataString("303026010201/99") + "/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var missingVersion = await client.GetAsync(Path + "?version=7");
        missingVersion.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missingVersion.Content.ReadAsStringAsync()).ShouldContain("版本 7");
    }

    [Fact]
    public async Task A_failure_after_the_first_bytes_aborts_the_download_instead_of_ending_it_quietly()
    {
        var department = await PrepareAsync();
        var code = ResourceCode.Parse("303026010201/2");
        var layout = ExportTestData.Layout(9) with { TableName = "data_rows_00000000beef_v9" };
        await using (var connection = App.Database.Settings.CreateConnection())
        {
            await connection.OpenAsync();
            await ExportTables.CreateAndFillAsync(connection, App.Provider, layout, Enumerable.Range(1, 5_000).Select(i => ExportTestData.Generated(i)));
            await using var corrupt = connection.CreateCommand();
            // A stored value the reader cannot convert, deep in the table (after well over 64 KiB of output):
            // SQLite: a date column holding text that is no date; PostgreSQL: a numeric beyond the range of decimal.
            corrupt.CommandText = App.Provider == DatabaseProvider.Sqlite
                ? $"UPDATE {layout.TableName} SET c004 = 'not a date' WHERE _row = 4000"
                : $"UPDATE {layout.TableName} SET c003 = 1e40 WHERE _row = 4000";
            (await corrupt.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        App.Tables.Add(code, "损坏的表", 9, layout, department);

        var client = await App.LoginAsync("admin");
        var response = await client.GetAsync("/api/v1/data/" + code.ToPathSegment() + "/export", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);   // headers and the first rows were already sent
        var failure = await Should.ThrowAsync<Exception>(async () => await response.Content.ReadAsByteArrayAsync());
        (failure is IOException or HttpRequestException).ShouldBeTrue(failure.ToString());
        App.ServerLog.Entries.ShouldContain(e => e.Contains("中途失败") && e.Contains("303026010201/2"));
    }

    [Fact]
    public async Task The_endpoint_is_in_the_openapi_document()
    {
        var doc = JsonDocument.Parse(await App.CreateBrowserClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var operation = doc.GetProperty("paths").GetProperty("/api/v1/data/{code}/export").GetProperty("get");
        operation.GetProperty("summary").GetString()!.ShouldContain("导出数据");
        operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .ShouldBe(["code", "format", "bom", "encoding", "header", "version", "raw"], ignoreOrder: true);
        var content = operation.GetProperty("responses").GetProperty("200").GetProperty("content");
        content.EnumerateObject().Select(c => c.Name).ShouldContain("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var schema = content.GetProperty("text/csv").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
            schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        schema.TryGetProperty("format", out var format).ShouldBeTrue(schema.ToString());
        format.GetString().ShouldBe("binary");   // a file download
    }

    [Fact]
    public async Task Api_keys_need_the_data_read_scope()
    {
        await PrepareAsync();
        var owner = await App.LoginAsync("scjg_admin");
        var without = await owner.CreateApiKeyAsync("无数据权限", [ApiScopes.CatalogRead]);
        (await App.CreateApiKeyClient(without.Secret).GetAsync(Path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var with = await owner.CreateApiKeyAsync("数据读取", [ApiScopes.DataRead]);
        var response = await App.CreateApiKeyClient(with.Secret).GetAsync(Path + "?format=json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("13812341234");   // the key acts for its owner's department
    }
}

public sealed class SqliteExportApiTests(SqliteExportAppFactory app) : ExportApiTests<SqliteExportAppFactory>(app), IClassFixture<SqliteExportAppFactory>;

public sealed class PostgresExportApiTests(PostgresExportAppFactory app) : ExportApiTests<PostgresExportAppFactory>(app), IClassFixture<PostgresExportAppFactory>;
