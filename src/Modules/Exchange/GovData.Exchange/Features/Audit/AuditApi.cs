using System.Globalization;
using System.Security.Claims;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Audit;

internal sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, int Total, int Page, int PageSize);

internal sealed record CheckpointDto(long TreeSize, string RootHash, string ChainHash, DateTime SignedAt, string KeyId, string Signature, string Statement)
{
    public static CheckpointDto From(AuditCheckpoint c) =>
        new(c.TreeSize, c.RootHash.Trim(), c.ChainHash.Trim(), c.SignedAt, c.KeyId, c.Signature, CheckpointStatement.Text(c));
}

internal sealed record CheckpointPage(IReadOnlyList<CheckpointDto> Items, long Total, int Page, int PageSize);

internal sealed record PublicKeyDto(string KeyId, string Algorithm, string PublicKeyPem, DateTime CreatedAt, bool Current);

internal sealed record PublicKeysDto(IReadOnlyList<PublicKeyDto> Keys);

/// <summary>
/// An inclusion proof as served: the entry, its canonical bytes (base64, so the client recomputes the leaf hash
/// SHA-256(0x00 ‖ bytes) itself), the audit path and the signed checkpoint.
/// </summary>
internal sealed record InclusionProofDto(long Seq, long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, bool Verified,
    string EntryBytes, CheckpointDto Checkpoint, AuditEntryDto Entry);

internal sealed record ConsistencyProofDto(long FromSize, long ToSize, string FromRoot, string ToRoot, IReadOnlyList<string> Proof, bool Verified);

