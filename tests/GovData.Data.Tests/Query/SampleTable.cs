using System.Data.Common;
using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Query;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Tests.Query;

/// <summary>
/// A deterministic dataset with every column kind, NULLs in every column, awkward text (quotes, %, _, backslash, commas,
/// mixed case) and two masked columns, plus the code to put it into a real table. The rows are kept in memory so tests
/// compute expected results in C#.
/// </summary>
internal sealed class SampleTable
{
    public static readonly CatalogItem[] Items =
    [
        new(1, "统一社会信用代码", "credit_code", ItemDataType.C, 18, null, true, true, "GB 32100", ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "法定代表人", "legal_person", ItemDataType.C, 50, null, false, false, null, ItemSensitivity.Sensitive, MaskingRule.Name, null),
        new(3, "注册资本", "capital", ItemDataType.Y, 18, 2, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "比率", "ratio", ItemDataType.B, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "成立日期", null, ItemDataType.D, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(7, "核准时间", "approved_at", ItemDataType.T, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(8, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(9, "经营范围", "scope", ItemDataType.M, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(10, "联系电话", "phone", ItemDataType.C, 11, null, false, false, null, ItemSensitivity.Sensitive, MaskingRule.Mobile, null),
        new(11, "行政区划代码", "region", ItemDataType.C, 6, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ];

    // Column positions in Rows (same as the layout's columns).
    public const int CreditCode = 0, LegalPerson = 1, Capital = 2, Ratio = 3, Staff = 4, EstDate = 5, ApprovedAt = 6,
        Active = 7, Scope = 8, Phone = 9, Region = 10;

    public static readonly string[] Scopes =
    [
        "批发零售", "100%纯棉", "a_b 测试", "A_B", "axb", @"含\反斜杠", "Tech", "tech", "O'Reilly; DROP TABLE x; --", "零售,批发", "软件开发", "' OR 1=1 --",
    ];

    private static readonly string[] Surnames = ["张", "王", "李", "赵", "欧阳", "陈"];
    private static readonly string[] Given = ["三", "伟", "芳", "娜娜", "强", "敏"];
    private static readonly string[] Regions = ["370102", "370103", "370202", "371302", "370100"];

    public SampleTable(Guid resourceId, int rowCount, int seed = 20260401)
    {
        Layout = TableLayout.For(resourceId, 1, Items);
        var random = new Random(seed);
        var rows = new List<object?[]>(rowCount);
        for (var i = 0; i < rowCount; i++)
        {
            bool Null(int percent) => random.Next(100) < percent;
            var start = new DateTime(2010, 1, 1).AddSeconds(random.NextInt64(0, 15L * 365 * 24 * 3600));
            rows.Add(
            [
                "91370000" + (1_000_000_000L + i * 7919L % 9_000_000_000L).ToString(CultureInfo.InvariantCulture),
                Null(5) ? null : Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)],
                Null(10) ? null : random.Next(4) == 0 ? random.Next(0, 500) * 1000m : random.NextInt64(0, 10_000_000_00L) / 100m,
                Null(10) ? null : Math.Round(random.NextDouble() * 200 - 100, 4),
                Null(10) ? null : (long)random.Next(-5, 5000),
                Null(10) ? null : DateOnly.FromDateTime(start.Date),
                Null(10) ? null : start,
                Null(10) ? null : random.Next(2) == 0,
                Null(10) ? null : Scopes[random.Next(Scopes.Length)],
                Null(10) ? null : "13" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture),
                Null(8) ? null : Regions[random.Next(Regions.Length)],
            ]);
        }
        Rows = rows;
    }

    /// <summary>A table of the given rows (e.g. a later version derived from another sample's rows).</summary>
    public SampleTable(TableLayout layout, IReadOnlyList<object?[]> rows)
    {
        Layout = layout;
        Rows = rows;
    }

    public TableLayout Layout { get; }

    /// <summary>Rows in load order; row i has _row = i + 1.</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    public DataColumn Column(string field) => Layout.Find(field) ?? throw new ArgumentException(field);

    /// <summary>Creates the table and inserts the rows (one transaction), storing values the way each engine keeps them.</summary>
    public async Task CreateAsync(DatabaseSettings settings)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = Layout.CreateTableSql(settings.Provider);
            await create.ExecuteNonQueryAsync();
        }
        await using var tx = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {Layout.TableName} (_row, {string.Join(", ", Layout.Columns.Select(c => c.ColumnName))}) VALUES (@r, "
            + string.Join(", ", Layout.Columns.Select((_, i) => "@v" + i)) + ")";
        var rowParameter = Add(insert, "@r");
        var parameters = Layout.Columns.Select((_, i) => Add(insert, "@v" + i)).ToArray();
        for (var r = 0; r < Rows.Count; r++)
        {
            rowParameter.Value = (long)(r + 1);
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = Stored(Rows[r][i], settings.Provider);
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        command.Parameters.Add(p);
        return p;
    }

    // What the load pipeline stores (TableLayout.SqlType): SQLite keeps dates/timestamps as text and booleans as 0/1.
    private static object Stored(object? value, DatabaseProvider provider) => (provider, value) switch
    {
        (_, null) => DBNull.Value,
        (DatabaseProvider.Sqlite, DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        (DatabaseProvider.Sqlite, DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        (DatabaseProvider.Sqlite, bool b) => b ? 1 : 0,
        _ => value,
    };

    public async Task<long> CountInDatabaseAsync(DatabaseSettings settings)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM " + Layout.TableName;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public ResolvedTable Resolved(string code, Guid departmentId) =>
        new(Guid.NewGuid(), Guid.NewGuid(), departmentId, code, "测试企业法人库", 1, new DateTime(2026, 4, 1, 8, 0, 0, DateTimeKind.Utc), Layout);

    // ---- C# reference semantics ----

    /// <summary>Ordinal (code-point) comparison with NULLs smallest, as the API orders.</summary>
    public static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.CompareOrdinal(x, y),
        (IComparable x, _) => x.CompareTo(b),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Row indexes (0-based) ordered by sort keys (index, descending) with NULLs first ascending / last descending, then _row.</summary>
    public IEnumerable<int> Ordered(IEnumerable<int> indexes, params (int Column, bool Desc)[] sort) =>
        indexes.Order(Comparer<int>.Create((x, y) =>
        {
            foreach (var (column, desc) in sort)
            {
                var c = Compare(Rows[x][column], Rows[y][column]);
                if (c != 0) return desc ? -c : c;
            }
            return x.CompareTo(y);
        }));

    public IEnumerable<int> Where(Func<object?[], bool> predicate) => Enumerable.Range(0, Rows.Count).Where(i => predicate(Rows[i]));
}

/// <summary>The test's <see cref="IDataTableResolver"/>: codes registered by tests map to tables they created.</summary>
internal sealed class TestTableResolver : IDataTableResolver
{
    private readonly Dictionary<string, ResolvedTable> _tables = new();
    private readonly Dictionary<string, ResolvedTable> _once = new();

    /// <summary>Maps the table's code to it; <paramref name="first"/>, when given, is answered once before (a version
    /// that is switched away from right after being resolved).</summary>
    public void Register(ResolvedTable table, ResolvedTable? first = null)
    {
        lock (_tables)
        {
            _tables[table.ResourceCode] = table;
            if (first is not null) _once[table.ResourceCode] = first;
        }
    }

    public Task<ResolvedTable?> ResolveAsync(ResourceCode code, int? version, CancellationToken ct)
    {
        lock (_tables)
        {
            var key = code.ToString();
            if (version is null && _once.Remove(key, out var first)) return Task.FromResult<ResolvedTable?>(first);
            return Task.FromResult(_tables.TryGetValue(key, out var t) && (version is null || version == t.VersionNumber) ? t : null);
        }
    }
}
