using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Demo;

/// <summary>Configuration of the demo data (section <c>GovData:Data</c>).</summary>
internal sealed class DemoDataOptions
{
    /// <summary>Rows of 企业法人库 (default 100,000); 0 leaves it without data. Test hosts set a few thousand.</summary>
    public int DemoEnterpriseRows { get; set; } = 100_000;

    /// <summary>Typical rows of every other demo table (default 1,000; each table gets ½×, 1×, 1½× or 2× of it).</summary>
    public int DemoRowsPerResource { get; set; } = 1_000;
}

/// <summary>
/// 演示数据 of the Data module: real-looking data behind the published demo catalog resources (the catalog's demo seeder
/// runs first: order 20 &lt; 30).
/// <list type="bullet">
/// <item>企业法人库: <see cref="DemoDataOptions.DemoEnterpriseRows"/> companies with valid, unique 统一社会信用代码.</item>
/// <item>Every other published resource with information items: a generated table (<see cref="DemoRowGenerator"/>); some
/// deliberately loaded long ago relative to their 更新周期 (逾期) and some never loaded (未加载), the rest 按时.</item>
/// <item>经营异常名录: two versions (rollback demo). 失业登记信息: a CSV with a few bad values loaded through the real
/// pipeline (a load report with rejected rows and Chinese reasons).</item>
/// <item>公共交通刷卡数据（深圳通开放数据样例）: the real Shenzhen file embedded in this assembly, through the real pipeline.</item>
/// </list>
/// Generated tables bypass files (bulk writer, <see cref="DemoTableWriter"/>); values still pass the load's validation.
/// Deterministic: fixed seeds per resource; only load times follow the clock.
/// </summary>
internal sealed class DataDemoSeeder : IDemoSeeder
{
    public string Module => "data";

    public int Order => 30;

    public const string EnterpriseRegistry = "企业法人库";
    public const string RollbackResource = "经营异常名录";
    public const string RejectedRowsResource = "失业登记信息";
    public const string ShenzhenResource = "公共交通刷卡数据（深圳通开放数据样例）";
    public const string ShenzhenFile = "shenzhen-szt-card-10000.csv";

    private enum Plan { OnTime, Overdue, NotLoaded }

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<DataDb>();
        var log = services.GetRequiredService<ILogger<DataDemoSeeder>>();
        if (await db.Resources.AnyAsync(ct))
        {
            log.LogInformation("演示数据（数据清单）：已有数据资源，跳过");
            return;
        }
        var options = services.GetRequiredService<IOptions<DemoDataOptions>>().Value;
        var catalog = services.GetRequiredService<ICatalogResources>();
        var resources = services.GetRequiredService<DataResources>();
        var writer = services.GetRequiredService<DemoTableWriter>();
        var places = new ShandongPlaces(services.GetService<RegionDirectory>() ?? RegionDirectory.Default);
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var total = Stopwatch.StartNew();

        var published = (await catalog.ListPublishedAsync(null, ct)).Where(r => r.Items.Count > 0).ToList();
        if (published.Count == 0)
        {
            log.LogWarning("演示数据（数据清单）：目录中没有已发布的结构化资源，跳过");
            return;
        }
        long rowsWritten = 0;
        int tables = 0, overdue = 0, notLoaded = 0;

        // 企业法人库
        var enterprise = published.FirstOrDefault(r => r.Name == EnterpriseRegistry);
        if (enterprise is not null && options.DemoEnterpriseRows <= 0)
            log.LogInformation("演示数据：{Name} 未加载（DemoEnterpriseRows = 0）", EnterpriseRegistry);
        else if (enterprise is not null)
        {
            var result = await WriteAsync(enterprise, 1, options.DemoEnterpriseRows, LoadedAt(enterprise, now, now.AddHours(-2)), "企业法人库");
            log.LogInformation("演示数据：{Name} {Rows:N0} 行，用时 {Seconds:0.0} 秒", EnterpriseRegistry, result.Rows, result.Elapsed.TotalSeconds);
        }
        else log.LogWarning("演示数据：目录中没有已发布的“{Name}”", EnterpriseRegistry);

