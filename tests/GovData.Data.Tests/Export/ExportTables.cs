using System.Data.Common;
using System.Globalization;
using System.Text;
using GovData.Data.Domain;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Tests.Export;

/// <summary>Creates a version table and fills it the way the loaders store values on each engine.</summary>
internal static class ExportTables
{
    public static async Task CreateAndFillAsync(DbConnection connection, DatabaseProvider provider, TableLayout layout, IEnumerable<object?[]> rows)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = layout.CreateTableSql(provider);
            await create.ExecuteNonQueryAsync();
        }
        await using var tx = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        var sql = new StringBuilder($"INSERT INTO {layout.TableName} ({TableLayout.RowIdColumn}");
        foreach (var c in layout.Columns) sql.Append(", ").Append(c.ColumnName);
        sql.Append(") VALUES (@r");
        for (var i = 0; i < layout.Columns.Count; i++) sql.Append(", @p").Append(i);
        insert.CommandText = sql.Append(')').ToString();
        var rowId = insert.CreateParameter();
        rowId.ParameterName = "r";
        insert.Parameters.Add(rowId);
        var parameters = new DbParameter[layout.Columns.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = insert.CreateParameter();
            parameters[i].ParameterName = "p" + i.ToString(CultureInfo.InvariantCulture);
            insert.Parameters.Add(parameters[i]);
        }
        long n = 0;
        foreach (var row in rows)
        {
            rowId.Value = ++n;
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = Storage(row[i], provider);
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    // SQLite stores dates and timestamps as TEXT (yyyy-MM-dd, yyyy-MM-dd HH:mm:ss), booleans as 0/1.
    private static object Storage(object? value, DatabaseProvider provider) => value switch
    {
        null => DBNull.Value,
        DateOnly d when provider == DatabaseProvider.Sqlite => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t when provider == DatabaseProvider.Sqlite => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        bool b when provider == DatabaseProvider.Sqlite => b ? 1L : 0L,
        _ => value,
    };
}
