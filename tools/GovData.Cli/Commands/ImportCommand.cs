using System.CommandLine;
using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary>
/// <c>govdata import</c>: loads a local file into a resource in this process (no upload, no worker) with the same
/// pipeline as the web host — validation, error threshold, versions, atomic switch — showing a progress bar and the
/// report. The load holds a lease like a worker's; if this process is killed, a web worker cleans it up.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext cli)
    {
        var code = new Argument<string>("资源代码") { Description = "信息资源代码，如 102003/1（“/”也可写作 %2F）" };
        var file = new Argument<string>("文件") { Description = "CSV、XLSX、JSON（数组）或 NDJSON 文件，相对路径按当前目录解析" };
        var mode = new Option<string>("--mode", "-m")
        {
            Description = "加载方式：full（全量，生成新版本并原子切换，默认）、append（追加到当前版本）、upsert（按主键更新当前版本）",
            HelpName = "方式",
            DefaultValueFactory = _ => "full",
        };
        var encoding = new Option<string?>("--encoding", "-e") { Description = "文件编码：utf-8 或 gb18030（兼容 GBK）；不填则对整个文件自动检测", HelpName = "编码" };
        var delimiter = new Option<string?>("--delimiter", "-d") { Description = "CSV 分隔符，如 , ; | 或 \\t；不填则自动检测", HelpName = "分隔符" };
        var threshold = new Option<string?>("--threshold", "-t")
        {
            Description = "错误阈值：百分比（如 5%，按读取行数）或行数（如 100），0 表示不允许任何错误行；默认 5%",
            HelpName = "阈值",
        };
        var nulls = new Option<string?>("--null") { Description = "视为空值的文本，逗号分隔，如 -,NULL,无", HelpName = "标记" };
        var sheet = new Option<string?>("--sheet") { Description = "XLSX 工作表名称；默认第一个工作表", HelpName = "工作表" };
        var format = new Option<string?>("--format") { Description = "文件格式：csv、xlsx、json、ndjson；默认按文件名与内容判断", HelpName = "格式" };
        var mapping = new Option<string?>("--mapping")
        {
            Description = "列映射 JSON：{\"文件列名\":\"信息项字段名或名称\"}，值为空字符串表示忽略该列；未给出的列按名称或字段代码自动对应",
            HelpName = "JSON",
        };
        var errors = new Option<int>("--errors") { Description = "报告中列出的错误条数（默认 20，最多 1000）", HelpName = "条数", DefaultValueFactory = _ => 20 };

        var command = new Command("import", "把本地文件加载到资源的数据中（与 Web 服务同一套校验、版本与原子切换），显示进度与加载报告；加载被拒绝时退出码为 2")
        {
            code, file, mode, encoding, delimiter, threshold, nulls, sheet, format, mapping, errors,
        };
        command.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            var codeText = parse.GetValue(code)!;
            var text = Uri.UnescapeDataString(codeText.Trim());
            if (!ResourceCode.TryParse(text, out var resourceCode, out var codeError)) throw CliException.Validation($"资源代码无效：{codeError}");
            var path = cli.Environment.FullPath(parse.GetValue(file)!);
            if (!File.Exists(path)) throw CliException.NotFound($"文件“{path}”不存在");
            var (options, optionErrors) = LoadOptions.Parse(parse.GetValue(mode), parse.GetValue(mapping), parse.GetValue(nulls), parse.GetValue(threshold),
                parse.GetValue(encoding), parse.GetValue(delimiter), parse.GetValue(sheet), parse.GetValue(format));
            if (optionErrors is not null)
                throw CliException.Validation("参数有误：", optionErrors.SelectMany(e => e.Value.Select(m => $"{OptionName(e.Key)}：{m}")).ToList());
            await host.EnsureMigratedAsync(token);

            await using var scope = host.Services.CreateAsyncScope();
            var loads = scope.ServiceProvider.GetRequiredService<LoadService>();
            var prepared = await loads.PrepareAsync(resourceCode, CliHost.SystemPrincipal, options!.Mode, token);
            if (prepared.NotFound is { } missing) throw CliException.NotFound(missing);
            if (!prepared.Ok)
                throw CliException.Validation(prepared.Conflict ?? prepared.Forbidden ?? "参数有误：",
                    prepared.Errors?.SelectMany(e => e.Value.Select(m => $"{OptionName(e.Key)}：{m}")).ToList());
            var resource = prepared.Value!.Resource;
            var owner = $"govdata-cli/{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
            var load = await loads.StartLocalAsync(prepared.Value, path, options, CliHost.SystemPrincipal, owner, token);
            cli.Out.WriteLine($"加载 {resource.ResourceName}（{resource.ResourceCode}），{LoadOptions.ModeLabel(options.Mode)}，文件 {path}");
            cli.Out.WriteLine($"加载任务 {load.Id}");

            var bar = new ProgressBar(cli.Error);
            var outcome = await scope.ServiceProvider.GetRequiredService<DataLoader>().RunAsync(load.Id, owner, new LoadRunOptions(bar), token);
            bar.Finish();

            var report = (await loads.GetAsync(load.Id, CliHost.SystemPrincipal, Math.Clamp(parse.GetValue(errors), 0, 1000), CancellationToken.None)).Value!;
            WriteReport(cli.Out, report, host.Services.GetRequiredService<BlobStore>(), scope.ServiceProvider);
            return outcome.Status switch
            {
                LoadStatus.Succeeded => ExitCodes.Ok,
                LoadStatus.Rejected => ExitCodes.Validation,
                _ => ExitCodes.Failure,
            };
        }));
        return command;
    }

    private static void WriteReport(TextWriter output, LoadDto report, BlobStore blobs, IServiceProvider services)
    {
        output.WriteLine($"加载结果：{report.StatusLabel}");
        if (report.Message is { } message) output.WriteLine($"  {message}");
        var seconds = report.StartedAt is { } s && report.FinishedAt is { } f ? (f - s).TotalSeconds : 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  读取 {report.RowsRead:N0} 行，加载 {report.RowsLoaded:N0} 行，未通过 {report.RowsRejected:N0} 行，用时 {seconds:0.0} 秒{(seconds > 0 ? $"（{report.RowsRead / seconds:N0} 行/秒）" : "")}"));
        if (report.Detected is { } detected) output.WriteLine($"  文件：{detected}");
        if (report.VersionNumber is { } version) output.WriteLine($"  版本：第 {version} 版");
        if (report.Rules.Count > 0)
        {
            output.WriteLine("  各规则错误数：");
            var width = report.Rules.Max(r => r.Label.Length);
            foreach (var rule in report.Rules) output.WriteLine($"    {rule.Label.PadRight(width, '　')}  {rule.Count:N0}（{rule.Rule}）");
        }
        if (report.Errors is { Count: > 0 } errors)
        {
            output.WriteLine($"  前 {errors.Count} 条错误：");
            foreach (var e in errors)
                output.WriteLine($"    第 {e.Row} 行{(e.Value is null ? "" : $"，值“{e.Value}”")}：{e.Message}");
        }
        if (report.RejectedRowsUrl is not null)
        {
            var path = services.GetRequiredService<DataDb>().Loads.Where(l => l.Id == report.Id).Select(l => l.RejectedPath).First();
            if (path is not null) output.WriteLine($"  未通过的行（含行号与错误原因）：{blobs.Absolute(path)}");
        }
    }

    private static string OptionName(string field) => field switch
    {
        "mode" => "加载方式（--mode）",
        "threshold" => "错误阈值（--threshold）",
        "encoding" => "编码（--encoding）",
        "delimiter" => "分隔符（--delimiter）",
        "format" => "格式（--format）",
        "mapping" => "列映射（--mapping）",
        "nullMarkers" => "空值标记（--null）",
        _ => field,
    };

    /// <summary>
    /// The progress bar on standard error, redrawn in place (carriage return) at each progress flush (about once a
    /// second): share of the file read, rows read of the estimated total, rate, rows rejected so far.
    /// </summary>
    private sealed class ProgressBar(TextWriter writer) : IProgress<LoadProgress>
    {
        private const int Width = 30;
        private int _lastLength;
        private bool _drawn;

        public void Report(LoadProgress p)
        {
            var fraction = p.BytesTotal > 0 ? Math.Clamp((double)p.BytesRead / p.BytesTotal, 0, 1) : 0;
            var filled = (int)Math.Round(fraction * Width);
            var total = p.BytesRead > 0 && p.BytesTotal > 0 ? (long)Math.Round(p.RowsRead * (double)p.BytesTotal / p.BytesRead) : 0;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:0.0}%  {p.RowsRead:N0}{(total > 0 ? $" / 约 {total:N0}" : "")} 行  {p.RowsPerSecond:N0} 行/秒  未通过 {p.RowsRejected:N0} 行");
            lock (writer)
            {
                writer.Write('\r' + line + (line.Length < _lastLength ? new string(' ', _lastLength - line.Length) : ""));
                writer.Flush();
                _lastLength = line.Length;
                _drawn = true;
            }
        }

        public void Finish()
        {
            lock (writer) if (_drawn) writer.WriteLine();
        }
    }
}
