using Shouldly;

namespace GovData.Cli.Tests;

/// <summary>Help, argument errors, configuration of the database location.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Help_lists_the_commands_in_Chinese()
    {
        var result = await _cli.RunRawAsync(["--help"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("用法：");
        result.Out.ShouldContain("govdata [命令] [选项]");
        foreach (var command in new[] { "migrate", "seed", "user", "dept", "apikey", "status" }) result.Out.ShouldContain(command);
        result.Out.ShouldContain("应用数据库迁移");
        result.Out.ShouldNotContain("Description:");
        result.Out.ShouldNotContain("REQUIRED");
    }

    [Fact]
    public async Task Subcommand_help_marks_required_options()
    {
        var result = await _cli.RunRawAsync(["user", "add", "--help"]);

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldContain("--username <用户名>（必填）");
        result.Out.ShouldContain("dept_cataloger（部门编目员）");
        result.Out.ShouldContain("GOVDATA_PASSWORD");
    }

    [Fact]
    public async Task Missing_required_options_are_named_in_Chinese_with_exit_code_2()
    {
        var result = await _cli.RunAsync("user", "add", "--username", "zhang");

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("缺少必需的选项 --name");
        result.Err.ShouldContain("缺少必需的选项 --role");
        result.Err.ShouldContain("govdata user add --help");
        File.Exists(_cli.DatabaseFile).ShouldBeFalse("a command rejected while parsing must not touch the database");
    }

    [Fact]
    public async Task Unknown_command_and_bad_numbers_are_parse_errors()
    {
        var unknown = await _cli.RunAsync("frobnicate");
        unknown.ExitCode.ShouldBe(ExitCodes.Validation);
        unknown.Err.ShouldContain("无法识别的命令或参数“frobnicate”");

        var days = await _cli.RunAsync("apikey", "create", "-u", "admin", "-n", "x", "-s", "identity:read", "--days", "abc");
        days.ExitCode.ShouldBe(ExitCodes.Validation);
        days.Err.ShouldContain("--days 的值“abc”无效，应为整数");
    }

    [Fact]
    public async Task An_unrecognisable_connection_string_is_a_validation_error()
    {
        var result = await _cli.RunRawAsync(["status", "--connection", "Server=nowhere"]);

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("数据库连接字符串无效");
    }

    [Fact]
    public async Task Data_folder_option_puts_the_database_in_that_folder_relative_to_the_working_directory()
    {
        var migrate = await _cli.RunRawAsync(["migrate", "--data-folder", "mydata"]);

        migrate.ExitCode.ShouldBe(0, migrate.ToString());
        var file = Path.Combine(_cli.Directory, "mydata", "govdata.db");
        migrate.Out.ShouldContain($"SQLite（{file}）");
        File.Exists(file).ShouldBeTrue();
    }

    [Fact]
    public async Task Connection_comes_from_the_environment_like_the_web_host_and_the_option_wins()
    {
        var fromEnv = Path.Combine(_cli.Directory, "env.db");
        var variables = new Dictionary<string, string> { ["GOVDATA__CONNECTIONSTRING"] = $"Data Source={fromEnv}" };

        var viaEnv = await _cli.RunRawAsync(["migrate"], variables);
        viaEnv.ExitCode.ShouldBe(0, viaEnv.ToString());
        File.Exists(fromEnv).ShouldBeTrue();

        var viaOption = await _cli.RunRawAsync(["migrate", "--connection", "Data Source=option.db"], variables);
        viaOption.ExitCode.ShouldBe(0, viaOption.ToString());
        viaOption.Out.ShouldContain(Path.Combine(_cli.Directory, "option.db"));
        File.Exists(Path.Combine(_cli.Directory, "option.db")).ShouldBeTrue();
    }
}
