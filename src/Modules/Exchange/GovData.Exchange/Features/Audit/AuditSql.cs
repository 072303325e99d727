using System.Data.Common;
using System.Globalization;
using GovData.SharedKernel.Persistence;

namespace GovData.Exchange.Features.Audit;

/// <summary>
/// Raw SQL of the audit log, for the paths EF Core cannot express or would slow down: the lock, the head, the multi-row
/// insert, and streaming rows exactly as stored (the verifier must see what is in the table, including values EF would
/// refuse to read). Values are written as EF Core writes them, so EF reads the same rows for search and export:
/// PostgreSQL <c>uuid</c>/<c>timestamptz</c>; SQLite GUIDs as upper-case text and times as
/// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> UTC text.
/// </summary>
internal static class AuditSql
{
    /// <summary>Key of the PostgreSQL advisory transaction lock that serialises appends (any host, any process).</summary>
    public const long AppendLockKey = 0x47_44_41_55_44_49_54; // "GDAUDIT"

    /// <summary>Key of the advisory lock taken while a node key is created.</summary>
    public const long KeyLockKey = 0x47_44_4B_45_59; // "GDKEY"

    /// <summary>Columns of an entry in the order of <see cref="ReadEntry"/>.</summary>
    public const string EntryColumns =
        "seq, format, recorded_at, kind, outcome, consumer_department_id, provider_department_id, client_id, user_id, resource_code, " +
        "grant_id, request_id, purpose, issue, message_id, rows_returned, request_hash, response_hash, detail, entry_hash, leaf_hash, chain_hash";

    private const int ColumnCount = 22;

    /// <summary>
    /// Takes the append lock inside <paramref name="tx"/>. PostgreSQL: <c>pg_advisory_xact_lock</c>, released at commit
    /// or rollback. SQLite: the transaction already holds the database's write lock (<c>BEGIN IMMEDIATE</c>, the default
    /// of Microsoft.Data.Sqlite), which serialises writers; nothing more to take.
    /// </summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction tx, bool postgres, CancellationToken ct)
    {
        if (!postgres) return;
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT pg_advisory_xact_lock({AppendLockKey})";
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The last entry's sequence number and chain hash, or (0, genesis) for an empty log. Read under the lock.</summary>
    public static async Task<(long Seq, byte[] Chain)> ReadHeadAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq, chain_hash FROM exchange_audit_entries ORDER BY seq DESC LIMIT 1";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (0, AuditEncoding.GenesisChain);
        var seq = reader.GetInt64(0);
        if (!AuditEncoding.TryParseHash(reader.GetString(1), out var chain))
            throw new InvalidOperationException($"审计日志第 {seq} 条的链哈希不是有效的哈希值，无法继续追加（请运行 govdata audit verify 检查）");
        return (seq, chain);
    }

