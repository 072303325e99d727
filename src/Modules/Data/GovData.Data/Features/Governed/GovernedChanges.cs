using System.Buffers.Text;
using System.Text.Json;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Masking;
using GovData.Data.Features.Query;

namespace GovData.Data.Features.Governed;

/// <summary>
/// Where a change feed stands: the consumer's copy is version <see cref="At"/> as loaded at <see cref="AtLoaded"/>
/// (version 0: nothing yet); when <see cref="To"/> is set, the changes towards version <see cref="To"/> (loaded at
/// <see cref="ToLoaded"/>) have been delivered up to the key <see cref="After"/> (null: none yet).
/// </summary>
internal sealed record FeedPosition(int At, long AtLoaded, int? To, long ToLoaded, IReadOnlyList<object?>? After);

internal sealed partial class GovernedDataAccess
{
    /// <summary>Largest page of the change feed.</summary>
    public const int MaxChangesPerPage = 10_000;

    public async Task<DataChangePage> ChangesAsync(ResourceCode code, AccessPolicy policy, string? cursor, int limit, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxChangesPerPage)
            throw Invalid("limit", $"参数 limit 的值无效：应为 1 到 {MaxChangesPerPage} 之间的整数");
        var position = cursor is null ? null : FeedCursor.Decode(cursor);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ResolveAsync(code, ct);
            try
            {
                return await ChangesCoreAsync(code, policy, position, current, limit, ct);
            }
            catch (DataTableGoneException) when (attempt == 1)
            {
                // A version was dropped while being read: decide again from the current state.
            }
            catch (DataTableGoneException)
            {
                throw Gone(current);
            }
        }
    }

    private async Task<DataChangePage> ChangesCoreAsync(ResourceCode code, AccessPolicy policy, FeedPosition? position, ResolvedTable current,
        int limit, CancellationToken ct)
    {
        var reset = false;
        ResolvedTable? from = null;
        ResolvedTable to;
        IReadOnlyList<object?>? after = null;
        if (position is null)
        {
            to = current;
        }
        else if (position.To is null)
        {
            // A complete copy of version At: up to date, or on to the next readable version.
            if (position.At == current.VersionNumber && Ticks(current) == position.AtLoaded)
                return UpToDate(current, policy, position);
            var at = position.At > current.VersionNumber || position.At < 1 ? null : await resolver.ResolveAsync(code, position.At, ct);
            if (at is null || Ticks(at) != position.AtLoaded || at.VersionNumber == current.VersionNumber)
            {
                (reset, to) = (true, current);
            }
            else
            {
                // The next readable version after At (failed and purged numbers are skipped); the current one at the latest.
                ResolvedTable? following = null;
                for (var n = position.At + 1; n <= current.VersionNumber && following is null; n++)
                    following = n == current.VersionNumber ? current : await resolver.ResolveAsync(code, n, ct);
                (from, to) = (at, following!);
            }
        }
        else
        {
            var target = position.To == current.VersionNumber ? current : await resolver.ResolveAsync(code, position.To.Value, ct);
            var source = position.At == 0 ? null : await resolver.ResolveAsync(code, position.At, ct);
            if (target is null || Ticks(target) != position.ToLoaded || position.At != 0 && (source is null || Ticks(source) != position.AtLoaded)
                || position.To.Value > current.VersionNumber)
                (reset, to) = (true, current);
            else
                (from, to, after) = (source, target, position.After);
        }

        var view = PolicyView.Apply(to, policy, options.Value);
        var keys = to.Layout.KeyColumns;
        if (keys.Count == 0)
            throw new DataAccessException(DataAccessErrorKind.InvalidRequest, "code", $"资源“{to.ResourceCode}”没有主键信息项，不能提供增量订阅");
        var hidden = keys.FirstOrDefault(k => !view.Layout.Columns.Contains(k) || !policy.Raw && Masker.Masks(k));
        if (hidden is not null)
            throw new DataAccessException(DataAccessErrorKind.Forbidden, "policy",
                $"主键字段“{hidden.FieldName}”（{hidden.ItemName}）不在授权范围内或按脱敏规则提供，无法按主键同步");
        var values = view.Layout.Columns;

        // The version the changes start from must have the same keys; its scope is the policy on its own layout. A change
        // of the key columns, or a policy the old version cannot honour, starts the copy again.
        IReadOnlyList<DataColumn> fromKeys = [];
        IReadOnlyList<QueryFilter> fromScope = [];
        var compared = new List<(DataColumn From, DataColumn To)>();
        var allChanged = false;
        if (from is not null)
        {
            var matched = keys.Select(k => from.Layout.Columns.FirstOrDefault(c => c.FieldName == k.FieldName && c.Kind == k.Kind && c.IsKey)).ToList();
            PolicyView? fromView = null;
            try
            {
                fromView = PolicyView.Apply(from, policy, options.Value);
            }
            catch (DataAccessException)
            {
            }
            if (matched.Any(m => m is null) || fromView is null || from.Layout.KeyColumns.Count != keys.Count)
                return await ChangesCoreAsync(code, policy, null, current, limit, ct) with { Reset = true };
            fromKeys = matched!;
            fromScope = fromView.Scope;
            foreach (var column in values)
            {
                var old = from.Layout.Columns.FirstOrDefault(c => c.FieldName == column.FieldName && c.Kind == column.Kind);
                if (old is null) allChanged = true;
                else compared.Add((old, column));
            }
            if (fromView.Layout.Columns.Count != values.Count) allChanged = true;
        }

        var typedAfter = after is null ? null : FeedCursor.Typed(after, keys);
        var statement = QuerySql.Changes(from?.Layout, fromKeys, fromScope, to.Layout, keys, view.Scope, values, compared, allChanged, typedAfter,
            limit + 1, settings.Provider);
        var read = await rows.ChangesAsync(statement, keys, values, policy.Raw, to.Layout.TableName, ct);
        var more = read.Count > limit;
        var page = more ? read.Take(limit).ToList() : read.ToList();
        var fromNumber = from?.VersionNumber ?? 0;
        FeedPosition next;
        bool upToDate;
        if (more)
        {
            next = new FeedPosition(fromNumber, from is null ? 0 : Ticks(from), to.VersionNumber, Ticks(to), page[^1].Key);
            upToDate = false;
        }
        else
        {
            next = new FeedPosition(to.VersionNumber, Ticks(to), null, 0, null);
            upToDate = to.VersionNumber == current.VersionNumber;
        }
        var changes = page.Select(r => new DataChange((DataChangeKind)r.Kind, r.Key, r.Values)).ToList();
        return new DataChangePage(to.ResourceCode, fromNumber, to.VersionNumber, Fields(values, policy.Raw), Fields(keys, policy.Raw), changes,
            FeedCursor.Encode(next), upToDate, reset);
    }

    private DataChangePage UpToDate(ResolvedTable current, AccessPolicy policy, FeedPosition position)
    {
        var view = PolicyView.Apply(current, policy, options.Value);
        return new DataChangePage(current.ResourceCode, position.At, position.At, Fields(view.Layout.Columns, policy.Raw),
            Fields(current.Layout.KeyColumns, policy.Raw), [], FeedCursor.Encode(position), UpToDate: true, Reset: false);
    }

    private static long Ticks(ResolvedTable table) => table.LoadedAt?.Ticks ?? 0;
}