/// <summary>
/// <c>/api/v1/exchange/audit</c>: the tamper-evident log of the exchange. Read only — there is no endpoint that
/// changes or removes anything.
/// <list type="bullet">
/// <item>Auditors (<see cref="Policies.ReadAuditLog"/>: 安全审计员 and 平台管理员; API keys with scope <c>audit:read</c>):
/// search, one entry, export (CSV/XLSX), verify.</item>
/// <item>Any department staff (API keys with <c>audit:read</c>): checkpoints, consistency proofs, and inclusion proofs of
/// entries of their own department (as consumer or provider); auditors prove any entry.</item>
/// <item>Anyone: the node's public keys.</item>
/// </list>
/// </summary>
internal static class AuditApi
{
    /// <summary>Policy of the department endpoints (proofs, checkpoints): government staff whose key (if any) carries audit:read.</summary>
    public const string ProvePolicy = "govdata.exchange.audit_prove";

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/audit").WithTags("交换审计日志");
        g.MapGet("/entries", Search).RequireAuthorization(Policies.ReadAuditLog)
            .WithSummary("检索审计日志（分页）")
            .WithDescription("按时间范围（from/to：日期如 2026-01-31 按服务器时区计整天，或带时区的时间；to 为日期时包含当天）、部门（department：用数方或提供方）、资源代码（resource，前缀匹配）、" +
                             "类型（kind）、结果（outcome）、授权（grant）筛选，按序号倒序分页（page、pageSize）。");
        g.MapGet("/entries/export", Export).RequireAuthorization(Policies.ReadAuditLog)
            .WithSummary("导出审计日志（CSV 或 XLSX，流式）")
            .WithDescription("format=csv（默认，UTF-8 带 BOM）或 xlsx；筛选参数同检索接口；按序号正序输出全部匹配记录。");
        g.MapGet("/entries/{seq}", Get).RequireAuthorization(Policies.ReadAuditLog).WithSummary("一条审计记录");
        g.MapGet("/entries/{seq}/proof", Proof).RequireAuthorization(ProvePolicy)
            .WithSummary("包含证明（RFC 6962 审计路径）")
            .WithDescription("证明第 seq 条记录包含在已签名的检查点中。treeSize 指定检查点（默认为覆盖该记录的最早检查点）。部门人员只能获取本部门（用数方或提供方）的记录的证明，审计员可获取任意记录的证明。");
        g.MapGet("/checkpoints", Checkpoints).RequireAuthorization(ProvePolicy).WithSummary("签名检查点（按树大小倒序分页）");
        g.MapGet("/checkpoints/latest", LatestCheckpoint).RequireAuthorization(ProvePolicy).WithSummary("最新的签名检查点");
        g.MapGet("/checkpoints/consistency", Consistency).RequireAuthorization(ProvePolicy)
            .WithSummary("一致性证明（RFC 6962）")
            .WithDescription("证明树大小 from 的检查点是树大小 to 的检查点的前缀（日志只追加、未被改写）。");
        g.MapGet("/public-key", PublicKeys).AllowAnonymous().WithSummary("节点签名公钥（ECDSA P-256，PEM）");
        g.MapPost("/verify", Verify).RequireAuthorization(Policies.ReadAuditLog)
            .WithSummary("校验整个审计日志")
            .WithDescription("逐条重算记录哈希、哈希链与序号连续性，并重算每个检查点的默克尔根、校验其签名；报告首个被修改、删除或调换的记录。结果同时保存，可在“审计日志校验”页面查看。");
        return g;
    }

    /// <summary>True for callers who may see and prove every entry.</summary>
    public static bool IsAuditor(ClaimsPrincipal user) => user.IsInRole(Roles.SecurityAuditor) || user.IsInRole(Roles.PlatformAdmin);

    /// <summary>True when the entry concerns the caller's department (as consumer or provider).</summary>
    public static bool IsOwnEntry(ClaimsPrincipal user, AuditEntry e) =>
        user.GetDepartmentId() is { } d && (e.ConsumerDepartmentId == d || e.ProviderDepartmentId == d);

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> Search(
        string? from, string? to, string? department, string? resource, string? kind, string? outcome, string? grant, string? page, string? pageSize,
        ExchangeDb db, AuditNames names, IOptions<AuditOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = AuditQuery.Parse(from, to, department, resource, kind, outcome, grant, errors);
        var (p, size) = AuditQuery.ParsePaging(page, pageSize, 50, Math.Max(1, options.Value.MaxPageSize), errors);
        if (errors.Count > 0) return Problems.Validation(errors);
        var filtered = query.Apply(db);
        var total = await filtered.CountAsync(ct);
        var entries = await filtered.OrderByDescending(e => e.Seq).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var items = new List<AuditEntryDto>(entries.Count);
        foreach (var e in entries) items.Add(await names.ToDtoAsync(e, ct));
        return TypedResults.Ok(new AuditPage(items, total, p, size));
    }

    private static Results<AuditExportResult, ValidationProblem> Export(
        string? format, string? from, string? to, string? department, string? resource, string? kind, string? outcome, string? grant)
    {
        var errors = new Dictionary<string, string[]>();
        var query = AuditQuery.Parse(from, to, department, resource, kind, outcome, grant, errors);
        var f = string.IsNullOrWhiteSpace(format) ? "csv" : format.Trim().ToLowerInvariant();
        if (f is not ("csv" or "xlsx")) errors["format"] = [$"参数 format（导出格式）的值“{format!.Trim()}”无效，应为 csv 或 xlsx"];
        if (errors.Count > 0) return Problems.Validation(errors);
        return new AuditExportResult(query, f);
    }

    private static async Task<Results<Ok<AuditEntryDto>, ValidationProblem, ProblemHttpResult>> Get(string seq, ExchangeDb db, AuditNames names, CancellationToken ct)
    {
        if (!TryParseSeq(seq, out var n, out var error)) return error!;
        var entry = await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Seq == n, ct);
        return entry is null ? Problems.NotFound($"审计日志中没有第 {n} 条记录") : TypedResults.Ok(await names.ToDtoAsync(entry, ct));
    }

    private static async Task<Results<Ok<InclusionProofDto>, ValidationProblem, ProblemHttpResult>> Proof(
        string seq, string? treeSize, ClaimsPrincipal user, ExchangeDb db, AuditProofs proofs, AuditNames names, CancellationToken ct)
    {
        if (!TryParseSeq(seq, out var n, out var error)) return error!;
        long? size = null;
        if (!string.IsNullOrWhiteSpace(treeSize))
        {
            if (long.TryParse(treeSize.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s >= 1) size = s;
            else return Problems.Validation("treeSize", $"参数 treeSize（检查点的树大小）的值“{treeSize.Trim()}”无效，应为正整数");
        }
        var entry = await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Seq == n, ct);
        if (entry is null) return Problems.NotFound($"审计日志中没有第 {n} 条记录");
        if (!IsAuditor(user) && !IsOwnEntry(user, entry))
            return Problems.Forbidden($"第 {n} 条记录不属于本部门（既不是本部门用数，也不是使用本部门提供的数据），只能获取本部门记录的包含证明");
        if (size is { } ts && ts < n)
            return Problems.Validation("treeSize", $"树大小为 {ts} 的检查点不包含第 {n} 条记录（treeSize 应不小于 {n}）");
        var proof = await proofs.InclusionAsync(n, size, ct);
        if (proof is null)
            return size is { } requested
                ? Problems.NotFound($"没有树大小为 {requested} 的检查点")
                : Problems.Conflict($"第 {n} 条记录尚未被签名检查点封存，请在下次封存后再获取包含证明");
        var bytes = AuditEncoding.Encode(entry.Seq, entry.RecordedAt, entry.ToRecord());
        return TypedResults.Ok(new InclusionProofDto(proof.Seq, proof.LeafIndex, proof.Checkpoint.TreeSize, AuditEncoding.Hex(proof.LeafHash),
            proof.Path.Select(h => AuditEncoding.Hex(h)).ToList(), proof.Verified, Convert.ToBase64String(bytes),
            CheckpointDto.From(proof.Checkpoint), await names.ToDtoAsync(entry, ct)));
    }

    private static async Task<Results<Ok<CheckpointPage>, ValidationProblem>> Checkpoints(string? page, string? pageSize, ExchangeDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (p, size) = AuditQuery.ParsePaging(page, pageSize, 50, 500, errors);
        if (errors.Count > 0) return Problems.Validation(errors);
        var total = await db.AuditCheckpoints.LongCountAsync(ct);
        var items = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new CheckpointPage(items.Select(CheckpointDto.From).ToList(), total, p, size));
    }

    private static async Task<Results<Ok<CheckpointDto>, ProblemHttpResult>> LatestCheckpoint(ExchangeDb db, CancellationToken ct)
    {
        var latest = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);
        return latest is null ? Problems.NotFound("审计日志尚未封存，还没有签名检查点") : TypedResults.Ok(CheckpointDto.From(latest));
    }

    private static async Task<Results<Ok<ConsistencyProofDto>, ValidationProblem, ProblemHttpResult>> Consistency(
        string? from, string? to, ExchangeDb db, AuditProofs proofs, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromSize = ParseSize("from", "旧检查点的树大小", from, errors);
        var toSize = ParseSize("to", "新检查点的树大小", to, errors);
        if (fromSize is { } a && toSize is { } b && a > b) errors["to"] = ["参数 to（新检查点的树大小）应不小于 from"];
        if (errors.Count > 0) return Problems.Validation(errors);
        var old = await db.AuditCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.TreeSize == fromSize, ct);
        var @new = await db.AuditCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.TreeSize == toSize, ct);
        if (old is null || @new is null) return Problems.NotFound($"没有树大小为 {(old is null ? fromSize : toSize)} 的检查点");
        var proof = await proofs.ConsistencyAsync(old.TreeSize, @new.TreeSize, ct);
        var verified = AuditEncoding.TryParseHash(old.RootHash, out var oldRoot) && AuditEncoding.TryParseHash(@new.RootHash, out var newRoot)
                       && MerkleTree.VerifyConsistency(old.TreeSize, @new.TreeSize, oldRoot, newRoot, proof);
        return TypedResults.Ok(new ConsistencyProofDto(old.TreeSize, @new.TreeSize, old.RootHash.Trim(), @new.RootHash.Trim(),
            proof.Select(h => AuditEncoding.Hex(h)).ToList(), verified));
    }

    private static long? ParseSize(string name, string label, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) { errors[name] = [$"缺少参数 {name}（{label}）"]; return null; }
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) return n;
        errors[name] = [$"参数 {name}（{label}）的值“{text.Trim()}”无效，应为正整数"];
        return null;
    }

    private static async Task<Ok<PublicKeysDto>> PublicKeys(NodeKeys keys, CancellationToken ct)
    {
        var list = await keys.ListAsync(ct);
        return TypedResults.Ok(new PublicKeysDto(list.Select((k, i) => new PublicKeyDto(k.KeyId, k.Algorithm, k.Pem, k.CreatedAt, i == 0)).ToList()));
    }

    private static async Task<Ok<AuditVerificationReport>> Verify(ClaimsPrincipal user, AuditVerifications verifications, CancellationToken ct)
    {
        var (_, report) = await verifications.RunAsync(user, ct);
        return TypedResults.Ok(report);
    }

    private static bool TryParseSeq(string text, out long seq, out ValidationProblem? error)
    {
        error = null;
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seq) && seq >= 1) return true;
        error = Problems.Validation("seq", $"记录序号 seq 的值“{text.Trim()}”无效，应为正整数");
        return false;
    }
}
