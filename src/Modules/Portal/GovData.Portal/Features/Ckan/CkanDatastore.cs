using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Portal.Features.Open;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;

namespace GovData.Portal.Features.Ckan;

/// <summary>
/// CKAN's <c>datastore_search</c> over the open rows (<see cref="OpenData"/>: 无条件开放 only, always masked, the open
/// interfaces' rate limits and quotas applied by <see cref="CkanApi"/>). CKAN's parameters become the Data contract's rows
/// syntax: <c>filters</c> {field: value | [values] | null} → <c>field.eq</c> / <c>field.in</c> / <c>field.isnull</c>;
/// <c>q</c> as an object {field: text} → <c>field.contains</c> (a plain-string <c>q</c>, CKAN's full text over every field,
/// is refused: the contract has no OR across fields); <c>fields</c>; <c>sort</c> "a asc, b desc" → <c>a,-b</c>;
/// <c>limit</c> (default 100, capped at the open API's page size like CKAN caps at <c>rows_max</c>); <c>offset</c>;
/// <c>include_total</c>. Records have no <c>_id</c> (row positions are not part of the contract).
/// </summary>
internal sealed partial class CkanActions
{
    private static readonly Dictionary<string, string> CkanTypes = new(StringComparer.Ordinal)
    {
        ["text"] = "text", ["decimal"] = "numeric", ["double"] = "float8", ["integer"] = "int8", ["date"] = "date",
        ["timestamp"] = "timestamp", ["boolean"] = "bool",
    };

    private async Task<JsonNode> DatastoreSearchAsync(Dictionary<string, JsonNode?> p, HttpRequest request, CancellationToken ct)
    {
        var id = (Text(p, "resource_id") ?? Text(p, "id"))?.Trim();
        if (string.IsNullOrEmpty(id)) throw CkanException.Missing("resource_id");
        var dataset = Guid.TryParse(id, out var resourceId) ? await catalog.FindAsync(EntryOfResource(resourceId), ct) : await open.FindAsync(id, ct);
        if (dataset is null) throw CkanException.NotFound($"Resource \"{id}\" was not found.");
        if (dataset.OpenType != OpenType.Unconditional)
            throw new CkanException(StatusCodes.Status403Forbidden,
                new JsonObject { ["__type"] = "Authorization Error", ["message"] = "Access denied: " + OpenData.ApplyMessage(dataset) });

        // Data parameter (lower case) → the CKAN parameter it came from, to name the right one in errors.
        var origin = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string value, string ckan)
        {
            pairs.Add(new(key, value));
            origin.TryAdd(key, ckan);
        }

        foreach (var (field, value) in ObjectParameter(p, "filters"))
        {
            switch (value)
            {
                case null:
                    Add(field + ".isnull", "true", "filters");
                    break;
                case JsonArray list:
                    if (list.Count == 0) throw CkanException.Validation("filters", $"字段“{field}”的取值列表为空");
                    Add(field + ".in", string.Join(",", list.Select(v => Scalar(v, "filters").Replace("\\", "\\\\").Replace(",", "\\,"))), "filters");
                    break;
                default:
                    Add(field + ".eq", Scalar(value, "filters"), "filters");
                    break;
            }
        }
        if (p.TryGetValue("q", out var qNode) && qNode is not null)
        {
            var text = qNode is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : null;
            if (text is { Length: > 0 } && !text.StartsWith('{'))
                throw CkanException.Validation("q", "不支持跨全部字段的全文检索：q 请写成 JSON 对象 {\"字段\": \"要包含的文字\"}（可多个字段，须同时满足）");
            foreach (var (field, value) in ObjectParameter(p, "q"))
                Add(field + ".contains", Scalar(value, "q"), "q");
        }
        var fields = StringList(p, "fields").SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (fields.Count > 0) Add("fields", string.Join(",", fields), "fields");
        if (Text(p, "sort") is { Length: > 0 } sortText)
        {
            var keys = new List<string>();
            foreach (var part in sortText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var descending = words.Length switch
                {
                    1 => false,
                    2 when words[1].Equals("asc", StringComparison.OrdinalIgnoreCase) => false,
                    2 when words[1].Equals("desc", StringComparison.OrdinalIgnoreCase) => true,
                    _ => throw CkanException.Validation("sort", $"排序“{part}”无效：应为“字段 asc”或“字段 desc”"),
                };
                keys.Add((descending ? "-" : "") + words[0].Trim('"'));
            }
            if (keys.Count > 0) Add("sort", string.Join(",", keys), "sort");
        }
        var limit = Math.Min(Natural(p, "limit") ?? 100, limits.MaxRows);
        var offset = Natural(p, "offset") ?? 0;
        var includeTotal = Bool(p, "include_total") ?? true;
        var recordsFormat = Text(p, "records_format") ?? "objects";
        if (recordsFormat != "objects") throw CkanException.Validation("records_format", "仅支持 objects");
        if (Bool(p, "distinct") == true) throw CkanException.Validation("distinct", "不支持 distinct");
        Add("limit", limit.ToString(CultureInfo.InvariantCulture), "limit");
        Add("offset", offset.ToString(CultureInfo.InvariantCulture), "offset");
        Add("count", includeTotal ? "true" : "false", "include_total");

