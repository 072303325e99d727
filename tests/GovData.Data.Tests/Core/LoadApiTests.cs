using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovData.Tests.Common.Web;

namespace GovData.Data.Tests.Core;

public sealed class SqliteLoadApiTests(DataSqliteApp app) : LoadApiTests<DataSqliteApp>(app), IClassFixture<DataSqliteApp>;

public sealed class PostgresLoadApiTests(DataPostgresApp app) : LoadApiTests<DataPostgresApp>(app), IClassFixture<DataPostgresApp>;

/// <summary>
/// Loads end to end through the real host: upload → 202 → the background worker → progress and report → rows readable
/// through the query API; a second version, rollback, a rejected file with its report and rejected-rows download,
/// API keys, cancellation.
/// </summary>
public abstract class LoadApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : DataAppFactory
{
    private static string P(string code) => "/api/v1/data/" + Uri.EscapeDataString(code);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => DataAppFactory.Ok(r, expected);

    private static MultipartFormDataContent Multipart(byte[] content, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }

    /// <summary>Polls the load until it ended.</summary>
    private static async Task<JsonNode> WaitAsync(HttpClient client, string location)
    {
        for (var i = 0; i < 600; i++)
        {
            var load = await Ok(await client.GetAsync(location + "?errorLimit=50"));
            if (load["status"]!.GetValue<string>() is not ("queued" or "running")) return load;
            await Task.Delay(100);
        }
        throw new TimeoutException("加载在 60 秒内没有结束");
    }

