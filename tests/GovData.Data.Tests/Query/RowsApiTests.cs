using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GovData.Tests.Common.Web;
using static GovData.Data.Tests.Query.SampleTable;

namespace GovData.Data.Tests.Query;

/// <summary>
/// <c>GET /api/v1/data/{code}/rows</c> and <c>/aggregate</c> through the real host: JSON shape and types, percent-encoded
/// codes, problem details, authentication, API-key scopes and who sees raw values. Written once, run on both engines.
/// </summary>
public abstract class RowsApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : QueryAppFactory
{
    private const string Rows = "/api/v1/data/" + QueryAppFactory.PathCode + "/rows";
    private const string Aggregate = "/api/v1/data/" + QueryAppFactory.PathCode + "/aggregate";

    private static string E(string s) => Uri.EscapeDataString(s);

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task Rows_come_back_typed_with_total_and_a_cursor_for_the_next_page()
    {
        var t = await App.SampleAsync();
        var admin = await App.LoginAsync("admin");
        var json = await admin.GetJsonAsync($"{Rows}?fields=credit_code,capital,ratio,staff,{E("成立日期")},approved_at,active,legal_person&limit=5");
        json["resourceCode"]!.GetValue<string>().ShouldBe(QueryAppFactory.Code);
        json["version"]!.GetValue<int>().ShouldBe(1);
        json["loadedAt"]!.GetValue<string>().ShouldStartWith("2026-04-01T08:00:00");
        json["total"]!.GetValue<long>().ShouldBe(QueryAppFactory.RowCount);
        json["limit"]!.GetValue<int>().ShouldBe(5);
        json["offset"]!.GetValue<int>().ShouldBe(0);
        var fields = json["fields"]!.AsArray();
        fields.Select(f => f!["name"]!.GetValue<string>()).ShouldBe(["credit_code", "capital", "ratio", "staff", "成立日期", "approved_at", "active", "legal_person"]);
        fields.Select(f => f!["type"]!.GetValue<string>()).ShouldBe(["text", "decimal", "double", "integer", "date", "timestamp", "boolean", "text"]);
        fields[4]!["itemName"]!.GetValue<string>().ShouldBe("成立日期");
        fields.All(f => !f!["masked"]!.GetValue<bool>()).ShouldBeTrue();   // 平台管理员: raw values

        var rows = json["rows"]!.AsArray();
        rows.Count.ShouldBe(5);
        for (var i = 0; i < 5; i++) AssertRow(rows[i]!, t.Rows[i]);

        var next = json["next"]!.GetValue<string>();
        var page2 = await admin.GetJsonAsync($"{Rows}?fields=credit_code,capital,ratio,staff,{E("成立日期")},approved_at,active,legal_person&limit=5&after={next}&count=false");
        page2["total"].ShouldBeNull();
        for (var i = 0; i < 5; i++) AssertRow(page2["rows"]![i]!, t.Rows[5 + i]);

        var lower = await admin.GetJsonAsync("/api/v1/data/303026010201%2f1/rows?limit=1");   // %2f works as well as %2F
        lower["rows"]!.AsArray().Count.ShouldBe(1);
        var last = await admin.GetJsonAsync($"{Rows}?offset={QueryAppFactory.RowCount - 3}");
        last["rows"]!.AsArray().Count.ShouldBe(3);
        last["next"].ShouldBeNull();
    }

