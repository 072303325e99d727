using System.Buffers.Text;
using System.Text.Json;

namespace GovData.Data.Features.Query;

/// <summary>
/// The keyset cursor of <c>after=</c> / <c>next</c>: base64url of <c>{"s":"sort spec","v":[last row's sort values],"r":_row}</c>.
/// Opaque to callers; it carries only values the caller could read anyway (sort on masked fields is refused for callers
/// without raw rights) and every value is checked against the column type and sent as a parameter, so a forged cursor
/// can at worst skip rows.
/// </summary>
internal static class CursorCodec
{
    private const int MaxLength = 8192;

    /// <summary>Encodes the position after a row with these sort values.</summary>
    public static string Encode(string sortSpec, IReadOnlyList<object?> values, long row)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("s", sortSpec);
            w.WriteStartArray("v");
            foreach (var v in values) QueryValues.WriteJson(w, v);
            w.WriteEndArray();
            w.WriteNumber("r", row);
            w.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>Decodes a cursor for a query sorted by <paramref name="sort"/>; throws <see cref="QueryException"/> on anything wrong.</summary>
    public static KeysetCursor Decode(string text, IReadOnlyList<SortKey> sort, string sortSpec)
    {
        QueryException Bad(string why) => new(QueryParameters.After, $"参数 after 的游标“{Shorten(text)}”无效：{why}。请使用上一页响应中的 next 值。");
        if (text.Length > MaxLength) throw Bad("长度超出限制");
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text.Trim());
        }
        catch (FormatException)
        {
            throw Bad("不是有效的 base64url 编码");
        }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("s", out var s) || s.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("r", out var r) || !r.TryGetInt64(out var row))
                throw Bad("内容不完整");
            if (!string.Equals(s.GetString(), sortSpec, StringComparison.Ordinal))
                throw Bad($"游标对应的排序为“{s.GetString()}”，与本次请求的 sort“{sortSpec}”不一致");
            if (v.GetArrayLength() != sort.Count) throw Bad("排序值个数与 sort 不一致");
            var values = new List<object?>(sort.Count);
            var i = 0;
            foreach (var e in v.EnumerateArray())
            {
                var column = sort[i++].Column;
                if (!QueryValues.TryReadJson(column.Kind, e, out var value))
                    throw Bad($"字段“{column.FieldName}”的排序值不是{QueryValues.KindName(column.Kind)}");
                values.Add(value);
            }
            return new KeysetCursor(sortSpec, values, row);
        }
        catch (JsonException)
        {
            throw Bad("不是有效的 JSON");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
