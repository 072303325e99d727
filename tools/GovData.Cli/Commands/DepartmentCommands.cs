using System.CommandLine;
using GovData.Identity.Features.Departments;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary><c>govdata dept import 文件</c>: all-or-nothing department import through the Identity module's DepartmentImport.</summary>
internal static class DepartmentCommands
{
    public static Command Create(CliContext cli)
    {
        var file = new Argument<string>("文件")
        {
            Description = "CSV（UTF-8 或 GB18030）或 XLSX 文件。列：" + string.Join("、", DepartmentImport.Columns) +
                "；必需列：部门名称、统一社会信用代码、部门类别、行政区划代码。按统一社会信用代码匹配已有部门（更新）或新建",
        };
        var import = new Command("import", "从 CSV/XLSX 批量导入部门：全部行通过校验才写入，任何一行有误则不写入并列出每个错误") { file };
        import.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            var path = cli.Environment.FullPath(parse.GetValue(file)!);
            if (!File.Exists(path)) throw CliException.NotFound($"文件“{path}”不存在");
            if (!TabularFile.IsSupported(path))
                throw CliException.Validation($"不支持的文件类型“{Path.GetExtension(path)}”，请使用 .csv 或 .xlsx 文件");
            await host.EnsureMigratedAsync(token);
            await using var scope = host.Services.CreateAsyncScope();
            DepartmentImportResult result;
            await using (var stream = File.OpenRead(path))
                result = await scope.ServiceProvider.GetRequiredService<DepartmentImport>().ImportAsync(stream, Path.GetFileName(path), CliHost.ActorName, token);
            if (!result.Succeeded)
                throw CliException.Validation($"导入失败，未写入任何部门（{result.Errors.Count} 个错误）：", result.Errors.Select(e => e.ToString()).ToList());
            cli.Out.WriteLine($"导入完成：新增 {result.Created} 个部门，更新 {result.Updated} 个部门。");
            return ExitCodes.Ok;
        }));
        return new Command("dept", "部门管理") { import };
    }
}
