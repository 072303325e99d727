using System.Globalization;
using System.Text.Json;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Access;

/// <summary>A field of an answer (as in the data rows API, plus whether it is a key item).</summary>
internal sealed record AccessFieldDto(string Name, string ItemName, string Type, bool Masked, bool IsKey);

/// <summary>A page of rows of <c>GET /api/v1/exchange/data/{code}/rows</c>.</summary>
internal sealed record AccessRowsResponse(
    string RequestId, string ResourceCode, Guid GrantId, int Version, DateTime? LoadedAt, bool Masked, IReadOnlyList<AccessFieldDto> Fields,
    IReadOnlyList<Dictionary<string, object?>> Rows, long? Total, int Limit, int Offset, string? Next);

/// <summary>The answer of a single 核验: <c>match</c> 一致, <c>mismatch</c> 不一致, <c>not_found</c> 库中无此记录.</summary>
internal sealed record VerifyResponse(string RequestId, string ResourceCode, string Result, string ResultText);

/// <summary>One answer of a batch 核验, by the question's position.</summary>
internal sealed record VerifyItemDto(int Index, string Result, string ResultText);

/// <summary>The answers of a batch 核验, in the order of the questions.</summary>
internal sealed record VerifyBatchResponse(string RequestId, string ResourceCode, IReadOnlyList<VerifyItemDto> Results);

/// <summary>One change of the feed: <c>added</c>, <c>changed</c> or <c>removed</c>, the key, and the row (not for removed).</summary>
internal sealed record ChangeDto(string Op, Dictionary<string, object?> Key, Dictionary<string, object?>? Values);

/// <summary>A page of <c>GET /api/v1/exchange/feed/{code}</c>.</summary>
internal sealed record FeedResponse(
    string RequestId, string ResourceCode, Guid GrantId, int FromVersion, int ToVersion, bool Reset, bool UpToDate, string Cursor,
    IReadOnlyList<AccessFieldDto> Fields, IReadOnlyList<AccessFieldDto> KeyFields, IReadOnlyList<ChangeDto> Changes);

/// <summary>
/// The access endpoints for consumer applications (signed requests, README “调用与签名”):
/// <c>GET /api/v1/exchange/data/{code}/rows</c> (接口查询, the data rows API syntax under the grant) and
/// <c>POST /api/v1/exchange/verify/{code}</c> (核验, single or batch) and <c>GET /api/v1/exchange/feed/{code}</c> (订阅增量). Not for browser sessions: the signature is the
/// credential, so the endpoints allow anonymous callers at the authorization layer and check the signature themselves.
/// </summary>
internal static class AccessApi
{
    private const string SigningHelp = "须按平台签名规则携带 X-GovData-Client、X-GovData-Timestamp、X-GovData-Nonce、X-GovData-Signature，" +
        "可带 X-GovData-Request-Id（调用方请求编号）与 X-GovData-Issue（办理事项，百分号编码的 UTF-8）；响应头 X-GovData-Request-Hash 为请求摘要。" +
        "资源代码中的“/”写作 %2F。签名错误、过期、重放返回 401，无有效授权或授权不含该方式返回 403，超出频率或每日配额返回 429（带 Retry-After）。";