    /// <summary>The highest sequence number (0 when empty).</summary>
    public static async Task<long> ReadHeadSeqAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM exchange_audit_entries";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Inserts entries. PostgreSQL: multi-row INSERTs (one round trip per 400 rows). SQLite: one prepared single-row
    /// INSERT executed per row — no round trips to save there, and binding thousands of named parameters of a multi-row
    /// statement costs more than it saves.
    /// </summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction tx, bool postgres, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (!postgres)
        {
            await using var single = connection.CreateCommand();
            single.Transaction = tx;
            single.CommandText = InsertSql(1);
            for (var c = 0; c < ColumnCount; c++) Add(single, c, null);
            single.Prepare();
            foreach (var e in entries)
            {
                SetValues(single, 0, e, postgres);
                await single.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        const int rowsPerStatement = 400; // 400 × 22 = 8,800 parameters, under PostgreSQL's 65,535
        for (var start = 0; start < entries.Count; start += rowsPerStatement)
        {
            var count = Math.Min(rowsPerStatement, entries.Count - start);
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = InsertSql(count);
            for (var i = 0; i < count * ColumnCount; i++) Add(cmd, i, null);
            for (var i = 0; i < count; i++) SetValues(cmd, i * ColumnCount, entries[start + i], postgres);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static void SetValues(DbCommand cmd, int p, AuditEntry e, bool postgres)
    {
        var values = new object?[]
        {
            e.Seq, e.Format, Time(e.RecordedAt, postgres), e.Kind, e.Outcome, Id(e.ConsumerDepartmentId, postgres), Id(e.ProviderDepartmentId, postgres),
            e.ClientId, Id(e.UserId, postgres), e.ResourceCode, Id(e.GrantId, postgres), Id(e.RequestId, postgres), e.Purpose, e.Issue, e.MessageId,
            e.RowsReturned, e.RequestHash, e.ResponseHash, e.Detail, e.EntryHash, e.LeafHash, e.ChainHash,
        };
        for (var c = 0; c < ColumnCount; c++) cmd.Parameters[p + c].Value = values[c] ?? DBNull.Value;
    }

    private static readonly Dictionary<int, string> InsertTexts = [];

    private static string InsertSql(int rows)
    {
        lock (InsertTexts)
        {
            if (InsertTexts.TryGetValue(rows, out var sql)) return sql;
            var sb = new System.Text.StringBuilder($"INSERT INTO exchange_audit_entries ({EntryColumns}) VALUES ");
            for (var i = 0; i < rows; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append('(');
                for (var c = 0; c < ColumnCount; c++)
                {
                    if (c > 0) sb.Append(',');
                    sb.Append("@p").Append(i * ColumnCount + c);
                }
                sb.Append(')');
            }
            sql = sb.ToString();
            InsertTexts[rows] = sql;
            return sql;
        }
    }

    private static void Add(DbCommand cmd, int index, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@p" + index.ToString(CultureInfo.InvariantCulture);
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    /// <summary>A parameter value for a GUID column: native on PostgreSQL, upper-case text on SQLite (as EF Core writes it).</summary>
    public static object? Id(Guid? id, bool postgres) => id is not { } g ? null : postgres ? g : g.ToString().ToUpperInvariant();

    /// <summary>A parameter value for a time column: UTC DateTime on PostgreSQL, EF Core's text format on SQLite.</summary>
    public static object Time(DateTime utc, bool postgres) => postgres
        ? DateTime.SpecifyKind(utc, DateTimeKind.Utc)
        : DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>Adds a named parameter.</summary>
    public static void Param(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    /// <summary>
    /// Reads one row of <see cref="EntryColumns"/> as stored. Values that do not parse (a GUID column holding some other
    /// text, an unreadable time) are reported in <paramref name="malformed"/> instead of throwing, so the verifier can
    /// name the entry.
    /// </summary>
    public static AuditEntry ReadEntry(DbDataReader r, out string? malformed)
    {
        malformed = null;
        var e = new AuditEntry { Seq = r.GetInt64(0) };
        try
        {
            e.Format = Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture);
            e.RecordedAt = ReadTime(r.GetValue(2));
            e.Kind = r.IsDBNull(3) ? "" : r.GetString(3);
            e.Outcome = r.IsDBNull(4) ? "" : r.GetString(4);
            e.ConsumerDepartmentId = ReadGuid(r, 5);
            e.ProviderDepartmentId = ReadGuid(r, 6);
            e.ClientId = Text(r, 7);
            e.UserId = ReadGuid(r, 8);
            e.ResourceCode = Text(r, 9);
            e.GrantId = ReadGuid(r, 10);
            e.RequestId = ReadGuid(r, 11);
            e.Purpose = Text(r, 12);
            e.Issue = Text(r, 13);
            e.MessageId = Text(r, 14);
            e.RowsReturned = Convert.ToInt64(r.GetValue(15), CultureInfo.InvariantCulture);
            e.RequestHash = Text(r, 16);
            e.ResponseHash = Text(r, 17);
            e.Detail = Text(r, 18);
            e.EntryHash = Text(r, 19) ?? "";
            e.LeafHash = Text(r, 20) ?? "";
            e.ChainHash = Text(r, 21) ?? "";
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            malformed = ex.Message;
        }
        return e;
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);

    private static Guid? ReadGuid(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        Guid g => g,
        string s => Guid.Parse(s, CultureInfo.InvariantCulture),
        byte[] b when b.Length == 16 => new Guid(b),
        var other => throw new FormatException($"无法识别的标识值“{other}”"),
    };

    /// <summary>A stored time as UTC.</summary>
    public static DateTime ReadTime(object value) => value switch
    {
        DateTime d => d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
        _ => throw new FormatException($"无法识别的时间值“{value}”"),
    };

    /// <summary>Opens a connection of the platform database.</summary>
    public static async Task<DbConnection> OpenAsync(DatabaseSettings database, CancellationToken ct)
    {
        var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
