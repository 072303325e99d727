using System.Data.Common;
using System.Globalization;
using GovData.Catalog.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GovData.Bench.Search;

/// <summary>
/// Writes generated entries, revisions and information items straight into the catalog tables inside the caller's
/// transaction: prepared INSERTs on SQLite, binary COPY on PostgreSQL. Values are written as EF Core stores them
/// (SQLite: Guid as upper-case text, DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF", enums by name).
/// </summary>
internal static class BulkLoader
{
    private sealed record Column(string Name, NpgsqlDbType Type);

    private static readonly Column[] EntryColumns =
    [
        new("id", NpgsqlDbType.Uuid), new("code", NpgsqlDbType.Varchar), new("classification_code", NpgsqlDbType.Varchar), new("class_code", NpgsqlDbType.Integer),
        new("item_code", NpgsqlDbType.Varchar), new("category_code", NpgsqlDbType.Varchar), new("detail_path", NpgsqlDbType.Varchar), new("sequence", NpgsqlDbType.Bigint),
        new("department_id", NpgsqlDbType.Uuid), new("status", NpgsqlDbType.Varchar), new("published_revision_id", NpgsqlDbType.Uuid),
        new("working_revision_id", NpgsqlDbType.Uuid), new("last_revision_number", NpgsqlDbType.Integer), new("metadata_identifier", NpgsqlDbType.Varchar),
        new("created_at", NpgsqlDbType.TimestampTz), new("updated_at", NpgsqlDbType.TimestampTz), new("first_published_at", NpgsqlDbType.TimestampTz),
        new("offline_at", NpgsqlDbType.TimestampTz), new("offline_reason", NpgsqlDbType.Varchar), new("version", NpgsqlDbType.Integer),
    ];

    private static object?[] Values(CatalogEntry e) =>
    [
        e.Id, e.Code, e.ClassificationCode, e.ClassCode, e.ItemCode, e.CategoryCode, e.DetailPath, e.Sequence, e.DepartmentId, e.Status.ToString(),
        e.PublishedRevisionId, e.WorkingRevisionId, e.LastRevisionNumber, e.MetadataIdentifier, e.CreatedAt, e.UpdatedAt, e.FirstPublishedAt,
        e.OfflineAt, e.OfflineReason, e.Version,
    ];

    private static readonly Column[] RevisionColumns =
    [
        new("id", NpgsqlDbType.Uuid), new("entry_id", NpgsqlDbType.Uuid), new("number", NpgsqlDbType.Integer), new("status", NpgsqlDbType.Varchar),
        new("name", NpgsqlDbType.Varchar), new("abstract", NpgsqlDbType.Varchar), new("provider_name", NpgsqlDbType.Varchar), new("provider_code", NpgsqlDbType.Varchar),
        new("format_category", NpgsqlDbType.Varchar), new("format_type", NpgsqlDbType.Varchar), new("format_description", NpgsqlDbType.Varchar),
        new("share_type", NpgsqlDbType.Varchar), new("share_condition", NpgsqlDbType.Varchar), new("share_basis", NpgsqlDbType.Varchar),
        new("share_channel", NpgsqlDbType.Varchar), new("share_method_type", NpgsqlDbType.Varchar), new("open_type", NpgsqlDbType.Varchar),
        new("open_condition", NpgsqlDbType.Varchar), new("update_cycle", NpgsqlDbType.Varchar), new("update_cycle_note", NpgsqlDbType.Varchar),
        new("publish_date", NpgsqlDbType.Date), new("related_codes", NpgsqlDbType.Text), new("keywords", NpgsqlDbType.Varchar),
        new("metadata_maintainer", NpgsqlDbType.Varchar), new("metadata_updated_at", NpgsqlDbType.TimestampTz), new("online_link", NpgsqlDbType.Varchar),
        new("security_class", NpgsqlDbType.Varchar), new("hierarchy", NpgsqlDbType.Varchar), new("created_at", NpgsqlDbType.TimestampTz),
        new("updated_at", NpgsqlDbType.TimestampTz), new("submitted_at", NpgsqlDbType.TimestampTz), new("reviewed_at", NpgsqlDbType.TimestampTz),
        new("reviewer_name", NpgsqlDbType.Varchar),
    ];

