using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Query;
using GovData.Data.Persistence;
using GovData.SharedKernel.Codes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Core;

/// <summary>Test data: an 企业 resource with a key, CSV files of it, and reads through the resolver.</summary>
internal static class CoreData
{
    public static readonly CatalogItem[] CompanyItems =
    [
        new(1, "统一社会信用代码", "credit_code", ItemDataType.C, 18, null, true, true, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "企业名称", "name", ItemDataType.C, 50, null, true, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(3, "注册资本", "capital", ItemDataType.N, 18, 2, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "成立日期", "founded", ItemDataType.D, 10, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ];

    /// <summary>A valid 统一社会信用代码 for number <paramref name="i"/>.</summary>
    public static string Credit(int i) => CreditCode.Create('9', '1', "370100", i.ToString("D8", CultureInfo.InvariantCulture)).ToString();

    public const string Header = "credit_code,name,capital,founded,staff,active";

    /// <summary>CSV line of company <paramref name="i"/>; staff = i * <paramref name="staffFactor"/>.</summary>
    public static string Row(int i, int staffFactor = 1) =>
        $"{Credit(i)},企业{i},{(i * 1000m).ToString("0.00", CultureInfo.InvariantCulture)},2018-08-{1 + i % 28:00},{i * staffFactor},{(i % 2 == 0 ? "是" : "否")}";

    /// <summary>A CSV of companies <paramref name="from"/>..<paramref name="to"/>.</summary>
    public static string Csv(int from, int to, int staffFactor = 1)
    {
        var sb = new StringBuilder(Header).Append('\n');
        for (var i = from; i <= to; i++) sb.Append(Row(i, staffFactor)).Append('\n');
        return sb.ToString();
    }

    public static CatalogResource PublishCompanies(this CoreHost host, string code = "3010010201/1", UpdateCycle cycle = UpdateCycle.Monthly) =>
        host.Publish(code, "企业登记信息", CompanyItems, cycle);

    /// <summary>The current (or a given) version's table through the resolver.</summary>
    public static Task<ResolvedTable?> ResolveAsync(this CoreHost host, string code, int? version = null) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<IDataTableResolver>().ResolveAsync(ResourceCode.Parse(code), version, default));

    /// <summary>count(*) and sum(staff) of the current version, read through the resolver on its own connection.</summary>
    public static async Task<(long Count, long Sum)> CountAndSumAsync(this CoreHost host, string code)
    {
        var table = await host.ResolveAsync(code) ?? throw new InvalidOperationException("没有当前版本");
        var staff = table.Layout.Find("staff")!.ColumnName;
        await using var connection = await host.Db.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(long, long)>($"SELECT count(*), coalesce(sum({staff}), 0) FROM {table.Layout.TableName}");
        return row;
    }

    public static async Task<bool> TableExistsAsync(this CoreHost host, string table)
    {
        await using var connection = await host.Db.OpenConnectionAsync();
        var sql = host.Db.IsPostgres
            ? "SELECT count(*) FROM information_schema.tables WHERE table_name = @table"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table";
        return await connection.ExecuteScalarAsync<long>(sql, new { table }) > 0;
    }

    public static Task<List<DataVersion>> VersionsAsync(this CoreHost host) =>
        host.WithDbAsync(db => db.Versions.AsNoTracking().OrderBy(v => v.Number).ToListAsync());

    public static Task<DataLoad> LoadRowAsync(this CoreHost host, Guid id) =>
        host.WithDbAsync(db => db.Loads.AsNoTracking().FirstAsync(l => l.Id == id));

    public static Task<List<DataLoadError>> ErrorsAsync(this CoreHost host, Guid id) =>
        host.WithDbAsync(db => db.LoadErrors.AsNoTracking().Where(e => e.LoadId == id).OrderBy(e => e.Seq).ToListAsync());

    public static async Task ExecuteAsync(this CoreHost host, string sql, object? args = null)
    {
        await using DbConnection connection = await host.Db.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }

    public static async Task<T> ScalarAsync<T>(this CoreHost host, string sql, object? args = null)
    {
        await using DbConnection connection = await host.Db.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }
}