    [Fact]
    public async Task Upload_runs_in_the_background_and_the_rows_become_readable()
    {
        var code = await App.PublishAsync("深圳通刷卡数据（加载测试）", DataAppFactory.ShenzhenItems);
        var client = await App.LoginAsync("scjg_cataloger");

        var accepted = await client.PostAsync(P(code) + "/loads", Multipart(await File.ReadAllBytesAsync(Fixture("shenzhen-szt-card-10000.csv")), "shenzhen.csv"));
        var queued = await Ok(accepted, HttpStatusCode.Accepted);
        var location = accepted.Headers.Location!.OriginalString;
        location.ShouldBe($"/api/v1/data/loads/{queued["id"]}");
        queued["mode"]!.GetValue<string>().ShouldBe("full");
        queued["options"]!["threshold"]!.GetValue<string>().ShouldBe("错误行不超过读取行数的 5%");

        var done = await WaitAsync(client, location);
        done["status"]!.GetValue<string>().ShouldBe("succeeded", done.ToJsonString());
        done["statusLabel"]!.GetValue<string>().ShouldBe("已完成");
        (done["rowsRead"]!.GetValue<long>(), done["rowsLoaded"]!.GetValue<long>(), done["rowsRejected"]!.GetValue<long>()).ShouldBe((10_000L, 10_000L, 0L));
        done["versionNumber"]!.GetValue<int>().ShouldBe(1);
        done["detected"]!.GetValue<string>().ShouldContain("UTF-8");
        done["percent"]!.GetValue<double>().ShouldBe(100);
        done["rowsPerSecond"]!.GetValue<double>().ShouldBeGreaterThan(0);

        var summary = await Ok(await client.GetAsync(P(code)));
        summary["currentVersion"]!["number"]!.GetValue<int>().ShouldBe(1);
        summary["currentVersion"]!["rowCount"]!.GetValue<long>().ShouldBe(10_000);
        summary["timeliness"]!["label"]!.GetValue<string>().ShouldBe("按时");
        summary["recentLoads"]!.AsArray().Single()!["id"]!.GetValue<Guid>().ShouldBe(queued["id"]!.GetValue<Guid>());
        var rows = await Ok(await client.GetAsync(P(code) + "/rows?limit=2&fields=card_no,station"));
        rows["total"]!.GetValue<long>().ShouldBe(10_000);
        rows["rows"]![0]!["card_no"]!.GetValue<string>().ShouldBe("CBEHFCFCG");

        // The GB18030 file as a raw body: version 2, the same rows.
        var raw = new ByteArrayContent(await File.ReadAllBytesAsync(Fixture("shenzhen-szt-card-10000.gb18030.csv")));
        var second = await client.PostAsync(P(code) + "/loads?fileName=" + Uri.EscapeDataString("深圳通.csv"), raw);
        var v2 = await WaitAsync(client, (await Ok(second, HttpStatusCode.Accepted))["id"] is { } id2 ? $"/api/v1/data/loads/{id2}" : "");
        v2["status"]!.GetValue<string>().ShouldBe("succeeded", v2.ToJsonString());
        v2["versionNumber"]!.GetValue<int>().ShouldBe(2);
        v2["detected"]!.GetValue<string>().ShouldContain("GB18030");
        v2["fileName"]!.GetValue<string>().ShouldBe("深圳通.csv");
        var station = await Ok(await client.GetAsync(P(code) + "/aggregate?group=station&agg=count&sort=-count&limit=1"));
        var station1 = await Ok(await client.GetAsync(P(code) + "/aggregate?group=station&agg=count&sort=-count&limit=1&version=1"));
        station["rows"]!.ToJsonString().ShouldBe(station1["rows"]!.ToJsonString());

        // Rollback to version 1, recorded with who did it.
        var activated = await Ok(await client.PostAsync(P(code) + "/versions/1/activate", null));
        activated["isCurrent"]!.GetValue<bool>().ShouldBeTrue();
        var versions = await Ok(await client.GetAsync(P(code) + "/versions"));
        versions["currentVersion"]!.GetValue<int>().ShouldBe(1);
        versions["switches"]![0]!["reasonLabel"]!.GetValue<string>().ShouldBe("回退");
        versions["switches"]![0]!["by"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        (await Ok(await client.PostAsync(P(code) + "/versions/1/activate", null), HttpStatusCode.Conflict))["detail"]!.GetValue<string>().ShouldContain("已经是当前版本");

        // Other departments see the status, not the reports.
        var other = await App.LoginAsync("rst_cataloger");
        (await other.GetAsync(location)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync(P(code) + "/loads")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsync(P(code) + "/versions/2/activate", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_rejected_file_reports_rows_columns_rules_and_offers_the_rejected_rows()
    {
        var code = await App.PublishAsync("深圳通刷卡数据（错误报告测试）", DataAppFactory.ShenzhenItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var csv = new StringBuilder("deal_date,close_date,card_no,deal_value,deal_type,company_name,car_no,station,conn_mark,deal_money,equ_no\n");
        for (var i = 1; i <= 40; i++)
        {
            var date = i % 4 == 0 ? "2018-13-45 25:00:00" : $"2018-08-31 22:{i % 60:00}:00";
            var money = i % 10 == 0 ? "七百" : "700";
            csv.Append($"{date},2018-09-01 00:00:00,CARD{i:0000},{money},地铁入站,地铁五号线,IGT-105,布吉,0,665,263032105\n");
        }
        var accepted = await client.PostAsync(P(code) + "/loads", Multipart(Encoding.UTF8.GetBytes(csv.ToString()), "bad.csv"));
        var done = await WaitAsync(client, accepted.Headers.Location!.OriginalString);
        done["status"]!.GetValue<string>().ShouldBe("rejected");
        done["message"]!.GetValue<string>().ShouldContain("超过错误阈值");
        done["rowsRejected"]!.GetValue<long>().ShouldBe(12);            // rows 20 and 40 have both faults
        var rules = done["rules"]!.AsArray().ToDictionary(r => r!["rule"]!.GetValue<string>(), r => r!["count"]!.GetValue<long>());
        rules["TIMESTAMP"].ShouldBe(10);
        rules["NUMBER"].ShouldBe(4);
        var first = done["errors"]!.AsArray()[0]!;
        first["row"]!.GetValue<long>().ShouldBe(5);                     // header is line 1, row 4 of data is line 5
        first["column"]!.GetValue<string>().ShouldBe("deal_date");
        first["value"]!.GetValue<string>().ShouldBe("2018-13-45 25:00:00");
        first["ruleLabel"]!.GetValue<string>().ShouldBe("日期时间格式");
        (await Ok(await client.GetAsync(P(code)))).AsObject()["currentVersion"].ShouldBeNull();

        var file = await client.GetAsync(done["rejectedRowsUrl"]!.GetValue<string>());
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bytes = await file.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(13);
        lines[0].ShouldEndWith(",行号,错误原因");
        lines[1].ShouldStartWith("2018-13-45 25:00:00,2018-09-01 00:00:00,CARD0004,");
        lines[1].ShouldContain(",5,deal_date：");
        file.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("bad-未通过行.csv");
    }
}

public sealed class SqliteQueuedLoadApiTests(DataSqliteQueueOnlyApp app) : QueuedLoadApiTests<DataSqliteQueueOnlyApp>(app), IClassFixture<DataSqliteQueueOnlyApp>;

public sealed class PostgresQueuedLoadApiTests(DataPostgresQueueOnlyApp app) : QueuedLoadApiTests<DataPostgresQueueOnlyApp>(app), IClassFixture<DataPostgresQueueOnlyApp>;

/// <summary>Loads that stay queued: the host runs no load worker.</summary>
public abstract class QueuedLoadApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : DataAppFactory
{
    private static string P(string code) => "/api/v1/data/" + Uri.EscapeDataString(code);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => DataAppFactory.Ok(r, expected);

    private static MultipartFormDataContent Multipart(byte[] content, string fileName)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }

    // Nothing runs the load in this host: its state is final as soon as the cancellation returned.
    private static async Task<JsonNode> WaitAsync(HttpClient client, string location) => await Ok(await client.GetAsync(location));

    [Fact]
    public async Task Api_keys_need_data_write_and_queued_loads_can_be_cancelled()
    {
        var code = await App.PublishAsync("深圳通刷卡数据（密钥测试）", DataAppFactory.ShenzhenItems);
        var owner = await App.LoginAsync("scjg_cataloger");
        var readOnly = App.CreateApiKeyClient((await owner.CreateApiKeyAsync("只读", ["data:read"])).Secret);
        var writer = App.CreateApiKeyClient((await owner.CreateApiKeyAsync("加载", ["data:write"])).Secret);
        var csv = await File.ReadAllBytesAsync(Fixture("shenzhen-szt-card-10000.csv"));
        (await readOnly.PostAsync(P(code) + "/loads", Multipart(csv, "a.csv"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // No worker runs in this host, so the load is certainly still queued when the cancellation arrives.
        var accepted = await writer.PostAsync(P(code) + "/loads?mode=full&threshold=0", Multipart(csv, "a.csv"));
        var id = (await Ok(accepted, HttpStatusCode.Accepted))["id"]!.GetValue<Guid>();
        var cancelled = await Ok(await writer.PostAsync($"/api/v1/data/loads/{id}/cancel", null));
        cancelled["status"]!.GetValue<string>().ShouldBe("cancelled");
        cancelled["cancelRequested"]!.GetValue<bool>().ShouldBeTrue();
        var done = await WaitAsync(writer, $"/api/v1/data/loads/{id}");
        done["status"]!.GetValue<string>().ShouldBe("cancelled", done.ToJsonString());
        done["message"]!.GetValue<string>().ShouldContain("取消");
        (await Ok(await writer.GetAsync(P(code)))).AsObject()["currentVersion"].ShouldBeNull();
        (await Ok(await writer.PostAsync($"/api/v1/data/loads/{id}/cancel", null), HttpStatusCode.Conflict))["detail"]!.GetValue<string>().ShouldContain("已结束");
        (await writer.GetAsync($"/api/v1/data/loads/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