    private static object?[] Values(ResourceRevision r) =>
    [
        r.Id, r.EntryId, r.Number, r.Status.ToString(), r.Name, r.Abstract, r.ProviderName, r.ProviderCode, r.FormatCategory?.ToString(), r.FormatType,
        r.FormatDescription, r.ShareType?.ToString(), r.ShareCondition, r.ShareBasis, r.ShareChannel?.ToString(), r.ShareMethodType?.ToString(),
        r.OpenType?.ToString(), r.OpenCondition, r.UpdateCycle?.ToString(), r.UpdateCycleNote, r.PublishDate, r.RelatedCodes, r.Keywords,
        r.MetadataMaintainer, r.MetadataUpdatedAt, r.OnlineLink, r.SecurityClass?.ToString(), r.Hierarchy?.ToString(), r.CreatedAt, r.UpdatedAt,
        r.SubmittedAt, r.ReviewedAt, r.ReviewerName,
    ];

    private static readonly Column[] ItemColumns =
    [
        new("id", NpgsqlDbType.Uuid), new("revision_id", NpgsqlDbType.Uuid), new("ordinal", NpgsqlDbType.Integer), new("name", NpgsqlDbType.Varchar),
        new("field_code", NpgsqlDbType.Varchar), new("data_type", NpgsqlDbType.Varchar), new("length", NpgsqlDbType.Integer), new("precision", NpgsqlDbType.Integer),
        new("is_required", NpgsqlDbType.Boolean), new("is_key", NpgsqlDbType.Boolean), new("value_domain", NpgsqlDbType.Varchar),
        new("sensitivity", NpgsqlDbType.Varchar), new("masking_rule", NpgsqlDbType.Varchar), new("description", NpgsqlDbType.Varchar),
    ];

    private static object?[] Values(InformationItem i) =>
    [
        i.Id, i.RevisionId, i.Ordinal, i.Name, i.FieldCode, i.DataType?.ToString(), i.Length, i.Precision, i.IsRequired, i.IsKey, i.ValueDomain,
        i.Sensitivity.ToString(), i.MaskingRule.ToString(), i.Description,
    ];

    /// <summary>Loads everything; returns the number of rows written.</summary>
    public static async Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CatalogCorpus.Generated> corpus)
    {
        var entries = corpus.Select(g => Values(g.Entry));
        var revisions = corpus.SelectMany(g => g.Revisions).Select(Values);
        var items = corpus.SelectMany(g => g.Revisions).SelectMany(r => r.Items).Select(Values);
        long rows = 0;
        if (connection is NpgsqlConnection pg)
        {
            rows += await CopyAsync(pg, "catalog_entries", EntryColumns, entries);
            rows += await CopyAsync(pg, "catalog_revisions", RevisionColumns, revisions);
            rows += await CopyAsync(pg, "catalog_information_items", ItemColumns, items);
        }
        else
        {
            var sqlite = (SqliteConnection)connection;
            var tx = (SqliteTransaction)transaction;
            rows += Insert(sqlite, tx, "catalog_entries", EntryColumns, entries);
            rows += Insert(sqlite, tx, "catalog_revisions", RevisionColumns, revisions);
            rows += Insert(sqlite, tx, "catalog_information_items", ItemColumns, items);
        }
        return rows;
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, string table, Column[] columns, IEnumerable<object?[]> rows)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await import.StartRowAsync();
            for (var i = 0; i < columns.Length; i++)
            {
                if (row[i] is null) await import.WriteNullAsync();
                else await import.WriteAsync(row[i] is DateTime d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : row[i], columns[i].Type);
            }
        }
        return (long)await import.CompleteAsync();
    }

    private static long Insert(SqliteConnection connection, SqliteTransaction tx, string table, Column[] columns, IEnumerable<object?[]> rows)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var parameters = columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        cmd.Prepare();
        long n = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++) parameters[i].Value = Sqlite(row[i]);
            n += cmd.ExecuteNonQuery();
        }
        return n;
    }

    /// <summary>A value as EF Core's SQLite provider stores it.</summary>
    private static object Sqlite(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D").ToUpperInvariant(),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? 1 : 0,
        _ => value,
    };
}
