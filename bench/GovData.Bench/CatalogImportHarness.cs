using System.Diagnostics;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Transfer;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Spreadsheets;
using GovData.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Bench;

/// <summary>
/// Imports an N-resource catalog XLSX (5 information items each) through the real all-or-nothing import on a fresh
/// SQLite database, and measures in the same run the limit: only reading both sheets of the same file.
/// One import takes seconds, so this is a harness with wall-clock and peak-memory figures rather than a micro-benchmark.
/// </summary>
internal static class CatalogImportHarness
{
    public static async Task<int> RunAsync(int count)
    {
        var dir = Directory.CreateTempSubdirectory("govdata-bench-import-").FullName;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = $"Data Source={Path.Combine(dir, "bench.db")}",
            ["GovData:DataFolder"] = dir,
        }).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddGovData(config, dir).BuildServiceProvider();
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        await services.GetRequiredService<DemoSeedRunner>().SeedAsync();

        var file = Path.Combine(dir, "catalog.xlsx");
        WriteWorkbook(file, count);
        Console.WriteLine($"文件：{count:N0} 个资源、{count * 5:N0} 个信息项，{new FileInfo(file).Length / 1024.0 / 1024.0:F1} MB");

        var sw = Stopwatch.StartNew();
        await using (var s = File.OpenRead(file)) TabularFile.Read(s, file, CatalogWorkbook.ResourceSheet);
        await using (var s = File.OpenRead(file)) TabularFile.Read(s, file, CatalogWorkbook.ItemSheet);
        var readOnly = sw.Elapsed;
        var peakAfterRead = Process.GetCurrentProcess().PeakWorkingSet64;

        await using var scope = services.CreateAsyncScope();
        var departments = scope.ServiceProvider.GetRequiredService<IDepartmentDirectory>();
        var scjg = (await departments.ListAsync()).Single(d => d.Name == "山东省市场监督管理局（演示）");
        var actor = new CatalogActor(null, "bench", scjg, IsCompiler: true, IsReviewer: false, IsPlatformAdmin: false);
        var import = scope.ServiceProvider.GetRequiredService<CatalogImport>();
        sw.Restart();
        ImportResult result;
        await using (var s = File.OpenRead(file)) result = await import.ImportAsync(actor, s, "catalog.xlsx");
        var full = sw.Elapsed;
        var peakAfterImport = Process.GetCurrentProcess().PeakWorkingSet64;
        if (!result.Succeeded)
        {
            Console.Error.WriteLine("导入失败：" + string.Join("\n", result.Errors.Take(10)));
            return 1;
        }
        Console.WriteLine($"limit（只读取两张表）：{readOnly.TotalSeconds:F2} s；进程峰值工作集 {peakAfterRead / 1048576.0:F0} MB");
        Console.WriteLine($"完整导入（校验+分配代码+写库，新增 {result.Created:N0}）：{full.TotalSeconds:F2} s；进程峰值工作集 {peakAfterImport / 1048576.0:F0} MB");
        Console.WriteLine($"比值 完整导入/只读取 = {full.TotalSeconds / readOnly.TotalSeconds:F1}；{count / full.TotalSeconds:F0} 资源/秒");
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static void WriteWorkbook(string path, int count)
    {
        static IEnumerable<IReadOnlyList<string>> Resources(int count)
        {
            var headers = CatalogWorkbook.ResourceColumns.Select(c => c.Header).ToArray();
            yield return headers;
            string[] cycles = ["每日", "每周", "每月", "每季度", "每年"];
            for (var i = 1; i <= count; i++)
            {
                var row = new string[headers.Length];
                void Set(string header, string value) => row[Array.IndexOf(headers, header)] = value;
                Set("信息资源分类", "102003");
                Set("信息资源名称", $"企业登记信息分册{i:D5}（基准）");
                Set("信息资源摘要", $"第{i}分册：全省企业登记的统一社会信用代码、名称、法定代表人、登记机关与状态，用于基准测试。");
                Set("信息资源格式分类", "数据库");
                Set("信息资源格式类型", "oracle");
                Set("共享类型", "无条件共享");
                Set("共享方式分类", "共享平台方式");
                Set("共享方式类型", "接口(服务)");
                Set("开放类型", "不予开放");
                Set("更新周期", cycles[i % cycles.Length]);
                Set("关键字", "企业；登记；基准");
                for (var c = 0; c < row.Length; c++) row[c] ??= "";
                yield return row;
            }
        }

        static IEnumerable<IReadOnlyList<string>> Items(int count)
        {
            var headers = CatalogWorkbook.ItemColumns.Select(c => c.Header).ToArray();
            yield return headers;
            (string Name, string Code, string Type)[] items =
                [("统一社会信用代码", "tyshxydm", "C,18"), ("企业名称", "qymc", "C,100"), ("登记机关", "djjg", "C,100"), ("成立日期", "clrq", "D,10"), ("注册资本", "zczb", "N,18,2")];
            for (var i = 1; i <= count; i++)
                for (var n = 0; n < items.Length; n++)
                {
                    var row = new string[headers.Length];
                    void Set(string header, string value) => row[Array.IndexOf(headers, header)] = value;
                    Set("信息资源名称", $"企业登记信息分册{i:D5}（基准）");
                    Set("序号", (n + 1).ToString());
                    Set("信息项名称", items[n].Name);
                    Set("字段代码", items[n].Code);
                    Set("数据类型", items[n].Type);
                    Set("是否必填", n == 0 ? "是" : "否");
                    Set("是否主键", n == 0 ? "是" : "否");
                    Set("敏感级别", "公开");
                    for (var c = 0; c < row.Length; c++) row[c] ??= "";
                    yield return row;
                }
        }

        using var stream = File.Create(path);
        TabularFile.WriteXlsx(stream, [(CatalogWorkbook.ResourceSheet, Resources(count)), (CatalogWorkbook.ItemSheet, Items(count))]);
    }
}