    public static RouteGroupBuilder MapAccessApi(this RouteGroupBuilder api)
    {
        api.MapGet("/data/{code}/rows", Rows)
            .AllowAnonymous()
            .WithTags("共享数据调用")
            .WithSummary("接口查询：按授权查询共享数据")
            .WithDescription("按本部门对该资源的有效授权（接口查询方式）返回数据行：只含授权的信息项，始终附加授权的行范围条件，除非授权允许原始值否则按脱敏规则输出。" +
                "查询语法同 /api/v1/data/{code}/rows（筛选、fields、sort、limit、offset、after、count），不支持 version 与 raw。" + SigningHelp)
            .Produces<AccessRowsResponse>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(429);
        api.MapPost("/verify/{code}", Verify)
            .AllowAnonymous()
            .WithTags("共享数据调用")
            .WithSummary("核验：只回答一致、不一致或库中无此记录")
            .WithDescription("请求体 {\"keys\":{\"主键字段\":\"值\"},\"claims\":{\"字段\":\"待核验的值\"}}，或批量 {\"items\":[{...},...]}（条数上限可配置，默认 100）。" +
                "只返回 match（一致）、mismatch（不一致）、not_found（库中无此记录），不返回任何数据；错误信息不回显提交的值；审计日志只保存加盐摘要。" + SigningHelp)
            .Produces<VerifyResponse>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);
        api.MapGet("/feed/{code}", Feed)
            .AllowAnonymous()
            .WithTags("共享数据调用")
            .WithSummary("订阅增量：按游标同步授权范围内的数据")
            .WithDescription("按本部门对该资源的有效授权（订阅方式）返回相邻版本之间按主键新增（added）、变更（changed）、删除（removed）的行，只含授权的信息项与行范围。" +
                "首次不带 cursor：当前版本的全部行作为新增（初始副本）；之后把上次响应的 cursor 原样传回，upToDate 为 true 表示已同步到当前版本。" +
                "reset 为 true 时副本须清空重建（版本被原位追加/更新、回滚或已清理）。limit 每页条数（默认 1000，最大 10000）。" + SigningHelp)
            .Produces<FeedResponse>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);
        return api;
    }

    /// <summary>Changes per feed page when the request gives no <c>limit</c>.</summary>
    public const int DefaultFeedLimit = 1000;

    private static Task<IResult> Feed(string code, HttpContext http, [FromServices] AccessGate gate, [FromServices] IGrantLookup grants,
        [FromServices] IAuditTrail audit, [FromServices] IGovernedDataAccess data) =>
        gate.RunAsync(http, new AccessSpec(AuditKinds.Feed, GrantAccessMode.Feed, Salted: false), code, grants, audit, context =>
        {
            string? cursor = null;
            var limit = DefaultFeedLimit;
            foreach (var (key, values) in context.Http.Request.Query)
            {
                if (values.Count != 1) throw AccessFailure.Invalid(key, $"参数 {key} 只能出现一次");
                switch (key.ToLowerInvariant())
                {
                    case "cursor":
                        cursor = values[0];
                        break;
                    case "limit":
                        if (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 10_000)
                            throw AccessFailure.Invalid("limit", "参数 limit 的值无效：应为 1 到 10000 之间的整数");
                        break;
                    default:
                        throw AccessFailure.Invalid(key, $"订阅增量只接受参数 cursor 与 limit，不接受“{(key.Length > 60 ? key[..60] : key)}”");
                }
            }
            return new AccessPlan(limit, Partial: true, async (reserved, ct) =>
            {
                var page = await data.ChangesAsync(context.Code, context.Policy, cursor, reserved is { } r ? (int)Math.Min(r, limit) : limit, ct);
                var names = page.Fields.Select(f => f.Name).ToList();
                var keyNames = page.KeyFields.Select(f => f.Name).ToList();
                var changes = page.Changes.Select(c => new ChangeDto(
                    c.Kind switch { DataChangeKind.Added => "added", DataChangeKind.Changed => "changed", _ => "removed" },
                    Zip(keyNames, c.Key), c.Values is null ? null : Zip(names, c.Values))).ToList();
                var body = new FeedResponse(context.RequestId, page.ResourceCode, context.Grant.GrantId, page.FromVersion, page.ToVersion, page.Reset,
                    page.UpToDate, page.Cursor, page.Fields.Select(Dto).ToList(), page.KeyFields.Select(Dto).ToList(), changes);
                return new AccessReply(body, changes.Count,
                    $"订阅增量：第 {page.FromVersion} 版 → 第 {page.ToVersion} 版，{changes.Count} 条变化" + (page.Reset ? "（副本重建）" : ""));
            });
        });

    private static Dictionary<string, object?> Zip(IReadOnlyList<string> names, IReadOnlyList<object?> values)
    {
        var row = new Dictionary<string, object?>(names.Count);
        for (var i = 0; i < names.Count; i++) row[names[i]] = values[i];
        return row;
    }

    private static Task<IResult> Rows(string code, HttpContext http, [FromServices] AccessGate gate, [FromServices] IGrantLookup grants,
        [FromServices] IAuditTrail audit, [FromServices] IGovernedDataAccess data) =>
        gate.RunAsync(http, new AccessSpec(AuditKinds.Query, GrantAccessMode.Api, Salted: false), code, grants, audit, context =>
        {
            var pairs = new List<KeyValuePair<string, string?>>();
            foreach (var (key, values) in context.Http.Request.Query)
            {
                if (values.Count == 0) pairs.Add(new(key, ""));
                foreach (var value in values) pairs.Add(new(key, value));
            }
            return new AccessPlan(WantedRows(context.Http.Request.Query), Partial: true, async (reserved, ct) =>
            {
                var page = await data.QueryAsync(context.Code, context.Policy, pairs, reserved is { } r ? (int)Math.Min(r, int.MaxValue) : null, ct);
                var names = page.Fields.Select(f => f.Name).ToList();
                var rows = page.Rows.Select(r =>
                {
                    var row = new Dictionary<string, object?>(names.Count);
                    for (var i = 0; i < names.Count; i++) row[names[i]] = r[i];
                    return row;
                }).ToList();
                var body = new AccessRowsResponse(context.RequestId, page.ResourceCode, context.Grant.GrantId, page.Version, page.LoadedAt,
                    page.Fields.Any(f => f.Masked), page.Fields.Select(Dto).ToList(), rows, page.Total, page.Limit, page.Offset, page.Next);
                return new AccessReply(body, rows.Count, $"接口查询：返回 {rows.Count} 行" + (page.Total is { } t ? $"（符合条件 {t} 行）" : ""));
            });
        });

    /// <summary>Rows a page may return, counted against a row quota before the query runs (the rest is given back).</summary>
    private static long WantedRows(IQueryCollection query)
    {
        foreach (var (key, values) in query)
            if (string.Equals(key, "limit", StringComparison.OrdinalIgnoreCase) && values.Count == 1
                && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
                return Math.Min(limit, 10_000);
        return AccessGate.DefaultPageRows;
    }

    private static AccessFieldDto Dto(DataFieldDescription f) => new(f.Name, f.ItemName, f.Type, f.Masked, f.IsKey);

    private static Task<IResult> Verify(string code, HttpContext http, [FromServices] AccessGate gate, [FromServices] IGrantLookup grants,
        [FromServices] IAuditTrail audit, [FromServices] IGovernedDataAccess data, [FromServices] IOptions<AccessOptions> options) =>
        gate.RunAsync(http, new AccessSpec(AuditKinds.Verify, GrantAccessMode.Verify, Salted: true), code, grants, audit, context =>
        {
            var (questions, batch) = VerifyBody.Parse(context.Body, options.Value.MaxVerifyBatch);
            return new AccessPlan(questions.Count, Partial: false, async (_, ct) =>
            {
                var outcomes = batch
                    ? await data.VerifyManyAsync(context.Code, context.Policy, questions, ct)
                    : [await data.VerifyAsync(context.Code, context.Policy, questions[0], ct)];
                var resourceCode = context.Code.ToString();
                object body = batch
                    ? new VerifyBatchResponse(context.RequestId, resourceCode,
                        outcomes.Select((o, i) => new VerifyItemDto(i, Code(o), Text(o))).ToList())
                    : new VerifyResponse(context.RequestId, resourceCode, Code(outcomes[0]), Text(outcomes[0]));
                return new AccessReply(body, outcomes.Count, $"核验 {outcomes.Count} 条");
            });
        });

    public static string Code(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Match => "match",
        VerificationOutcome.Mismatch => "mismatch",
        _ => "not_found",
    };

    public static string Text(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Match => "一致",
        VerificationOutcome.Mismatch => "不一致",
        _ => "库中无此记录",
    };
}

