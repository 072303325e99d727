using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using GovData.Cli.Commands;

namespace GovData.Cli;

/// <summary>
/// The <c>govdata</c> command line. <see cref="RunAsync"/> is the whole program: the process entry point passes the
/// console, tests pass string writers and a temporary database.
/// </summary>
public static class CliApp
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment? environment = null, CancellationToken ct = default)
    {
        // Help titles and parse errors of System.CommandLine come from its zh-Hans resources. The culture change
        // stays inside this async call (the caller's execution context is restored on return).
        CultureInfo.CurrentUICulture = Chinese;
        var cli = new CliContext(stdout, stderr, environment ?? CliEnvironment.FromProcess());
        var root = BuildRootCommand(cli);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"参数错误：{ChineseText.ParseError(error.Message)}");
            var path = new List<string>();
            for (var result = parse.CommandResult; result.Command is not RootCommand && result.Parent is CommandResult parent; result = parent)
                path.Insert(0, result.Command.Name);
            stderr.WriteLine($"查看用法：govdata {string.Join("", path.Select(p => p + " "))}--help");
            return ExitCodes.Validation;
        }
        if (parse.Action is HelpAction)
        {
            // System.CommandLine's zh-Hans resources leave some help labels in English; finish the translation.
            var help = new StringWriter();
            var code = await parse.InvokeAsync(new InvocationConfiguration { Output = help, Error = stderr }, ct);
            stdout.Write(ChineseText.Help(help.ToString()));
            return code;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, ct);
    }

    /// <summary>The command tree (exposed for documentation and tests).</summary>
    internal static RootCommand BuildRootCommand(CliContext cli)
    {
        var root = new RootCommand("GovData 政务数据共享开放平台运维命令行：数据库迁移、演示数据、账号、部门导入、API 密钥、数据加载与交换审计日志校验。" +
            "数据库与 Web 服务相同（appsettings.json 的 GovData:ConnectionString / GovData:DataFolder，环境变量 GOVDATA__CONNECTIONSTRING，或 --connection / --data-folder）。");
        root.HelpName = "govdata";
        root.Add(cli.ConnectionOption);
        root.Add(cli.DataFolderOption);
        root.Add(cli.VerboseOption);
        foreach (var option in root.Options)
            if (option is HelpOption help) help.Description = "显示帮助和用法";
            else if (option is VersionOption version) version.Description = "显示版本号";
        root.Add(MigrateCommand.Create(cli));
        root.Add(SeedCommand.Create(cli));
        root.Add(UserCommands.Create(cli));
        root.Add(DepartmentCommands.Create(cli));
        root.Add(ApiKeyCommands.Create(cli));
        root.Add(StatusCommand.Create(cli));
        root.Add(ImportCommand.Create(cli));
        root.Add(AuditCommands.Create(cli));
        return root;
    }
}
