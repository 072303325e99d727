using Shouldly;

namespace GovData.Cli.Tests;

public sealed class UserAddTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private string _rst = "";

    public async ValueTask InitializeAsync()
    {
        var seed = await _cli.RunAsync("seed", "--demo");
        seed.ExitCode.ShouldBe(0, seed.ToString());
        _rst = _cli.Scalar<string>("SELECT credit_code FROM identity_departments WHERE name = '山东省人力资源和社会保障厅（演示）'");
    }

    public ValueTask DisposeAsync()
    {
        _cli.Dispose();
        return ValueTask.CompletedTask;
    }

    private long UserCount() => _cli.Scalar<long>("SELECT COUNT(*) FROM identity_users");

    [Fact]
    public async Task Creates_a_department_account_with_roles_and_a_security_log_entry()
    {
        var result = await _cli.RunAsync("user", "add", "--username", "zhangsan", "--name", "张三", "--dept", _rst,
            "--role", "dept_cataloger", "--role", "部门用数人员", "--password", "Abcdef1!");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("已创建账号 zhangsan（张三）");
        result.Out.ShouldContain("山东省人力资源和社会保障厅（演示）");
        var id = _cli.Scalar<string>("SELECT id FROM identity_users WHERE user_name = 'zhangsan'");
        _cli.Scalar<string>("SELECT d.name FROM identity_users u JOIN identity_departments d ON d.id = u.department_id WHERE u.id = @id", new { id })
            .ShouldBe("山东省人力资源和社会保障厅（演示）");
        _cli.Query<string>("SELECT role FROM identity_user_roles WHERE user_id = @id ORDER BY role", new { id })
            .ShouldBe(["dept_cataloger", "dept_data_user"]);
        _cli.Scalar<string>("SELECT password_hash FROM identity_users WHERE id = @id", new { id }).ShouldNotContain("Abcdef1!");
        _cli.Scalar<string>("SELECT actor_name FROM identity_security_events WHERE event_type = 'user.created' AND subject_user_id = @id", new { id })
            .ShouldStartWith("govdata命令行");
    }

    [Fact]
    public async Task Department_may_be_given_by_id_or_full_name()
    {
        var wjwId = _cli.Scalar<string>("SELECT id FROM identity_departments WHERE name = '山东省卫生健康委员会（演示）'");

        var byId = await _cli.RunAsync("user", "add", "-u", "wjw_user2", "-n", "王五", "-d", wjwId.ToLowerInvariant(), "-r", "dept_data_user", "-p", "Abcdef1!");
        byId.ExitCode.ShouldBe(0, byId.ToString());
        var byName = await _cli.RunAsync("user", "add", "-u", "wjw_user3", "-n", "赵六", "-d", "山东省卫生健康委员会（演示）", "-r", "dept_data_user", "-p", "Abcdef1!");
        byName.ExitCode.ShouldBe(0, byName.ToString());
        _cli.Scalar<long>("SELECT COUNT(*) FROM identity_users WHERE department_id = @wjwId", new { wjwId }).ShouldBe(3);
    }

    [Fact]
    public async Task Password_can_come_from_the_environment_or_standard_input()
    {
        var env = new Dictionary<string, string> { ["GOVDATA_PASSWORD"] = "Env@Pass2026" };
        var fromEnv = await _cli.RunRawAsync(["user", "add", "-u", "dev_env", "-n", "开发者甲", "-r", "developer", "--connection", _cli.ConnectionString], env);
        fromEnv.ExitCode.ShouldBe(0, fromEnv.ToString());

        var fromStdin = await _cli.RunRawAsync(["user", "add", "-u", "dev_stdin", "-n", "开发者乙", "-r", "developer", "--password-stdin",
            "--connection", _cli.ConnectionString], stdin: "Stdin@Pass2026\n");
        fromStdin.ExitCode.ShouldBe(0, fromStdin.ToString());

        var none = await _cli.RunAsync("user", "add", "-u", "dev_none", "-n", "开发者丙", "-r", "developer");
        none.ExitCode.ShouldBe(ExitCodes.Validation);
        none.Err.ShouldContain("未提供密码");
    }

    [Fact]
    public async Task Unknown_role_is_rejected_with_exit_code_2()
    {
        var before = UserCount();
        var result = await _cli.RunAsync("user", "add", "-u", "lisi", "-n", "李四", "-d", _rst, "-r", "data_wizard", "-p", "Abcdef1!");

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("角色（--role）：未知角色“data_wizard”");
        UserCount().ShouldBe(before);
    }

    [Theory]
    [InlineData("short1!", "密码至少需要8位")]
    [InlineData("alllowercase", "至少三类")]
    public async Task Weak_password_is_rejected_with_exit_code_2(string password, string message)
    {
        var before = UserCount();
        var result = await _cli.RunAsync("user", "add", "-u", "lisi", "-n", "李四", "-d", _rst, "-r", "dept_cataloger", "-p", password);

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("密码：");
        result.Err.ShouldContain(message);
        UserCount().ShouldBe(before);
    }

    [Fact]
    public async Task Unknown_department_is_not_found_with_exit_code_3()
    {
        var before = UserCount();
        var result = await _cli.RunAsync("user", "add", "-u", "lisi", "-n", "李四", "-d", "91370000MA3C00000X", "-r", "dept_cataloger", "-p", "Abcdef1!");

        result.ExitCode.ShouldBe(ExitCodes.NotFound);
        result.Err.ShouldContain("部门“91370000MA3C00000X”不存在");
        UserCount().ShouldBe(before);
    }

    [Fact]
    public async Task Separation_of_duties_and_duplicates_are_enforced_by_the_module_rules()
    {
        var dsj = _cli.Scalar<string>("SELECT credit_code FROM identity_departments WHERE name = '山东省大数据局（演示）'");
        var sod = await _cli.RunAsync("user", "add", "-u", "audadmin", "-n", "某人", "-d", dsj, "-r", "security_auditor,platform_admin", "-p", "Abcdef1!");
        sod.ExitCode.ShouldBe(ExitCodes.Validation);
        sod.Err.ShouldContain("三员分立");

        var duplicate = await _cli.RunAsync("user", "add", "-u", "ADMIN", "-n", "冒名", "-d", dsj, "-r", "dept_cataloger", "-p", "Abcdef1!");
        duplicate.ExitCode.ShouldBe(ExitCodes.Validation);
        duplicate.Err.ShouldContain("用户名“ADMIN”已被使用");

        var publicWithDept = await _cli.RunAsync("user", "add", "-u", "pub1", "-n", "公众", "-d", dsj, "-r", "public", "-p", "Abcdef1!");
        publicWithDept.ExitCode.ShouldBe(ExitCodes.Validation);
        publicWithDept.Err.ShouldContain("不隶属于政务部门");
    }
}
