using System.CommandLine;

namespace GovData.Cli;

/// <summary>Writers, environment and global options shared by every command, and the common run/failure handling.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;
    public CliEnvironment Environment { get; } = environment;

    public Option<string?> ConnectionOption { get; } = new("--connection", "-c")
    {
        Description = "数据库连接字符串，优先于配置与环境变量。PostgreSQL：\"Host=...;Database=...;Username=...;Password=...\"；SQLite：\"Data Source=文件路径\"",
        HelpName = "连接字符串",
        Recursive = true,
    };

    public Option<string?> DataFolderOption { get; } = new("--data-folder")
    {
        Description = "数据目录（其中的 govdata.db 即 SQLite 数据库），相对路径按当前目录解析；默认取配置 GovData:DataFolder（data）",
        HelpName = "目录",
        Recursive = true,
    };

    public Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "输出详细日志（每个迁移、每个演示数据模块）",
        Recursive = true,
    };

    /// <summary>
    /// Runs a command body against the composed platform and turns failures into a Chinese message on standard error
    /// and the matching exit code.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<CliHost, CancellationToken, Task<int>> body)
    {
        try
        {
            var settings = new CliSettings(parse.GetValue(ConnectionOption), parse.GetValue(DataFolderOption), parse.GetValue(VerboseOption));
            await using var host = CliHost.Create(Environment, settings, Error);
            return await body(host, ct);
        }
        catch (CliException ex)
        {
            Error.WriteLine($"错误：{ex.Message}");
            foreach (var line in ex.Details) Error.WriteLine($"  {line}");
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Error.WriteLine("错误：操作已取消");
            return ExitCodes.Failure;
        }
        catch (System.Data.Common.DbException ex)
        {
            Error.WriteLine($"错误：数据库访问失败：{Describe(ex)}");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            Error.WriteLine($"错误：{Describe(ex)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The exception's message and those of its causes (driver messages are often the useful part).</summary>
    private static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
            if (!parts.Contains(e.Message)) parts.Add(e.Message);
        return string.Join(" —— ", parts);
    }

    /// <summary>Reads a password from the option, standard input (<c>--password-stdin</c>) or GOVDATA_PASSWORD.</summary>
    public string? ReadPassword(string? fromOption, bool fromStdin)
    {
        if (!string.IsNullOrEmpty(fromOption)) return fromOption;
        if (fromStdin) return Environment.StandardInput.ReadLine()?.TrimEnd('\r', '\n');
        return Environment.Get("GOVDATA_PASSWORD");
    }
}
