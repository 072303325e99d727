using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Data.Features.Loading;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.PageTests;

/// <summary>
/// The real host for the data pages (its own load pipeline and background worker), with fast worker polling and progress
/// and a small 字段概况 row limit.
/// </summary>
public abstract class DataPagesAppFactory : GovDataAppFactory
{
    private readonly bool _kestrel;
    private Task<string>? _shenzhen;

    protected DataPagesAppFactory(DatabaseProvider provider, bool kestrel) : base(provider, kestrel)
    {
        _kestrel = kestrel;
        WithSetting("GovData:Data:Workers:PollIntervalSeconds", "0.2");
        WithSetting("GovData:Data:Workers:ProgressIntervalMilliseconds", "100");
        // Small enough that the Shenzhen file (10,000 rows) is profiled partly: the cap is visible.
        WithSetting("GovData:Data:Pages:ProfileRowLimit", ProfileRowLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public const int ProfileRowLimit = 5000;

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Files named 慢速… are read slowly, so a test can watch and cancel a running load (see SlowReaderFactory).
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IngestionReaderFactory>();
            services.AddSingleton<ILoadReaderFactory>(sp => new SlowReaderFactory(sp.GetRequiredService<IngestionReaderFactory>()));
        });
    }

    /// <summary>深圳通刷卡数据 with the Shenzhen file's columns, except 设备编号 (device_no), which the file calls equ_no.</summary>
    public Task<string> ShenzhenAsync() => _shenzhen ??= PublishAsync("深圳通刷卡数据（页面测试）", ShenzhenItems);

    /// <summary>
    /// The items of the Shenzhen card file (深圳市政府数据开放平台). 卡号 is 敏感 with 保留首尾 masking; 设备编号's field code
    /// (device_no) differs from the file's header (equ_no), so its column is mapped by hand.
    /// </summary>
    public static readonly object[] ShenzhenItems =
    [
        new { name = "交易时间", fieldCode = "deal_date", dataType = "T,19", required = true, sensitivity = "公开" },
        new { name = "结算日期", fieldCode = "close_date", dataType = "T,19", sensitivity = "公开" },
        new { name = "卡号", fieldCode = "card_no", dataType = "C,20", required = true, sensitivity = "敏感", maskingRule = "保留首尾" },
        new { name = "交易金额", fieldCode = "deal_value", dataType = "N,12,2", sensitivity = "公开" },
        new { name = "交易类型", fieldCode = "deal_type", dataType = "C,20", sensitivity = "公开" },
        new { name = "公司名称", fieldCode = "company_name", dataType = "C,50", sensitivity = "公开" },
        new { name = "车号", fieldCode = "car_no", dataType = "C,20", sensitivity = "公开" },
        new { name = "站点", fieldCode = "station", dataType = "C,50", sensitivity = "公开" },
        new { name = "联程标记", fieldCode = "conn_mark", dataType = "C,2", sensitivity = "公开" },
        new { name = "实收金额", fieldCode = "deal_money", dataType = "N,12,2", sensitivity = "公开" },
        new { name = "设备编号", fieldCode = "device_no", dataType = "C,20", sensitivity = "公开" },
    ];

    /// <summary>Creates, submits and approves an entry of 市场监管 (scjg) under 102003 through the catalog API; returns its code.</summary>
    public async Task<string> PublishAsync(string name, object[] items, string updateCycle = "每日") =>
        await CatalogTestEntries.PublishAsync(await SignInAsync("scjg_cataloger"), await SignInAsync("reviewer"), name, items, updateCycle, "数据页面测试");

    private Task<HttpClient> SignInAsync(string user) => LoginAsync(user);

    public static Task<JsonNode> Ok(HttpResponseMessage response, HttpStatusCode expected) => CatalogTestEntries.ReadAsync(response, expected);

    /// <summary>Runs <paramref name="action"/> with the host's DataDb.</summary>
    internal Task<T> WithDataDbAsync<T>(Func<DataDb, Task<T>> action) => WithScopeAsync(sp => action(sp.GetRequiredService<DataDb>()));

    /// <summary>Loads of a resource code, newest first.</summary>
    internal Task<List<DataLoad>> LoadsOfAsync(string code) => WithDataDbAsync(db =>
        (from l in db.Loads join r in db.Resources on l.ResourceId equals r.Id where r.ResourceCode == code select l)
        .AsNoTracking().OrderByDescending(l => l.CreatedAt).ToListAsync());

    /// <summary>Files in the blob store's uploads folder (uploads waiting for or being loaded).</summary>
    public IReadOnlyList<string> UploadedFiles()
    {
        var folder = Path.Combine(DataFolder, "blobs", "uploads");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Waits until the load has finished (succeeded, rejected, failed or cancelled) and returns it.</summary>
    internal async Task<DataLoad> WaitForLoadAsync(Guid id, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var load = await WithDataDbAsync(db => db.Loads.AsNoTracking().FirstAsync(l => l.Id == id));
            if (load.IsFinished) return load;
            if (DateTime.UtcNow > until) throw new TimeoutException($"加载 {id} 在限定时间内没有结束（状态 {load.Status}）。\n{ServerLog}");
            await Task.Delay(100);
        }
    }
}

public sealed class DataPagesSqliteApp() : DataPagesAppFactory(DatabaseProvider.Sqlite, kestrel: false);

public sealed class DataPagesPostgresApp() : DataPagesAppFactory(DatabaseProvider.PostgreSql, kestrel: false);

public sealed class DataPagesKestrelSqliteApp() : DataPagesAppFactory(DatabaseProvider.Sqlite, kestrel: true);
