using System.Data.Common;
using System.Globalization;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Tests.Core;

public sealed class SqliteShenzhenTests() : ShenzhenTests(DatabaseProvider.Sqlite);

public sealed class PostgresShenzhenTests() : ShenzhenTests(DatabaseProvider.PostgreSql);

/// <summary>The real Shenzhen card file (10,000 rows) in UTF-8 and in GB18030 loads to identical tables.</summary>
public abstract class ShenzhenTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static CatalogItem Item(int n, string name, string code, ItemDataType type, int? length = null, int? precision = null, bool required = false) =>
        new(n, name, code, type, length, precision, required, false, null, ItemSensitivity.Public, MaskingRule.None, null);

    public static readonly CatalogItem[] Items =
    [
        Item(1, "交易时间", "deal_date", ItemDataType.T, 19, required: true),
        Item(2, "结算日期", "close_date", ItemDataType.T, 19),
        Item(3, "卡号", "card_no", ItemDataType.C, 20, required: true),
        Item(4, "交易金额", "deal_value", ItemDataType.N, 12, 2),
        Item(5, "交易类型", "deal_type", ItemDataType.C, 20),
        Item(6, "公司名称", "company_name", ItemDataType.C, 50),
        Item(7, "车号", "car_no", ItemDataType.C, 20),
        Item(8, "站点", "station", ItemDataType.C, 50),
        Item(9, "联程标记", "conn_mark", ItemDataType.C, 2),
        Item(10, "实收金额", "deal_money", ItemDataType.N, 12, 2),
        Item(11, "设备编码", "equ_no", ItemDataType.C, 20),
    ];

    private CoreHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await CoreHost.CreateAsync(provider);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public async Task Utf8_and_gb18030_files_load_to_identical_tables()
    {
        _host.Publish("3010010201/50", "深圳通刷卡数据（UTF-8）", Items, UpdateCycle.Daily);
        _host.Publish("3010010201/51", "深圳通刷卡数据（GB18030）", Items, UpdateCycle.Daily);
        var utf8 = await _host.LoadAsync("3010010201/50", Fixture("shenzhen-szt-card-10000.csv"));
        var gb = await _host.LoadAsync("3010010201/51", Fixture("shenzhen-szt-card-10000.gb18030.csv"));
        foreach (var outcome in new[] { utf8, gb })
        {
            outcome.Status.ShouldBe(LoadStatus.Succeeded, outcome.Message);
            (outcome.RowsRead, outcome.RowsLoaded, outcome.RowsRejected).ShouldBe((10_000L, 10_000L, 0L));
        }
        (await _host.LoadRowAsync(gb.LoadId)).Detected.ShouldNotBeNull().ShouldContain("GB18030");

        var a = await RowsAsync("3010010201/50");
        var b = await RowsAsync("3010010201/51");
        a.Count.ShouldBe(10_000);
        b.ShouldBe(a);
        a[0].ShouldBe("1|2018-08-31 22:14:50|2018-09-01 00:00:00|CBEHFCFCG|0|地铁入站|地铁五号线|IGT-105|布吉|0|0|263032105");
        a.Count(r => r.Split('|')[8] == "∅").ShouldBe(369);                  // 站点 '-' → null
        a.ShouldContain(r => r.Contains("福永"));                             // Chinese text intact in both encodings
    }

    /// <summary>Every row of the current version as text, in row order (typed values normalised across engines).</summary>
    private async Task<List<string>> RowsAsync(string code)
    {
        var table = (await _host.ResolveAsync(code))!.Layout;
        await using DbConnection connection = await _host.Db.OpenConnectionAsync();
        var columns = string.Join(", ", table.Columns.Select(c => c.ColumnName));
        var rows = await connection.QueryAsync($"SELECT _row, {columns} FROM {table.TableName} ORDER BY _row");
        return rows.Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(Text))).ToList();
    }

    private static string Text(object? v) => v switch
    {
        null => "∅",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        string s when DateTime.TryParseExact(s, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) =>
            t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
