using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using Shouldly;

namespace GovData.Data.Tests;

public sealed class TableLayoutTests
{
    private static readonly CatalogItem[] Items =
    [
        new(1, "统一社会信用代码", "credit_code", ItemDataType.C, 18, null, true, true, "GB 32100", ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "注册资本", "capital", ItemDataType.Y, 18, 2, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(3, "成立日期", null, ItemDataType.D, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "核准时间", "approved_at", ItemDataType.T, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(7, "经营范围", "scope", ItemDataType.M, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(8, "纬度", "lat", ItemDataType.B, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(9, "法定代表人", "legal_person; DROP TABLE x", ItemDataType.C, 50, null, false, false, null, ItemSensitivity.Sensitive, MaskingRule.Name, null),
    ];

    [Fact]
    public void Names_are_generated_never_taken_from_items()
    {
        var id = Guid.Parse("0195f2c4-1a2b-7c3d-8e9f-001122334455");
        var layout = TableLayout.For(id, 3, Items);
        layout.TableName.ShouldBe("data_rows_001122334455_v3");   // the random tail of the v7 id, not its timestamp
        TableLayout.TableNameOf(Guid.Parse("0195f2c4-1a2b-7c3d-8e9f-aabbccddeeff"), 3).ShouldNotBe(layout.TableName);   // same millisecond
        layout.Columns.Select(c => c.ColumnName).ShouldBe(["c001", "c002", "c003", "c004", "c005", "c006", "c007", "c008", "c009"]);
        layout.CreateTableSql(DatabaseProvider.PostgreSql).ShouldNotContain("DROP");
        layout.Find("成立日期")!.ColumnName.ShouldBe("c003");       // no field code: the item name is the API name
        layout.Find("CREDIT_CODE")!.ColumnName.ShouldBe("c001");
        layout.Find("c001").ShouldBeNull();                          // physical names are not API names
        layout.KeyColumns.Select(c => c.FieldName).ShouldBe(["credit_code"]);
    }

    [Fact]
    public void The_row_id_is_the_primary_key_added_after_a_bulk_copy_on_PostgreSQL_and_the_rowid_on_SQLite()
    {
        var layout = TableLayout.For(Guid.CreateVersion7(), 1, Items);
        layout.CreateTableSql(DatabaseProvider.PostgreSql).ShouldContain("(_row bigint NOT NULL PRIMARY KEY, c001 varchar(18) COLLATE \"C\", c002 numeric");
        layout.CreateTableSql(DatabaseProvider.PostgreSql).ShouldContain(", c007 text COLLATE \"C\", c008 double precision");
        layout.CreateTableSql(DatabaseProvider.PostgreSql, primaryKey: false).ShouldContain("(_row bigint NOT NULL, c001");
        layout.AddPrimaryKeySql().ShouldBe($"ALTER TABLE {layout.TableName} ADD PRIMARY KEY (_row)");
        layout.CreateTableSql(DatabaseProvider.Sqlite).ShouldContain("(_row INTEGER NOT NULL PRIMARY KEY, c001 TEXT");
        Should.Throw<ArgumentException>(() => layout.CreateTableSql(DatabaseProvider.Sqlite, primaryKey: false));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task The_table_takes_typed_values_on_both_engines(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var layout = TableLayout.For(Guid.CreateVersion7(), 1, Items);
        await using var connection = db.Settings.CreateConnection();
        await connection.OpenAsync();
        await connection.ExecuteAsync(layout.CreateTableSql(provider));
        var pg = provider == DatabaseProvider.PostgreSql;
        await connection.ExecuteAsync(
            $"INSERT INTO {layout.TableName} VALUES (1, @a, @b, @c, @d, @e, @f, @g, @h, @i)",
            new
            {
                a = "91370000163044841F", b = 1234567.89m,
                c = pg ? (object)new DateOnly(2018, 8, 31) : "2018-08-31",
                d = pg ? (object)new DateTime(2018, 8, 31, 22, 14, 50) : "2018-08-31 22:14:50",
                e = true, f = 42L, g = "批发零售", h = 36.65, i = "张三",
            });
        var capital = await connection.ExecuteScalarAsync<decimal>($"SELECT c002 FROM {layout.TableName} WHERE c002 > @x", new { x = 1000m });
        capital.ShouldBe(1234567.89m);
        (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {layout.TableName} WHERE c003 >= @d",
            new { d = pg ? (object)new DateOnly(2018, 1, 1) : "2018-01-01" })).ShouldBe(1);
        await connection.ExecuteAsync(layout.DropTableSql());
        await connection.ExecuteAsync(layout.DropTableSql());   // IF EXISTS: dropping twice is harmless (cleanup after a crash)
    }
}
