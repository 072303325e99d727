using Shouldly;

namespace GovData.Cli.Tests;

public sealed class MigrateAndSeedTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Migrate_applies_every_module_once_and_reports_versions()
    {
        var first = await _cli.RunAsync("migrate");

        first.ExitCode.ShouldBe(0, first.ToString());
        first.Out.ShouldContain("platform 0001_platform");
        first.Out.ShouldContain("identity 0001_initial");
        first.Out.ShouldContain("identity 0002_lockout_api_keys_security_log");
        first.Out.ShouldContain("identity 0003_public_accounts");
        first.Out.ShouldContain("identity     当前 0003，最新 0003");
        _cli.Scalar<long>("SELECT COUNT(*) FROM platform_schema_migrations WHERE module = 'identity'").ShouldBe(3);

        var second = await _cli.RunAsync("migrate");
        second.ExitCode.ShouldBe(0);
        second.Out.ShouldContain("没有需要应用的迁移");
        second.Out.ShouldNotContain("0001_initial");
    }

    [Fact]
    public async Task Migrate_to_stops_a_module_and_other_commands_then_refuse_to_run()
    {
        var partial = await _cli.RunAsync("migrate", "--to", "identity=1");

        partial.ExitCode.ShouldBe(0, partial.ToString());
        partial.Out.ShouldContain("identity 0001_initial");
        partial.Out.ShouldNotContain("0002_lockout");
        partial.Out.ShouldContain("当前 0001，最新 0003，待应用 2 个");

        var add = await _cli.RunAsync("user", "add", "-u", "zhang", "-n", "张三", "-r", "developer", "-p", "Abcdef1!");
        add.ExitCode.ShouldBe(ExitCodes.Failure);
        add.Err.ShouldContain("2 个迁移未应用");
        add.Err.ShouldContain("govdata migrate");

        var rest = await _cli.RunAsync("migrate");
        rest.Out.ShouldContain("identity 0002_lockout_api_keys_security_log");
        rest.Out.ShouldContain("identity 0003_public_accounts");
    }

    [Theory]
    [InlineData("identity", "格式不正确")]
    [InlineData("catalogue=1", "没有名为“catalogue”的模块")]
    [InlineData("identity=9", "版本应为 0 至 3 的整数")]
    public async Task Migrate_to_rejects_bad_targets_without_migrating(string target, string message)
    {
        var result = await _cli.RunAsync("migrate", "--to", target);

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain(message);
        _cli.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'identity_users'").ShouldBe(0);
    }

    [Fact]
    public async Task Seed_demo_migrates_first_and_seeds_only_once()
    {
        var seed = await _cli.RunAsync("seed", "--demo");

        seed.ExitCode.ShouldBe(0, seed.ToString());
        // Every module's migrations run; the count printed is the count recorded (modules are added over time).
        var applied = _cli.Scalar<long>("SELECT COUNT(*) FROM platform_schema_migrations");
        applied.ShouldBeGreaterThanOrEqualTo(3);
        seed.Out.ShouldContain($"已应用 {applied} 个数据库迁移");
        seed.Out.ShouldContain("已写入演示数据：identity");
        seed.Out.ShouldContain("Demo@2026");
        _cli.Scalar<long>("SELECT COUNT(*) FROM identity_users").ShouldBe(11);
        _cli.Scalar<string>("SELECT display_name FROM identity_users WHERE user_name = 'admin'").ShouldBe("平台管理员（演示）");

        var again = await _cli.RunAsync("seed", "--demo");
        again.ExitCode.ShouldBe(0);
        again.Out.ShouldContain("未重复写入");
        _cli.Scalar<long>("SELECT COUNT(*) FROM identity_users").ShouldBe(11);
    }

    [Fact]
    public async Task Seed_without_demo_is_refused()
    {
        var result = await _cli.RunAsync("seed");

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("--demo");
    }

    [Fact]
    public async Task Status_shows_provider_migrations_seed_state_and_row_counts()
    {
        var missing = await _cli.RunAsync("status");
        missing.ExitCode.ShouldBe(ExitCodes.NotFound);
        missing.Err.ShouldContain("不存在");
        File.Exists(_cli.DatabaseFile).ShouldBeFalse("status must not create an empty database");

        (await _cli.RunAsync("seed", "--demo")).ExitCode.ShouldBe(0);
        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(0, status.ToString());
        status.Out.ShouldContain($"数据库：SQLite（{_cli.DatabaseFile}）");
        status.Out.ShouldContain($"已应用的迁移（{_cli.Scalar<long>("SELECT COUNT(*) FROM platform_schema_migrations")} 个）");
        status.Out.ShouldContain("identity 0002_lockout_api_keys_security_log");
        status.Out.ShouldMatch(@"演示数据：已写入（[^）]*identity");
        status.Out.ShouldMatch(@"identity_users\s+11\b");
        status.Out.ShouldMatch(@"identity_departments\s+28\b");
    }
}
