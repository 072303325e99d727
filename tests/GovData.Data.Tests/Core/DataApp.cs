using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;

namespace GovData.Data.Tests.Core;

/// <summary>The real host for Data API tests: fast worker polling and a 3 MB upload limit (oversize tests).</summary>
public abstract class DataAppFactory : GovDataAppFactory
{
    public const long UploadLimit = 3_000_000;

    private Task<string>? _shenzhen;

    protected DataAppFactory(DatabaseProvider provider) : base(provider)
    {
        WithSetting("GovData:Data:Workers:PollIntervalSeconds", "0.2");
        WithSetting("GovData:Data:Workers:ProgressIntervalMilliseconds", "100");
        WithSetting("GovData:Data:MaxUploadBytes", UploadLimit.ToString());
    }

    /// <summary>
    /// A published catalog entry with the Shenzhen card columns (深圳通刷卡数据), created by 市场监管's cataloger and approved
    /// by the reviewer through the catalog API, once per host. Returns its code.
    /// </summary>
    public Task<string> ShenzhenAsync() => _shenzhen ??= PublishAsync("深圳通刷卡数据（测试）", ShenzhenItems);

    public static readonly object[] ShenzhenItems =
    [
        new { name = "交易时间", fieldCode = "deal_date", dataType = "T,19", required = true, sensitivity = "公开" },
        new { name = "结算日期", fieldCode = "close_date", dataType = "T,19", sensitivity = "公开" },
        new { name = "卡号", fieldCode = "card_no", dataType = "C,20", required = true, sensitivity = "内部" },
        new { name = "交易金额", fieldCode = "deal_value", dataType = "N,12,2", sensitivity = "公开" },
        new { name = "交易类型", fieldCode = "deal_type", dataType = "C,20", sensitivity = "公开" },
        new { name = "公司名称", fieldCode = "company_name", dataType = "C,50", sensitivity = "公开" },
        new { name = "车号", fieldCode = "car_no", dataType = "C,20", sensitivity = "公开" },
        new { name = "站点", fieldCode = "station", dataType = "C,50", sensitivity = "公开" },
        new { name = "联程标记", fieldCode = "conn_mark", dataType = "C,2", sensitivity = "公开" },
        new { name = "实收金额", fieldCode = "deal_money", dataType = "N,12,2", sensitivity = "公开" },
        new { name = "设备编码", fieldCode = "equ_no", dataType = "C,20", sensitivity = "公开" },
    ];

    /// <summary>Creates, submits and approves an entry of 市场监管 under 102003 with these items; returns its code.</summary>
    public async Task<string> PublishAsync(string name, object[] items, string updateCycle = "每日") =>
        await CatalogTestEntries.PublishAsync(await LoginAsync("scjg_cataloger"), await LoginAsync("reviewer"), name, items, updateCycle, "数据模块测试");

    public static Task<JsonNode> Ok(HttpResponseMessage response, HttpStatusCode expected) => CatalogTestEntries.ReadAsync(response, expected);
}

public sealed class DataSqliteApp() : DataAppFactory(DatabaseProvider.Sqlite);

public sealed class DataPostgresApp() : DataAppFactory(DatabaseProvider.PostgreSql);

/// <summary>The Data API host without a load worker: submitted loads stay queued (deterministic cancellation tests).</summary>
public sealed class DataSqliteQueueOnlyApp : DataAppFactory
{
    public DataSqliteQueueOnlyApp() : base(DatabaseProvider.Sqlite) => WithSetting("GovData:Data:Workers:Enabled", "false");
}

/// <summary>The Data API host without a load worker, on PostgreSQL.</summary>
public sealed class DataPostgresQueueOnlyApp : DataAppFactory
{
    public DataPostgresQueueOnlyApp() : base(DatabaseProvider.PostgreSql) => WithSetting("GovData:Data:Workers:Enabled", "false");
}