    private static void AssertRow(JsonNode row, object?[] source)
    {
        row["credit_code"]!.GetValue<string>().ShouldBe((string)source[CreditCode]!);
        if (source[Capital] is decimal m) row["capital"]!.GetValue<decimal>().ShouldBe(m); else row["capital"].ShouldBeNull();
        if (source[Ratio] is double d) row["ratio"]!.GetValue<double>().ShouldBe(d); else row["ratio"].ShouldBeNull();
        if (source[Staff] is long l) row["staff"]!.GetValue<long>().ShouldBe(l); else row["staff"].ShouldBeNull();
        if (source[EstDate] is DateOnly date) row["成立日期"]!.GetValue<string>().ShouldBe(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else row["成立日期"].ShouldBeNull();
        if (source[ApprovedAt] is DateTime ts) row["approved_at"]!.GetValue<string>().ShouldBe(ts.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        else row["approved_at"].ShouldBeNull();
        if (source[Active] is bool b) row["active"]!.GetValue<bool>().ShouldBe(b); else row["active"].ShouldBeNull();
        row["legal_person"]?.GetValue<string>().ShouldBe((string?)source[LegalPerson]);
    }

    [Fact]
    public async Task Own_department_and_platform_admins_see_raw_values_the_data_bureau_masked_values_others_nothing()
    {
        var t = await App.SampleAsync();
        var url = $"{Rows}?fields=credit_code,legal_person,phone&limit={QueryAppFactory.RowCount}";
        var withName = Enumerable.Range(0, t.Rows.Count).First(i => t.Rows[i][LegalPerson] is string && t.Rows[i][Phone] is string);
        var name = (string)t.Rows[withName][LegalPerson]!;
        var phone = (string)t.Rows[withName][Phone]!;
        foreach (var user in new[] { "admin", "rst_user", "rst_admin" })
        {
            var json = await (await App.LoginAsync(user)).GetJsonAsync(url);
            json["rows"]![withName]!["legal_person"]!.GetValue<string>().ShouldBe(name, user);
            json["rows"]![withName]!["phone"]!.GetValue<string>().ShouldBe(phone, user);
            json["fields"]![1]!["masked"]!.GetValue<bool>().ShouldBeFalse(user);
        }
        foreach (var user in new[] { "scjg_admin", "citizen", "developer" })
        {
            var refused = await Problem(await (await App.LoginAsync(user)).GetAsync(url), HttpStatusCode.Forbidden);
            refused["detail"]!.GetValue<string>().ShouldContain("申请共享", customMessage: user);
        }
        foreach (var user in new[] { "reviewer" })
        {
            var json = await (await App.LoginAsync(user)).GetJsonAsync(url);
            json["rows"]![withName]!["legal_person"]!.GetValue<string>().ShouldBe(name[..1] + new string('*', name.Length - 1), user);
            json["rows"]![withName]!["phone"]!.GetValue<string>().ShouldBe(phone[..3] + "****" + phone[^4..], user);
            json["rows"]![withName]!["credit_code"]!.GetValue<string>().ShouldBe((string)t.Rows[withName][CreditCode]!, user);
            json["fields"]!.AsArray().Select(f => f!["masked"]!.GetValue<bool>()).ShouldBe([false, true, true], user);
        }
    }

    [Fact]
    public async Task Probing_masked_fields_without_raw_rights_is_forbidden()
    {
        await App.SampleAsync();
        var other = await App.LoginAsync("reviewer");
        var problem = await Problem(await other.GetAsync($"{Rows}?phone.startswith=138"), HttpStatusCode.Forbidden);
        problem["detail"]!.GetValue<string>().ShouldContain("phone");
        problem["detail"]!.GetValue<string>().ShouldContain("脱敏");
        await Problem(await other.GetAsync($"{Rows}?sort=legal_person"), HttpStatusCode.Forbidden);
        await Problem(await other.GetAsync($"{Aggregate}?group=legal_person"), HttpStatusCode.Forbidden);
        var own = await App.LoginAsync("rst_user");
        (await own.GetAsync($"{Rows}?phone.startswith=138")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Raw_false_masks_for_the_entitled_and_raw_true_is_refused_to_others()
    {
        await App.SampleAsync();
        var admin = await App.LoginAsync("admin");
        var masked = await admin.GetJsonAsync($"{Rows}?fields=legal_person&raw=false&limit=1");
        masked["fields"]![0]!["masked"]!.GetValue<bool>().ShouldBeTrue();
        await Problem(await admin.GetAsync($"{Rows}?phone.isnull=false&raw=false"), HttpStatusCode.Forbidden);
        (await admin.GetJsonAsync($"{Rows}?fields=legal_person&raw=true&limit=1"))["fields"]![0]!["masked"]!.GetValue<bool>().ShouldBeFalse();
        var other = await App.LoginAsync("reviewer");
        var refused = await Problem(await other.GetAsync($"{Rows}?raw=true"), HttpStatusCode.Forbidden);
        refused["detail"]!.GetValue<string>().ShouldContain("未脱敏");
        await Problem(await other.GetAsync($"{Aggregate}?raw=true"), HttpStatusCode.Forbidden);
        var bad = await Problem(await admin.GetAsync($"{Rows}?raw=maybe"), HttpStatusCode.BadRequest);
        bad["errors"]!["raw"]![0]!.GetValue<string>().ShouldContain("maybe");
    }

    [Theory]
    [InlineData("staff.gt=abc", "staff.gt", "abc")]
    [InlineData("capital.contains=1", "capital.contains", "contains")]
    [InlineData("nosuch=1", "nosuch", "nosuch")]
    [InlineData("name%3Bdrop%20table%20x=1", "name;drop table x", "未知字段")]
    [InlineData("c001=1", "c001", "未知字段")]
    [InlineData("_row.gt=0", "_row.gt", "未知字段")]
    [InlineData("sort=c001", "sort", "c001")]
    [InlineData("limit=100000", "limit", "100000")]
    [InlineData("version=x", "version", "x")]
    [InlineData("after=abc", "after", "游标")]
    public async Task Bad_queries_answer_400_naming_the_parameter(string qs, string parameter, string fragment)
    {
        var t = await App.SampleAsync();
        var admin = await App.LoginAsync("admin");
        var problem = await Problem(await admin.GetAsync($"{Rows}?{qs}"), HttpStatusCode.BadRequest);
        problem["title"]!.GetValue<string>().ShouldBe("请求参数有误");
        var messages = problem["errors"]![parameter]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        messages.Single().ShouldContain(fragment);
        (await t.CountInDatabaseAsync(App.Database.Settings)).ShouldBe(QueryAppFactory.RowCount);
    }

    [Fact]
    public async Task Injected_values_are_plain_values()
    {
        var t = await App.SampleAsync();
        var admin = await App.LoginAsync("admin");
        foreach (var value in new[] { "' OR 1=1 --", "O'Reilly; DROP TABLE x; --" })
        {
            var json = await admin.GetJsonAsync($"{Rows}?scope={E(value)}&fields=scope&limit=1000");
            var expected = t.Rows.Count(r => (string?)r[Scope] == value);
            json["total"]!.GetValue<long>().ShouldBe(expected);
            json["rows"]!.AsArray().All(r => r!["scope"]!.GetValue<string>() == value).ShouldBeTrue();
        }
        var percent = await admin.GetJsonAsync($"{Rows}?scope.contains={E("%")}&fields=scope&limit=1000");
        percent["total"]!.GetValue<long>().ShouldBe(t.Rows.Count(r => r[Scope] is string s && s.Contains('%')));
        var none = await admin.GetJsonAsync($"{Rows}?credit_code={E("' OR '1'='1")}");
        none["total"]!.GetValue<long>().ShouldBe(0);
        (await t.CountInDatabaseAsync(App.Database.Settings)).ShouldBe(QueryAppFactory.RowCount);
    }

    [Fact]
    public async Task Unknown_codes_answer_404_and_malformed_codes_400()
    {
        await App.SampleAsync();
        var admin = await App.LoginAsync("admin");
        var missing = await Problem(await admin.GetAsync("/api/v1/data/303026010201%2F999/rows"), HttpStatusCode.NotFound);
        missing["detail"]!.GetValue<string>().ShouldContain("303026010201/999");
        missing["detail"]!.GetValue<string>().ShouldContain("尚无可查询的数据");
        var version = await Problem(await admin.GetAsync($"{Rows}?version=2"), HttpStatusCode.NotFound);
        version["detail"]!.GetValue<string>().ShouldContain("第 2 版");
        (await admin.GetAsync($"{Rows}?version=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var malformed = await Problem(await admin.GetAsync("/api/v1/data/abc/rows"), HttpStatusCode.BadRequest);
        malformed["errors"]!["code"]![0]!.GetValue<string>().ShouldContain("abc");
        await Problem(await admin.GetAsync("/api/v1/data/303026010201%2F999/aggregate"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_version_dropped_between_resolving_and_reading_is_resolved_again()
    {
        var t = await App.SampleAsync();
        var admin = await App.LoginAsync("admin");
        var current = t.Resolved("303026010201/7", App.DepartmentId);
        var dropped = current with { VersionNumber = 6, Layout = current.Layout with { TableName = "data_rows_000000000000_v6" } };
        App.Resolver.Register(current, first: dropped);
        var json = await admin.GetJsonAsync("/api/v1/data/303026010201%2F7/rows?limit=1");
        json["version"]!.GetValue<int>().ShouldBe(1);
        json["total"]!.GetValue<long>().ShouldBe(QueryAppFactory.RowCount);

        App.Resolver.Register(dropped with { ResourceCode = "303026010201/8" });   // never readable: 404, not 500
        var problem = await Problem(await admin.GetAsync("/api/v1/data/303026010201%2F8/aggregate"), HttpStatusCode.NotFound);
        problem["detail"]!.GetValue<string>().ShouldContain("已被清理");
    }

    [Fact]
    public async Task Anonymous_callers_get_401_and_api_keys_need_data_read()
    {
        await App.SampleAsync();
        var anonymous = App.CreateBrowserClient();
        await Problem(await anonymous.GetAsync(Rows), HttpStatusCode.Unauthorized);
        var admin = await App.LoginAsync("admin");
        var catalogOnly = App.CreateApiKeyClient((await admin.CreateApiKeyAsync("只读目录 " + Guid.NewGuid().ToString("N")[..6], ["catalog:read"])).Secret);
        (await catalogOnly.GetAsync(Rows)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var dataReader = App.CreateApiKeyClient((await admin.CreateApiKeyAsync("读取数据 " + Guid.NewGuid().ToString("N")[..6], ["data:read"])).Secret);
        var json = await dataReader.GetJsonAsync($"{Rows}?limit=2&fields=legal_person");
        json["fields"]![0]!["masked"]!.GetValue<bool>().ShouldBeFalse();   // the key acts for 平台管理员
        (await dataReader.GetAsync($"{Aggregate}?agg=count")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_openapi_document_describes_both_endpoints()
    {
        var json = await App.CreateBrowserClient().GetJsonAsync("/openapi/v1.json");
        var paths = json["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/data/{code}/rows", "/api/v1/data/{code}/aggregate" })
        {
            var get = paths[path]!["get"]!;
            get["tags"]![0]!.GetValue<string>().ShouldBe("数据查询");
            get["description"]!.GetValue<string>().ShouldContain("%2F");
            get["description"]!.GetValue<string>().ShouldContain("startswith");
        }
        paths["/api/v1/data/{code}/rows"]!["get"]!["description"]!.GetValue<string>().ShouldContain("after");
    }

    [Fact]
    public async Task Aggregates_group_sort_and_name_their_results()
    {
        var t = await App.SampleAsync();
        var citizen = await App.LoginAsync("reviewer");
        var json = await citizen.GetJsonAsync($"{Aggregate}?group=region&agg=count,sum:capital,avg:staff,max:{E("成立日期")}&sort=-count,region&staff.isnull=false");
        json["fields"]!.AsArray().Select(f => (f!["name"]!.GetValue<string>(), f["type"]!.GetValue<string>()))
            .ShouldBe([("region", "text"), ("count", "integer"), ("sum_capital", "decimal"), ("avg_staff", "double"), ("max_成立日期", "date")]);
        json["fields"]![2]!["itemName"]!.GetValue<string>().ShouldBe("注册资本 合计");
        var expected = t.Rows.Where(r => r[Staff] is not null).GroupBy(r => (string?)r[Region])
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, Comparer<string?>.Create((a, b) => Compare(a, b))).ToList();
        var rows = json["rows"]!.AsArray();
        json["total"]!.GetValue<long>().ShouldBe(expected.Count);
        rows.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            rows[i]!["region"]?.GetValue<string>().ShouldBe(expected[i].Key);
            rows[i]!["count"]!.GetValue<long>().ShouldBe(expected[i].Count());
            rows[i]!["sum_capital"]!.GetValue<decimal>().ShouldBe(expected[i].Select(r => r[Capital]).OfType<decimal>().Sum(), 0.000001m);
            rows[i]!["avg_staff"]!.GetValue<double>().ShouldBe(expected[i].Select(r => (long)r[Staff]!).Average(), 1e-9);
            rows[i]!["max_成立日期"]!.GetValue<string>().ShouldBe(expected[i].Select(r => r[EstDate]).OfType<DateOnly>().Max().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        var problem = await Problem(await citizen.GetAsync($"{Aggregate}?agg=sum:scope"), HttpStatusCode.BadRequest);
        problem["errors"]!["agg"]![0]!.GetValue<string>().ShouldContain("只能用于数值字段");
    }
}

public sealed class SqliteRowsApiTests(SqliteQueryAppFactory app) : RowsApiTests<SqliteQueryAppFactory>(app), IClassFixture<SqliteQueryAppFactory>;

public sealed class PostgresRowsApiTests(PostgresQueryAppFactory app) : RowsApiTests<PostgresQueryAppFactory>(app), IClassFixture<PostgresQueryAppFactory>;
