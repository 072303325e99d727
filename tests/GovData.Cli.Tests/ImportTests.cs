using System.Globalization;
using System.Text;
using GovData.SharedKernel.Codes;
using Shouldly;

namespace GovData.Cli.Tests;

/// <summary><c>govdata import</c> against a seeded SQLite database: the demo catalog's published 企业法人库.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private string _code = "";

    public async ValueTask InitializeAsync()
    {
        var seed = await _cli.RunAsync("seed", "--demo");
        seed.ExitCode.ShouldBe(0, seed.ToString());
        _code = _cli.Query<string>("""
            SELECT e.code FROM catalog_entries e JOIN catalog_revisions r ON r.id = e.published_revision_id
            WHERE r.name = '企业法人库' AND e.offline_at IS NULL ORDER BY e.code
            """).FirstOrDefault() ?? throw new InvalidOperationException("演示目录中没有已发布的“企业法人库”");
    }

    public ValueTask DisposeAsync()
    {
        _cli.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The data of 企业法人库 only (the demo seeds data of other resources; 企业法人库 is left unloaded in CLI tests).</summary>
    private const string OfRegistry = "resource_id = (SELECT id FROM data_resources WHERE resource_code = @code)";

    private static string Credit(int i) => CreditCode.Create('9', '1', "370100", i.ToString("D8", CultureInfo.InvariantCulture)).ToString();

    /// <summary>企业法人库 rows (the demo items: credit_code*, legal_name, approval_authority, approval_date, legal_representative, legal_type, legal_domicile, legal_status).</summary>
    private static string Csv(int from, int to, Func<int, bool>? broken = null)
    {
        var sb = new StringBuilder("统一社会信用代码,法人名称,批准或核准机关,批准时间,法定代表人,法人类型,法人处所,法人状态\n");
        for (var i = from; i <= to; i++)
        {
            var credit = broken?.Invoke(i) == true ? Credit(i)[..17] + "0" : Credit(i);
            sb.Append($"{credit},济南测试企业{i}有限公司,济南市市场监督管理局,2019/3/{1 + i % 28},张{i},1100,济南市历下区,存续\n");
        }
        return sb.ToString();
    }

    [Fact]
    public async Task Imports_a_file_with_progress_and_report_then_rejects_a_bad_one_without_changing_the_data()
    {
        var file = _cli.WriteFile("企业.csv", Csv(1, 300));
        var ok = await _cli.RunAsync("import", _code, file);

        ok.ExitCode.ShouldBe(ExitCodes.Ok, ok.ToString());
        ok.Out.ShouldContain("加载结果：已完成");
        ok.Out.ShouldContain("读取 300 行，加载 300 行，未通过 0 行");
        ok.Out.ShouldContain("版本：第 1 版");
        ok.Out.ShouldContain("UTF-8");
        ok.Err.ShouldContain("行/秒");
        ok.Err.ShouldContain("100.0%");
        _cli.Scalar<long>($"SELECT row_count FROM data_versions WHERE number = 1 AND {OfRegistry}", new { code = _code }).ShouldBe(300);
        var table = _cli.Scalar<string>($"SELECT table_name FROM data_versions WHERE number = 1 AND {OfRegistry}", new { code = _code });
        _cli.Scalar<long>($"SELECT count(*) FROM {table}").ShouldBe(300);
        _cli.Scalar<string>($"SELECT source FROM data_loads WHERE {OfRegistry}", new { code = _code }).ShouldBe("cli");

        // 8 of 20 rows with a wrong check character: over the 5% threshold → rejected, exit 2, version 1 stays current.
        var bad = _cli.WriteFile("错误.csv", Csv(1, 20, i => i % 5 < 2));
        var rejected = await _cli.RunAsync("import", Uri.EscapeDataString(_code), bad, "--errors", "3");
        rejected.ExitCode.ShouldBe(ExitCodes.Validation, rejected.ToString());
        rejected.Out.ShouldContain("加载结果：已拒绝");
        rejected.Out.ShouldContain("超过错误阈值");
        rejected.Out.ShouldContain("统一社会信用代码校验");
        rejected.Out.ShouldContain("前 3 条错误");
        rejected.Out.ShouldContain("第 2 行");
        var rejectedFile = rejected.Out.Split('\n').Single(l => l.Contains("未通过的行")).Split('：', 2)[1].Trim();
        File.Exists(rejectedFile).ShouldBeTrue();
        File.ReadAllText(rejectedFile, Encoding.UTF8).ShouldContain("行号,错误原因");
        var current = _cli.Scalar<string>("SELECT current_version_id FROM data_resources WHERE resource_code = @code", new { code = _code });
        _cli.Scalar<long>("SELECT number FROM data_versions WHERE id = @current", new { current }).ShouldBe(1);
        _cli.Scalar<long>($"SELECT count(*) FROM data_versions WHERE number = 2 AND status = 3 AND {OfRegistry}", new { code = _code }).ShouldBe(1);    // failed, table gone

        // GB18030, appended, with the threshold raised: accepted with its bad rows reported.
        var gbk = Path.Combine(_cli.Directory, "增量.csv");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        File.WriteAllText(gbk, Csv(301, 320, i => i == 305), Encoding.GetEncoding("gb18030"));
        var append = await _cli.RunAsync("import", _code, gbk, "--mode", "append", "--threshold", "10%", "--encoding", "gbk");
        append.ExitCode.ShouldBe(ExitCodes.Ok, append.ToString());
        append.Out.ShouldContain("读取 20 行，加载 19 行，未通过 1 行");
        _cli.Scalar<long>($"SELECT count(*) FROM {table}").ShouldBe(319);
    }

    [Fact]
    public async Task Bad_arguments_unknown_resources_and_missing_files_are_refused_in_chinese()
    {
        var file = _cli.WriteFile("a.csv", Csv(1, 2));
        var mode = await _cli.RunAsync("import", _code, file, "--mode", "merge");
        mode.ExitCode.ShouldBe(ExitCodes.Validation);
        mode.Err.ShouldContain("加载方式（--mode）：加载方式“merge”无效");

        var threshold = await _cli.RunAsync("import", _code, file, "--threshold", "很多");
        threshold.ExitCode.ShouldBe(ExitCodes.Validation);
        threshold.Err.ShouldContain("错误阈值（--threshold）");

        var unknown = await _cli.RunAsync("import", "102003/99999", file);
        unknown.ExitCode.ShouldBe(ExitCodes.NotFound);
        unknown.Err.ShouldContain("信息资源“102003/99999”不存在或尚未发布");

        var badCode = await _cli.RunAsync("import", "12345", file);
        badCode.ExitCode.ShouldBe(ExitCodes.Validation);
        badCode.Err.ShouldContain("资源代码无效");

        var missing = await _cli.RunAsync("import", _code, "nowhere.csv");
        missing.ExitCode.ShouldBe(ExitCodes.NotFound);
        missing.Err.ShouldContain("nowhere.csv");

        var append = await _cli.RunAsync("import", _code, file, "--mode", "append");
        append.ExitCode.ShouldBe(ExitCodes.Validation);
        append.Err.ShouldContain("请先进行一次全量加载");
        _cli.Scalar<long>($"SELECT count(*) FROM data_loads WHERE {OfRegistry}", new { code = _code }).ShouldBe(0);

        var help = await _cli.RunAsync("import", "--help");
        help.ExitCode.ShouldBe(0);
        help.Out.ShouldContain("--threshold");
        help.Out.ShouldContain("加载被拒绝时退出码为 2");
    }
}