        GovernedRowPage page;
        try
        {
            page = await open.QueryAsync(dataset, pairs, ct);
        }
        catch (DataAccessException e) when (e.Kind == DataAccessErrorKind.NotFound)
        {
            throw CkanException.NotFound($"Resource \"{id}\" has no data in the datastore（{e.Message}）");
        }
        catch (DataAccessException e)
        {
            throw CkanException.Validation(origin.GetValueOrDefault(e.Parameter, e.Parameter), e.Message);
        }
        await usage.RecordAsync(dataset, UsageKinds.Api, request, program: true, ct);

        var records = new JsonArray();
        foreach (var row in page.Rows)
        {
            var record = new JsonObject();
            for (var i = 0; i < page.Fields.Count; i++) record[page.Fields[i].Name] = JsonSerializer.SerializeToNode(OpenData.JsonValueOf(row[i]));
            records.Add(record);
        }
        var canonicalId = ResourceId(dataset.EntryId).ToString();
        var start = "/api/3/action/datastore_search?resource_id=" + canonicalId;
        var result = new JsonObject
        {
            ["include_total"] = includeTotal,
            ["limit"] = limit,
            ["offset"] = offset,
            ["records_format"] = "objects",
            ["resource_id"] = canonicalId,
            ["total_estimation_threshold"] = null,
            ["fields"] = new JsonArray(page.Fields.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Name,
                ["type"] = CkanTypes.GetValueOrDefault(f.Type, "text"),
                ["info"] = new JsonObject { ["label"] = f.ItemName, ["notes"] = f.Masked ? "脱敏" : "" },
            }).ToArray()),
            ["records"] = records,
            ["_links"] = new JsonObject
            {
                ["start"] = start,
                ["next"] = start + "&offset=" + (offset + limit).ToString(CultureInfo.InvariantCulture)
                    + (p.ContainsKey("limit") ? "&limit=" + limit.ToString(CultureInfo.InvariantCulture) : ""),
            },
        };
        if (includeTotal)
        {
            result["total"] = page.Total;
            result["total_was_estimated"] = false;
        }
        return result;
    }

    /// <summary>A JSON object parameter, given as an object or as a JSON string (query strings); field → value.</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> ObjectParameter(Dictionary<string, JsonNode?> p, string key)
    {
        if (!p.TryGetValue(key, out var node) || node is null) return [];
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (string.IsNullOrWhiteSpace(text)) return [];
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw CkanException.Validation(key, "Could not parse as valid JSON");
            }
        }
        return node is JsonObject o ? o.ToList() : throw CkanException.Validation(key, "Not a dict");
    }

    private static string Scalar(JsonNode? node, string key) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        _ => throw CkanException.Validation(key, "取值应为字符串、数字或布尔值"),
    };
}