        // 经营异常名录: two versions, the newer one current (rollback demo).
        var perResource = Math.Max(1, options.DemoRowsPerResource);
        var rollback = published.FirstOrDefault(r => r.Name == RollbackResource) ?? published.FirstOrDefault(r => r != enterprise && r.Items.Any(i => i.IsKey));
        if (rollback is not null)
        {
            var first = await WriteAsync(rollback, 1, perResource, LoadedAt(rollback, now, now.AddDays(-35)), "第 1 版（上月快照）");
            var second = await WriteAsync(rollback, 1, perResource + Math.Max(1, perResource / 10), LoadedAt(rollback, now, now.AddHours(-5)), "第 2 版（本月快照，新增列入记录）");
            log.LogInformation("演示数据：{Name} 两个版本（{First:N0} 行、{Second:N0} 行），可演示版本回退", rollback.Name, first.Rows, second.Rows);
        }

        // A CSV with a few bad values through the real pipeline: a load report with rejected rows.
        var rejectedDemo = published.FirstOrDefault(r => r.Name == RejectedRowsResource);
        if (rejectedDemo is not null && rejectedDemo != rollback)
        {
            var outcome = await LoadWithErrorsAsync(services, rejectedDemo, places, Math.Max(200, perResource), ct);
            if (outcome.Status == LoadStatus.Succeeded)
                log.LogInformation("演示数据：{Name} 经导入流程加载 {Loaded:N0} 行，{Rejected} 行未通过校验（加载报告可查看原因）", rejectedDemo.Name, outcome.RowsLoaded, outcome.RowsRejected);
            else log.LogWarning("演示数据：{Name} 的演示加载未成功：{Message}", rejectedDemo.Name, outcome.Message);
        }

        // The real Shenzhen card file.
        var shenzhen = published.FirstOrDefault(r => r.Name == ShenzhenResource);
        if (shenzhen is not null)
        {
            await using var file = typeof(DataDemoSeeder).Assembly.GetManifestResourceStream("GovData.Data.Demo." + ShenzhenFile)
                ?? throw new InvalidOperationException($"程序集中缺少演示文件 {ShenzhenFile}");
            var clock = Stopwatch.StartNew();
            var outcome = await DemoPipelineLoad.RunAsync(services, shenzhen, file, ShenzhenFile, new LoadOptions(), ct);
            if (outcome.Status == LoadStatus.Succeeded)
                log.LogInformation("演示数据：{Name} 经导入流程加载真实文件 {Loaded:N0} 行，用时 {Seconds:0.0} 秒", shenzhen.Name, outcome.RowsLoaded, clock.Elapsed.TotalSeconds);
            else log.LogWarning("演示数据：{Name} 的加载未成功：{Message}", shenzhen.Name, outcome.Message);
        }

        // Every other published resource with items: a generated table, some overdue, some never loaded.
        var special = new HashSet<Guid>(new[] { enterprise, rollback, rejectedDemo, shenzhen }.Where(r => r is not null).Select(r => r!.EntryId));
        var regular = published.Where(r => !special.Contains(r.EntryId)).ToList();
        var sizes = new[] { 0.5, 1.0, 1.5, 2.0 };
        for (var i = 0; i < regular.Count; i++)
        {
            var r = regular[i];
            var plan = PlanOf(i, r.UpdateCycle);
            if (plan == Plan.NotLoaded) { notLoaded++; continue; }
            var random = new Bogus.Randomizer(DemoFaker.Seed("load|" + r.Name));
            var candidate = plan == Plan.Overdue ? now - OverdueAge(r.UpdateCycle, random) : now - FreshAge(r.UpdateCycle, random);
            var loadedAt = LoadedAt(r, now, candidate);
            if (UpdateTimelinessIsOverdue(r.UpdateCycle, loadedAt, now)) overdue++;
            var result = await WriteAsync(r, 1, Math.Max(1, (long)Math.Round(perResource * sizes[i % sizes.Length])), loadedAt, null);
            rowsWritten += result.Rows;
            tables++;
        }
        log.LogInformation(
            "演示数据（数据清单）完成：{Tables} 个生成的数据表共 {Rows:N0} 行（其中 {Overdue} 个逾期），{NotLoaded} 个资源未加载；总用时 {Seconds:0.0} 秒",
            tables, rowsWritten, overdue, notLoaded, total.Elapsed.TotalSeconds);
        return;

