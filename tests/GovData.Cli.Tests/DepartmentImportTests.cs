using GovData.SharedKernel.Codes;
using Shouldly;

namespace GovData.Cli.Tests;

public sealed class DepartmentImportTests : IAsyncLifetime
{
    private const string Header = "部门名称,简称,统一社会信用代码,部门类别,上级部门统一社会信用代码,行政区划代码,是否主管部门,领域,排序";
    private readonly CliRunner _cli = new();

    public async ValueTask InitializeAsync()
    {
        var migrate = await _cli.RunAsync("migrate");
        migrate.ExitCode.ShouldBe(0, migrate.ToString());
    }

    public ValueTask DisposeAsync()
    {
        _cli.Dispose();
        return ValueTask.CompletedTask;
    }

    private long DepartmentCount() => _cli.Scalar<long>("SELECT COUNT(*) FROM identity_departments");

    [Fact]
    public async Task Good_csv_creates_departments_with_parents_and_a_second_run_updates_them()
    {
        var bureau = CreditCode.Create('1', '1', "370100", "MB000001").Value;
        var centre = CreditCode.Create('1', '2', "370100", "MB000002").Value;
        var file = _cli.WriteFile("departments.csv", $"""
            {Header}
            济南市示例局（测试）,示例局,{bureau},政府,,370100,是,科技,10
            济南市示例中心（测试）,示例中心,{centre},事业单位,{bureau},370100,否,,20
            """);

        var result = await _cli.RunAsync("dept", "import", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("新增 2 个部门，更新 0 个部门");
        DepartmentCount().ShouldBe(2);
        _cli.Scalar<string>("""
            SELECT p.name FROM identity_departments c JOIN identity_departments p ON p.id = c.parent_id WHERE c.credit_code = @centre
            """, new { centre }).ShouldBe("济南市示例局（测试）");
        _cli.Scalar<long>("SELECT is_competent FROM identity_departments WHERE credit_code = @bureau", new { bureau }).ShouldBe(1);

        // Relative paths resolve against the working directory; re-importing matches by credit code.
        var again = await _cli.RunAsync("dept", "import", "departments.csv");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Out.ShouldContain("新增 0 个部门，更新 2 个部门");
        DepartmentCount().ShouldBe(2);
    }

    [Fact]
    public async Task Bad_csv_lists_every_error_by_row_and_column_and_stores_nothing()
    {
        var good = CreditCode.Create('1', '1', "370100", "MB000003").Value;
        var file = _cli.WriteFile("bad.csv", $"""
            {Header}
            济南市正确局（测试）,正确局,{good},政府,,370100,否,,1
            济南市某局（测试）,某局,11370100MB00000X1,政府,,370100,否,,x
            ,空名,{CreditCode.Create('1', '1', "370100", "MB000004").Value},外星,,999999,也许,,2
            """);

        var result = await _cli.RunAsync("dept", "import", file);

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("未写入任何部门");
        result.Err.ShouldContain("第3行“统一社会信用代码”：统一社会信用代码“11370100MB00000X1”应为18位");
        result.Err.ShouldContain("第3行“排序”：应为整数，实际为“x”");
        result.Err.ShouldContain("第4行“部门名称”：部门名称不能为空");
        result.Err.ShouldContain("第4行“部门类别”：");
        result.Err.ShouldContain("第4行“行政区划代码”：");
        result.Err.ShouldContain("第4行“是否主管部门”：应填“是”或“否”，实际为“也许”");
        DepartmentCount().ShouldBe(0);
    }

    [Fact]
    public async Task Missing_required_column_is_reported_and_nothing_stored()
    {
        var file = _cli.WriteFile("nocode.csv", "部门名称,部门类别,行政区划代码\n济南市某局（测试）,政府,370100\n");

        var result = await _cli.RunAsync("dept", "import", file);

        result.ExitCode.ShouldBe(ExitCodes.Validation);
        result.Err.ShouldContain("第1行“统一社会信用代码”：缺少必需的列“统一社会信用代码”");
        DepartmentCount().ShouldBe(0);
    }

    [Fact]
    public async Task Missing_file_is_not_found_and_wrong_type_is_invalid()
    {
        var missing = await _cli.RunAsync("dept", "import", "nope.csv");
        missing.ExitCode.ShouldBe(ExitCodes.NotFound);
        missing.Err.ShouldContain("不存在");

        var text = _cli.WriteFile("list.txt", "x");
        var wrongType = await _cli.RunAsync("dept", "import", text);
        wrongType.ExitCode.ShouldBe(ExitCodes.Validation);
        wrongType.Err.ShouldContain("不支持的文件类型“.txt”");
    }
}