/// <summary>
/// The change-feed cursor: base64url of <c>{"a":at,"al":ticks,"t":to,"tl":ticks,"k":[key values]}</c>. Opaque to
/// callers; a forged cursor names versions and keys of the same resource under the same policy, so at worst it skips or
/// repeats changes the caller may see anyway; every key value is checked against its column type when used.
/// </summary>
internal static class FeedCursor
{
    private const int MaxLength = 4096;

    public static string Encode(FeedPosition p)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("a", p.At);
            w.WriteNumber("al", p.AtLoaded);
            if (p.To is { } to)
            {
                w.WriteNumber("t", to);
                w.WriteNumber("tl", p.ToLoaded);
            }
            if (p.After is { } after)
            {
                w.WriteStartArray("k");
                foreach (var v in after) QueryValues.WriteJson(w, v);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>Decodes a cursor; key values stay JSON elements' CLR forms (string, decimal, bool) until typed by the columns.</summary>
    public static FeedPosition Decode(string text)
    {
        DataAccessException Bad() => new(DataAccessErrorKind.InvalidRequest, "cursor", "参数 cursor 无效：请使用上一页响应中的 cursor，或不带 cursor 从头同步");
        if (text.Length is 0 or > MaxLength) throw Bad();
        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(text));
            var root = document.RootElement;
            var at = root.GetProperty("a").GetInt32();
            var atLoaded = root.GetProperty("al").GetInt64();
            int? to = root.TryGetProperty("t", out var t) ? t.GetInt32() : null;
            var toLoaded = root.TryGetProperty("tl", out var tl) ? tl.GetInt64() : 0;
            List<object?>? after = null;
            if (root.TryGetProperty("k", out var k))
            {
                after = [];
                foreach (var e in k.EnumerateArray())
                    after.Add(e.ValueKind switch
                    {
                        JsonValueKind.String => e.GetString(),
                        JsonValueKind.Number => e.GetDecimal(),
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Bad(),
                    });
            }
            if (at < 0 || to is < 1 || to is null && after is not null) throw Bad();
            return new FeedPosition(at, atLoaded, to, toLoaded, after);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw Bad();
        }
    }

    /// <summary>The cursor's key values as CLR values of the key columns; throws when one does not fit.</summary>
    public static IReadOnlyList<object> Typed(IReadOnlyList<object?> values, IReadOnlyList<DataColumn> keys)
    {
        if (values.Count != keys.Count) throw new DataAccessException(DataAccessErrorKind.InvalidRequest, "cursor", "参数 cursor 无效：主键值个数不对");
        var typed = new List<object>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var text = values[i] switch
            {
                string s => s,
                decimal m => m.ToString(System.Globalization.CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => null,
            };
            if (text is null || !QueryValues.TryParse(keys[i].Kind, text, out var value))
                throw new DataAccessException(DataAccessErrorKind.InvalidRequest, "cursor", "参数 cursor 无效：主键值与字段类型不符");
            typed.Add(value);
        }
        return typed;
    }
}
