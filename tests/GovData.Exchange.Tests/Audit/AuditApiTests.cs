using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Audit;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Spreadsheets;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Audit;

/// <summary>The audit API over the real host: search, export, proofs, checkpoints, public key, verify; who may do what; bad input.</summary>
public abstract class AuditApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private const string Api = AuditHttp.Api;

    private Task<AuditWebSeed> SeedAsync() => AuditWebSeed.EnsureAsync(App);

    [Fact]
    public async Task The_auditor_searches_by_department_kind_outcome_resource_grant_and_time_with_paging()
    {
        var seed = await SeedAsync();
        using var auditor = await App.LoginAsync("auditor");

        var page = await auditor.GetJsonAsync($"{Api}/entries?department={seed.RenShe}&pageSize=5&page=2");
        page["total"]!.GetValue<int>().ShouldBe(22);
        page["pageSize"]!.GetValue<int>().ShouldBe(5);
        var items = page["items"]!.AsArray();
        items.Select(i => i!["seq"]!.GetValue<long>()).ShouldBe([17L, 16, 15, 14, 13]); // newest first, page 2
        var first = items[0]!;
        first["consumerDepartmentName"]!.GetValue<string>().ShouldBe(AuditWebSeed.RenSheName);
        first["providerDepartmentName"]!.GetValue<string>().ShouldBe(AuditWebSeed.ShiChangName);
        first["kindName"]!.GetValue<string>().ShouldBe("数据查询");
        first["entryHash"]!.GetValue<string>().Length.ShouldBe(64);

        // The provider side finds the same accesses.
        (await auditor.GetJsonAsync($"{Api}/entries?department={seed.ShiChang}"))["total"]!.GetValue<int>().ShouldBe(22);
        (await auditor.GetJsonAsync($"{Api}/entries?kind=access.verify"))["total"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(10);
        (await auditor.GetJsonAsync($"{Api}/entries?department={seed.RenShe}&outcome=denied"))["items"]!.AsArray()
            .Select(i => i!["seq"]!.GetValue<long>()).ShouldBe([20L, 15, 10, 5]);
        (await auditor.GetJsonAsync($"{Api}/entries?resource=303026020101"))["total"]!.GetValue<int>().ShouldBe(10);
        (await auditor.GetJsonAsync($"{Api}/entries?grant={seed.Grant}"))["total"]!.GetValue<int>().ShouldBe(22);
        (await auditor.GetJsonAsync($"{Api}/entries?department={seed.RenShe}&to=2020-01-01"))["total"]!.GetValue<int>().ShouldBe(0);
        var today = DateTime.Now.ToString("yyyy-MM-dd");
        (await auditor.GetJsonAsync($"{Api}/entries?department={seed.RenShe}&from={today}&to={today}"))["total"]!.GetValue<int>().ShouldBe(22);
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        (await auditor.GetJsonAsync($"{Api}/entries?department={seed.WeiJian}&from={from}"))["total"]!.GetValue<int>().ShouldBe(10);

        var one = await auditor.GetJsonAsync($"{Api}/entries/3");
        one["issue"]!.GetValue<string>().ShouldBe("业务编号 3");
        (await auditor.GetAsync($"{Api}/entries/999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_auditors_and_platform_admins_read_the_log_and_api_keys_need_audit_read()
    {
        await SeedAsync();
        using var deptAdmin = await App.LoginAsync("rst_admin");
        var denied = await (await deptAdmin.GetAsync($"{Api}/entries")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        denied["detail"]!.GetValue<string>().Any(c => c > 127).ShouldBeTrue();
        await (await deptAdmin.GetAsync($"{Api}/entries/export")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await deptAdmin.PostAsync($"{Api}/verify", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var reviewer = await App.LoginAsync("reviewer");
        await (await reviewer.GetAsync($"{Api}/entries/1")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var anonymous = App.CreateBrowserClient();
        await (await anonymous.GetAsync($"{Api}/entries")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        using var admin = await App.LoginAsync("admin");
        (await admin.GetAsync($"{Api}/entries")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var auditor = await App.LoginAsync("auditor");
        var readKey = await auditor.CreateApiKeyAsync("审计抽查", [ApiScopes.AuditRead]);
        var otherKey = await auditor.CreateApiKeyAsync("只读目录", [ApiScopes.CatalogRead]);
        using var withScope = App.CreateApiKeyClient(readKey.Secret);
        (await withScope.GetAsync($"{Api}/entries?pageSize=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var withoutScope = App.CreateApiKeyClient(otherKey.Secret);
        await (await withoutScope.GetAsync($"{Api}/entries")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await withoutScope.GetAsync($"{Api}/checkpoints/latest")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_input_gets_a_chinese_problem_naming_the_field()
    {
        await SeedAsync();
        using var auditor = await App.LoginAsync("auditor");
        (await (await auditor.GetAsync($"{Api}/entries?from=2026-13-45")).ShouldBeValidationProblemAsync("from")).ShouldContain("2026-13-45");
        await (await auditor.GetAsync($"{Api}/entries?to=昨天")).ShouldBeValidationProblemAsync("to");
        await (await auditor.GetAsync($"{Api}/entries?from=2026-02-01&to=2026-01-01")).ShouldBeValidationProblemAsync("to");
        await (await auditor.GetAsync($"{Api}/entries?department=人社厅")).ShouldBeValidationProblemAsync("department");
        await (await auditor.GetAsync($"{Api}/entries?grant=123")).ShouldBeValidationProblemAsync("grant");
        (await (await auditor.GetAsync($"{Api}/entries?kind=access.delete")).ShouldBeValidationProblemAsync("kind")).ShouldContain("access.query");
        await (await auditor.GetAsync($"{Api}/entries?outcome=maybe")).ShouldBeValidationProblemAsync("outcome");
        await (await auditor.GetAsync($"{Api}/entries?pageSize=0")).ShouldBeValidationProblemAsync("pageSize");
        await (await auditor.GetAsync($"{Api}/entries?page=-1")).ShouldBeValidationProblemAsync("page");
        await (await auditor.GetAsync($"{Api}/entries/export?format=pdf")).ShouldBeValidationProblemAsync("format");
        await (await auditor.GetAsync($"{Api}/entries/abc")).ShouldBeValidationProblemAsync("seq");
        await (await auditor.GetAsync($"{Api}/entries/abc/proof")).ShouldBeValidationProblemAsync("seq");
        await (await auditor.GetAsync($"{Api}/entries/3/proof?treeSize=x")).ShouldBeValidationProblemAsync("treeSize");
        await (await auditor.GetAsync($"{Api}/entries/3/proof?treeSize=2")).ShouldBeValidationProblemAsync("treeSize");
        await (await auditor.GetAsync($"{Api}/checkpoints/consistency?from=abc&to=30")).ShouldBeValidationProblemAsync("from");
        await (await auditor.GetAsync($"{Api}/checkpoints/consistency?from=30")).ShouldBeValidationProblemAsync("to");
    }

    [Fact]
    public async Task A_department_proves_its_own_entry_against_the_signed_checkpoint_but_not_another_departments()
    {
        await SeedAsync();
        using var consumer = await App.LoginAsync("rst_user"); // 人社厅, the consumer of 1–20
        var response = await consumer.GetAsync($"{Api}/entries/7/proof");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var proof = JsonNode.Parse(body)!;
        proof["verified"]!.GetValue<bool>().ShouldBeTrue();
        proof["treeSize"]!.GetValue<long>().ShouldBe(30);

        // The department checks it without trusting the platform: leaf from the canonical bytes, path to the root,
        // root and size under the node's signature with the public key served anonymously.
        var bytes = Convert.FromBase64String(proof["entryBytes"]!.GetValue<string>());
        Encoding.ASCII.GetString(bytes, 0, 4).ShouldBe("GDAL");
        var leaf = SHA256.HashData([0x00, .. bytes]);
        Convert.ToHexStringLower(leaf).ShouldBe(proof["leafHash"]!.GetValue<string>());
        var path = proof["auditPath"]!.AsArray().Select(h => Convert.FromHexString(h!.GetValue<string>())).ToList();
        var checkpoint = proof["checkpoint"]!;
        var root = Convert.FromHexString(checkpoint["rootHash"]!.GetValue<string>());
        MerkleTree.VerifyInclusion(6, 30, leaf, path, root).ShouldBeTrue();
        MerkleTree.VerifyInclusion(6, 30, SHA256.HashData([0x00, .. bytes, 0x01]), path, root).ShouldBeFalse();

        using var anonymous = App.CreateBrowserClient();
        var keys = await anonymous.GetJsonAsync($"{Api}/public-key");
        var key = keys["keys"]!.AsArray().Single(k => k!["keyId"]!.GetValue<string>() == checkpoint["keyId"]!.GetValue<string>())!;
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key["publicKeyPem"]!.GetValue<string>());
        var statement = checkpoint["statement"]!.GetValue<string>();
        statement.ShouldContain($"root_hash={checkpoint["rootHash"]!.GetValue<string>()}\n");
        statement.ShouldContain("tree_size=30\n");
        ecdsa.VerifyData(Encoding.UTF8.GetBytes(statement), Convert.FromBase64String(checkpoint["signature"]!.GetValue<string>()),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence).ShouldBeTrue();

        // The provider department may prove it too; another department may not.
        using var provider = await App.LoginAsync("scjg_admin");
        (await provider.GetAsync($"{Api}/entries/7/proof")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var foreign = await (await consumer.GetAsync($"{Api}/entries/25/proof")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        foreign["detail"]!.GetValue<string>().ShouldContain("第 25 条记录不属于本部门");
        using var other = await App.LoginAsync("wjw_cataloger");
        await (await other.GetAsync($"{Api}/entries/7/proof")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await other.GetAsync($"{Api}/entries/25/proof")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Auditors prove any entry; entries after the last seal cannot be proved yet; unknown entries are 404.
        using var auditor = await App.LoginAsync("auditor");
        (await auditor.GetAsync($"{Api}/entries/25/proof")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await consumer.GetAsync($"{Api}/entries/31/proof")).ShouldBeProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>().ShouldContain("尚未被签名检查点封存");
        await (await auditor.GetAsync($"{Api}/entries/999999/proof")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var citizen = await App.LoginAsync("citizen");
        await (await citizen.GetAsync($"{Api}/entries/7/proof")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Checkpoints_and_consistency_proofs_are_served_to_departments()
    {
        await SeedAsync();
        using var consumer = await App.LoginAsync("rst_user");
        var latest = await consumer.GetJsonAsync($"{Api}/checkpoints/latest");
        latest["treeSize"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(30);
        var list = await consumer.GetJsonAsync($"{Api}/checkpoints");
        list["items"]!.AsArray().ShouldContain(c => c!["treeSize"]!.GetValue<long>() == 30);
        var same = await consumer.GetJsonAsync($"{Api}/checkpoints/consistency?from=30&to=30");
        same["verified"]!.GetValue<bool>().ShouldBeTrue();
        same["proof"]!.AsArray().ShouldBeEmpty();
        await (await consumer.GetAsync($"{Api}/checkpoints/consistency?from=29&to=30")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Export_streams_csv_and_xlsx_with_the_search_filters()
    {
        var seed = await SeedAsync();
        using var auditor = await App.LoginAsync("auditor");
        var csv = await auditor.GetAsync($"{Api}/entries/export?department={seed.WeiJian}");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        csv.Content.Headers.ContentDisposition!.FileNameStar!.ShouldEndWith(".csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var rows = TabularFile.ReadCsv(new MemoryStream(bytes));
        rows[0].Cells.ShouldBe(AuditExportResult.Header);
        rows.Count.ShouldBe(11);
        rows[1][0].ShouldBe("21");
        rows[1][2].ShouldBe("核验");
        rows[1][6].ShouldBe(AuditWebSeed.WeiJianName);
        rows[1][7].ShouldBe(AuditWebSeed.JiaoYuName);
        rows[5][0].ShouldBe("25");
        rows[5][19].ShouldBe("超出授权范围，拒绝访问");

        var xlsx = await auditor.GetAsync($"{Api}/entries/export?format=xlsx&department={seed.RenShe}&outcome=denied");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var sheet = TabularFile.Read(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), "audit.xlsx");
        sheet[0].Cells.ShouldBe(AuditExportResult.Header);
        sheet.Skip(1).Select(r => r[0]).ShouldBe(["5", "10", "15", "20"]);
        sheet[1][19].ShouldBe("超出授权范围，拒绝访问");
        sheet[1][1].ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}[+-]\d{2}:\d{2}$");
    }

    [Fact]
    public async Task The_auditor_verifies_the_log_through_the_api()
    {
        await SeedAsync();
        using var auditor = await App.LoginAsync("auditor");
        var response = await auditor.PostAsync($"{Api}/verify", null);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var report = JsonNode.Parse(body)!;
        report["ok"]!.GetValue<bool>().ShouldBeTrue(body);
        report["entries"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(32);
        report["summary"]!.GetValue<string>().ShouldStartWith("审计日志校验通过");
        report["problems"]!.AsArray().ShouldBeEmpty();
    }
}

public sealed class AuditApiSqliteTests(SqliteAppFactory app) : AuditApiTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class AuditApiPostgresTests(PostgresAppFactory app) : AuditApiTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
