using Dapper;
using GovData.Exchange.Features.Audit;
using GovData.Web;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace GovData.Cli.Tests;

/// <summary><c>govdata audit verify</c> and <c>govdata audit seal</c> over a log written by the platform's own audit trail.</summary>
public sealed class AuditVerifyTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();

    public async ValueTask InitializeAsync()
    {
        var migrate = await _cli.RunAsync("migrate");
        migrate.ExitCode.ShouldBe(0, migrate.ToString());
        // Entries written the way the web host writes them (group commit through IAuditTrail).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = _cli.ConnectionString,
            ["GovData:DataFolder"] = _cli.Directory,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGovData(configuration, _cli.Directory);
        await using var provider = services.BuildServiceProvider();
        for (var i = 1; i <= 40; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IAuditTrail>().AppendAsync(new AuditRecord(
                AuditKinds.Query, i % 7 == 0 ? AuditOutcomes.Denied : AuditOutcomes.Ok, ConsumerDepartmentId: Guid.NewGuid(),
                ResourceCode: "303026010201/1", Purpose: "社保待遇资格认定", Issue: $"业务 {i}", RowsReturned: i));
        }
    }

    public ValueTask DisposeAsync()
    {
        _cli.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection(_cli.ConnectionString);
        foreach (var trigger in connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'exchange_audit_%'").ToList())
            connection.Execute($"DROP TRIGGER {trigger}");
        connection.Execute(sql);
    }

    [Fact]
    public async Task An_intact_log_verifies_with_exit_code_0_and_a_modified_entry_is_named_with_exit_code_4()
    {
        var seal = await _cli.RunAsync("audit", "seal");
        seal.ExitCode.ShouldBe(0, seal.ToString());
        seal.Out.ShouldContain("已封存至第 40 条");
        (await _cli.RunAsync("audit", "seal")).Out.ShouldContain("没有新的记录需要封存");

        var ok = await _cli.RunAsync("audit", "verify");
        ok.ExitCode.ShouldBe(ExitCodes.Ok, ok.ToString());
        ok.Out.ShouldContain("审计日志校验通过：共 40 条记录（第 1 至 40 条）");
        ok.Out.ShouldContain("已封存至第 40 条");
        ok.Err.ShouldBeEmpty();

        Tamper("UPDATE exchange_audit_entries SET purpose = '另作他用' WHERE seq = 17");
        var broken = await _cli.RunAsync("audit", "verify");
        broken.ExitCode.ShouldBe(ExitCodes.AuditFailed, broken.ToString());
        broken.Out.ShouldContain("审计日志校验未通过");
        broken.Out.ShouldContain("首个问题：第 17 条记录的内容被修改");
        broken.Out.ShouldContain("第 17 条  [记录被修改]");
        broken.Out.ShouldContain("第 40 条  [检查点与日志不符]");
        broken.Err.ShouldContain("首个问题在第 17 条");
    }

    [Fact]
    public async Task A_deleted_and_a_swapped_entry_are_named_and_the_result_can_be_recorded_for_the_page()
    {
        (await _cli.RunAsync("audit", "seal")).ExitCode.ShouldBe(0);
        Tamper("DELETE FROM exchange_audit_entries WHERE seq = 9");
        Tamper("UPDATE exchange_audit_entries SET seq = -1 WHERE seq = 22; UPDATE exchange_audit_entries SET seq = 22 WHERE seq = 23; UPDATE exchange_audit_entries SET seq = 23 WHERE seq = -1;");
        var result = await _cli.RunAsync("audit", "verify", "--record");
        result.ExitCode.ShouldBe(ExitCodes.AuditFailed, result.ToString());
        result.Out.ShouldContain("首个问题：第 9 条记录缺失（第 8 条之后直接是第 10 条）：记录被删除");
        result.Out.ShouldContain("第 22 条  [记录顺序被调换]  第 22 条与第 23 条记录的位置被调换");
        _cli.Scalar<long>("SELECT first_problem_seq FROM exchange_audit_verifications").ShouldBe(9);
        _cli.Scalar<string>("SELECT run_by FROM exchange_audit_verifications").ShouldContain("govdata命令行");
    }

    [Fact]
    public async Task A_pinned_public_key_must_have_signed_the_checkpoints()
    {
        (await _cli.RunAsync("audit", "seal")).ExitCode.ShouldBe(0);
        var spki = _cli.Scalar<string>("SELECT public_key FROM exchange_audit_node_keys");
        var nodeKey = _cli.WriteFile("node.pem", System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", Convert.FromBase64String(spki)));
        var ok = await _cli.RunAsync("audit", "verify", "--public-key", nodeKey);
        ok.ExitCode.ShouldBe(ExitCodes.Ok, ok.ToString());
        ok.Out.ShouldContain("指定公钥：");

        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var foreign = _cli.WriteFile("other.pem", other.ExportSubjectPublicKeyInfoPem());
        var refused = await _cli.RunAsync("audit", "verify", "--public-key", foreign);
        refused.ExitCode.ShouldBe(ExitCodes.AuditFailed, refused.ToString());
        refused.Out.ShouldContain("不是由指定的公钥");

        var garbage = _cli.WriteFile("bad.pem", "不是公钥");
        var bad = await _cli.RunAsync("audit", "verify", "--public-key", garbage);
        bad.ExitCode.ShouldBe(ExitCodes.Validation, bad.ToString());
        bad.Err.ShouldContain("不是有效的 PEM 公钥");
        (await _cli.RunAsync("audit", "verify", "--public-key", "missing.pem")).ExitCode.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Help_and_a_missing_database_are_reported_in_chinese()
    {
        var help = await _cli.RunRawAsync(["audit", "verify", "--help"]);
        help.ExitCode.ShouldBe(0);
        help.Out.ShouldContain("--public-key");
        help.Out.ShouldContain("退出码为 0");
        var missing = await _cli.RunRawAsync(["audit", "verify", "--connection", $"Data Source={Path.Combine(_cli.Directory, "none.db")}"]);
        missing.ExitCode.ShouldBe(ExitCodes.Failure, missing.ToString());
        missing.Err.ShouldContain("不存在");
    }
}