        async Task<DemoVersionResult> WriteAsync(CatalogResource r, int seedVersion, long rows, DateTime loadedAt, string? note)
        {
            var resource = await resources.UpsertAsync(r, ct);
            var faker = new DemoFaker(DemoFaker.Seed($"{r.Name}|{r.ProviderName}|{seedVersion}"), places);
            var columns = TableLayout.For(resource.Id, 1, r.Items).Columns;
            var generator = new DemoRowGenerator(r.Name, columns, faker);
            var description = $"演示数据生成器（固定随机种子，值均通过加载校验）{(note is null ? "" : "：" + note)}";
            return await writer.WriteAsync(resource, r, generator, rows, loadedAt, description, ct);
        }
    }

    /// <summary>Two of every nine resources overdue (when their cycle has a deadline), one never loaded.</summary>
    private static Plan PlanOf(int index, UpdateCycle? cycle) => (index % 9) switch
    {
        4 => Plan.NotLoaded,
        2 or 6 when UpdateTimeliness.DueAt(cycle, DateTime.UnixEpoch) is not null => Plan.Overdue,
        _ => Plan.OnTime,
    };

    private static bool UpdateTimelinessIsOverdue(UpdateCycle? cycle, DateTime loadedAt, DateTime now) =>
        UpdateTimeliness.Evaluate(cycle, loadedAt, now).Status == TimelinessStatus.Overdue;

    /// <summary>How long ago an on-time resource was loaded: well inside its cycle.</summary>
    private static TimeSpan FreshAge(UpdateCycle? cycle, Bogus.Randomizer random) => cycle switch
    {
        UpdateCycle.Realtime or UpdateCycle.Daily => TimeSpan.FromHours(random.Number(1, 10)),
        UpdateCycle.Weekly => TimeSpan.FromHours(random.Number(20, 72)),
        UpdateCycle.TenDays => TimeSpan.FromDays(random.Number(1, 4)),
        UpdateCycle.Monthly => TimeSpan.FromDays(random.Number(3, 14)),
        UpdateCycle.Quarterly => TimeSpan.FromDays(random.Number(10, 40)),
        UpdateCycle.HalfYearly => TimeSpan.FromDays(random.Number(20, 80)),
        UpdateCycle.Yearly => TimeSpan.FromDays(random.Number(30, 150)),
        _ => TimeSpan.FromDays(random.Number(10, 200)),
    };

    /// <summary>How long ago an overdue resource was last loaded: two to three cycles.</summary>
    private static TimeSpan OverdueAge(UpdateCycle? cycle, Bogus.Randomizer random) => cycle switch
    {
        UpdateCycle.Realtime or UpdateCycle.Daily => TimeSpan.FromDays(random.Number(3, 20)),
        UpdateCycle.Weekly => TimeSpan.FromDays(random.Number(15, 40)),
        UpdateCycle.TenDays => TimeSpan.FromDays(random.Number(25, 60)),
        UpdateCycle.Monthly => TimeSpan.FromDays(random.Number(40, 120)),
        UpdateCycle.Quarterly => TimeSpan.FromDays(random.Number(120, 300)),
        UpdateCycle.HalfYearly => TimeSpan.FromDays(random.Number(200, 500)),
        _ => TimeSpan.FromDays(random.Number(400, 700)),
    };

    /// <summary>Data can only exist after its entry was published: never earlier than an hour after publication, never in the future.</summary>
    private static DateTime LoadedAt(CatalogResource r, DateTime now, DateTime candidate)
    {
        var earliest = (r.PublishedAt ?? DateTime.MinValue).AddHours(1);
        var at = candidate < earliest ? earliest : candidate;
        return at > now ? now : at;
    }

    /// <summary>
    /// Generates a CSV of <paramref name="rows"/> valid rows, spoils six of them the way real files go wrong (a wrong
    /// 身份证号 check digit, a ten-digit mobile number, 2月30日, a month 13, an empty key, a repeated key) and loads it
    /// through the real pipeline: accepted (under the 5% threshold) with a report naming each rejected row.
    /// </summary>
    private static async Task<LoadOutcome> LoadWithErrorsAsync(IServiceProvider services, CatalogResource r, ShandongPlaces places, int rows, CancellationToken ct)
    {
        var columns = TableLayout.For(Guid.Empty, 1, r.Items).Columns;
        var generator = new DemoRowGenerator(r.Name, columns, new DemoFaker(DemoFaker.Seed(r.Name + "|rejected"), places));
        var data = new List<string?[]>();
        var values = new object?[columns.Count];
        while (data.Count < rows)
        {
            var texts = new string?[columns.Count];
            if (!generator.TryNext(texts, values)) break;
            data.Add(texts);
        }
        var converters = ColumnConverter.For(columns, ConversionOptions.Default);
        int Find(Func<DataColumn, ColumnConverter, bool> test) => columns.Select((c, i) => (c, i)).Where(x => test(x.c, converters[x.i])).Select(x => x.i).DefaultIfEmpty(-1).First();
        var id = Find((_, v) => v.Validator is IdNumberValidator);
        var phone = Find((_, v) => v.Validator is PhoneValidator);
        var date = Find((c, _) => c.Kind == ColumnKind.Date);
        var key = Find((c, _) => c.IsKey);
        var step = Math.Max(1, data.Count / 7);
        var spoil = new List<Action<int>>();
        if (id >= 0) spoil.Add(n => data[n][id] = WrongCheckDigit(data[n][id]!));
        if (phone >= 0) spoil.Add(n => data[n][phone] = "1" + data[n][phone]!.Where(char.IsAsciiDigit).Skip(1).Take(9).Aggregate("", (s, ch) => s + ch));
        if (date >= 0) spoil.Add(n => data[n][date] = "2024-02-30");
        if (date >= 0) spoil.Add(n => data[n][date] = "2024年13月1日");
        if (key >= 0) spoil.Add(n => data[n][key] = "");
        if (key >= 0) spoil.Add(n => data[n][key] = data[0][key]);
        for (var k = 0; k < spoil.Count; k++) spoil[k](Math.Min(data.Count - 1, 3 + step * (k + 1)));

        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(c => Csv(c.ItemName))).Append("\r\n");
        foreach (var row in data) csv.AppendJoin(',', row.Select(Csv)).Append("\r\n");
        await using var content = new MemoryStream(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray());
        var fileName = r.Name + "-" + DemoFaker.Anchor.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".csv";
        return await DemoPipelineLoad.RunAsync(services, r, content, fileName, new LoadOptions(), ct);
    }

    private static string WrongCheckDigit(string id)
    {
        var right = id[^1];
        var wrong = right == '9' || right == 'X' ? '0' : (char)(right + 1);
        return id[..^1] + wrong;
    }

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>Registration of the demo seeder.</summary>
internal static class DataDemoServices
{
    public static IServiceCollection AddDataDemo(this IServiceCollection services)
    {
        services.AddOptions<DemoDataOptions>().BindConfiguration("GovData:Data");
        services.AddScoped<DemoTableWriter>();
        services.AddSingleton<IDemoSeeder, DataDemoSeeder>();
        return services;
    }
}