/// <summary>
/// Reads a 核验 body: <c>{"keys":{…},"claims":{…}}</c> or <c>{"items":[{"keys":…,"claims":…},…]}</c>. Values may be JSON
/// strings, numbers or booleans (taken as their text). Errors name the position and the field, never a value.
/// </summary>
internal static class VerifyBody
{
    public static (List<VerificationQuery> Questions, bool Batch) Parse(byte[] body, int maxBatch)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            throw AccessFailure.Invalid("body", "请求体不是有效的 JSON。应为 {\"keys\":{…},\"claims\":{…}} 或 {\"items\":[…]}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw AccessFailure.Invalid("body", "请求体应为 JSON 对象");
            if (root.TryGetProperty("items", out var items))
            {
                foreach (var p in root.EnumerateObject())
                    if (p.Name != "items") throw AccessFailure.Invalid(p.Name, $"批量核验的请求体只能有 items，不能同时有“{Shorten(p.Name)}”");
                if (items.ValueKind != JsonValueKind.Array) throw AccessFailure.Invalid("items", "items 应为数组");
                var count = items.GetArrayLength();
                if (count == 0) throw AccessFailure.Invalid("items", "items 不能为空");
                if (count > maxBatch) throw AccessFailure.Invalid("items", $"批量核验一次最多 {maxBatch} 条，本次 {count} 条");
                var list = new List<VerificationQuery>(count);
                var i = 0;
                foreach (var item in items.EnumerateArray()) list.Add(Question(item, $"items[{i++}]."));
                return (list, true);
            }
            return ([Question(root, "")], false);
        }
    }

    private static VerificationQuery Question(JsonElement element, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object) throw AccessFailure.Invalid(prefix.TrimEnd('.'), $"{Where(prefix)}应为 JSON 对象");
        Dictionary<string, string?>? keys = null, claims = null;
        foreach (var p in element.EnumerateObject())
        {
            switch (p.Name)
            {
                case "keys": keys = Values(p.Value, prefix + "keys"); break;
                case "claims": claims = Values(p.Value, prefix + "claims"); break;
                default: throw AccessFailure.Invalid(prefix + Shorten(p.Name), $"{Where(prefix)}有未知属性“{Shorten(p.Name)}”：只能有 keys（主键字段）与 claims（待核验的字段）");
            }
        }
        if (keys is null || keys.Count == 0) throw AccessFailure.Invalid(prefix + "keys", $"{Where(prefix)}缺少 keys（主键字段及其值）");
        return new VerificationQuery(keys, claims ?? new Dictionary<string, string?>());
    }

    private static Dictionary<string, string?> Values(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw AccessFailure.Invalid(path, $"{path} 应为 JSON 对象：{{\"字段\":\"值\"}}");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            var field = path + "." + Shorten(p.Name);
            string? value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => throw AccessFailure.Invalid(field, $"字段“{Shorten(p.Name)}”的值应为字符串、数字或布尔值"),
            };
            if (!values.TryAdd(p.Name, value)) throw AccessFailure.Invalid(field, $"字段“{Shorten(p.Name)}”重复");
        }
        return values;
    }

    private static string Where(string prefix) => prefix.Length == 0 ? "请求体" : $"第 {int.Parse(prefix[6..prefix.IndexOf(']')], CultureInfo.InvariantCulture) + 1} 条（{prefix.TrimEnd('.')}）";

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
