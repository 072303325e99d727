using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Access;

/// <summary>A file extract as the consumer sees it; <see cref="DownloadUrl"/> only in the answer that created it.</summary>
internal sealed record FileJobDto(
    string RequestId, Guid JobId, string ResourceCode, string Status, string StatusText, string Format, DateTime RequestedAt, DateTime? StartedAt,
    DateTime? FinishedAt, long Rows, long SizeBytes, string? Sha256, string? FileName, DateTime? LinkExpiresAt, string? Error, string StatusUrl,
    string? DownloadUrl)
{
    public static FileJobDto From(FileJob j, string requestId, string? downloadUrl) => new(requestId, j.Id, j.ResourceCode, j.Status, FileStatus.Label(j.Status),
        j.Format, j.RequestedAt, j.StartedAt, j.FinishedAt, j.Rows, j.SizeBytes, j.Sha256, j.FileName, j.LinkExpiresAt, j.Error,
        $"/api/v1/exchange/files/{Uri.EscapeDataString(j.ResourceCode)}/jobs/{j.Id}", downloadUrl);
}

/// <summary>
/// 文件交付: <c>POST /api/v1/exchange/files/{code}</c> (signed; grant mode <c>file</c>) checks the extract — format, the
/// rows-API query under the grant — and queues it (202, with the download link, valid once the extract is ready until
/// it expires); <c>GET /api/v1/exchange/files/{code}/jobs/{id}</c> (signed) shows its state;
/// <c>GET /api/v1/exchange/files/download/{token}</c> downloads it: the link is the credential (a 32-byte random token,
/// stored only as its SHA-256), checked against the grant again, logged like every access.
/// </summary>
internal static class FilesApi
{
    private static readonly HashSet<string> ExportOptions = new(StringComparer.OrdinalIgnoreCase) { "format", "bom", "encoding", "header" };

    public static RouteGroupBuilder MapFilesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/files/{code}", Request)
            .AllowAnonymous()
            .WithTags("共享数据调用")
            .WithSummary("文件交付：申请生成数据文件（后台生成，链接限时有效）")
            .WithDescription("按本部门对该资源的有效授权（文件交付方式）在后台生成文件：format=csv|json|ndjson|xlsx|xml（CSV 可加 bom=true、encoding=gbk、header=code），" +
                "其余查询参数同 rows 接口（筛选、fields、sort、limit），只含授权的信息项与行范围，按授权脱敏。返回 202 与下载链接 downloadUrl（只返回这一次；文件就绪后可下载，" +
                "到 linkExpiresAt 失效）。须按平台规则签名。");
        api.MapGet("/files/{code}/jobs/{id:guid}", Status)
            .AllowAnonymous()
            .WithTags("共享数据调用")
            .WithSummary("文件交付：查询生成状态")
            .WithDescription("queued 排队中、running 生成中、ready 可下载、failed 生成失败（error 说明原因）、expired 链接已过期。须按平台规则签名。");
        api.MapGet("/files/download/{token}", Download)
            .AllowAnonymous()
            .WithTags("共享数据调用")
            .WithSummary("文件交付：下载（链接即凭证，限时有效）")
            .WithDescription("文件就绪后可下载；未就绪返回 409，链接过期返回 410，授权已撤销或过期返回 403。响应头 X-Content-SHA256 为文件摘要。");
        return api;
    }

    private static Task<IResult> Request(string code, HttpContext http, [FromServices] AccessGate gate, [FromServices] IGrantLookup grants,
        [FromServices] IAuditTrail audit, [FromServices] IGovernedDataAccess data, [FromServices] ExchangeDb db, [FromServices] FileJobSignal signal,
        [FromServices] TimeProvider clock, [FromServices] IOptions<FileDeliveryOptions> options) =>
        gate.RunAsync(http, new AccessSpec(AuditKinds.File, GrantAccessMode.File, Salted: false), code, grants, audit, context =>
        {
            var query = context.Http.Request.Query;
            string? One(string name) => query.TryGetValue(name, out var v)
                ? v.Count == 1 ? v[0] : throw AccessFailure.Invalid(name, $"参数 {name} 只能出现一次")
                : null;
            var format = (One("format") ?? "csv").Trim().ToLowerInvariant() switch
            {
                "csv" => DataExportFormat.Csv,
                "json" => DataExportFormat.Json,
                "ndjson" or "jsonl" => DataExportFormat.Ndjson,
                "xlsx" or "excel" => DataExportFormat.Xlsx,
                "xml" => DataExportFormat.Xml,
                var other => throw AccessFailure.Invalid("format", $"不支持的文件格式“{(other.Length > 20 ? other[..20] : other)}”，可选：csv、json、ndjson、xlsx、xml"),
            };
            bool Choice(string name, string[] no, string[] yes)
            {
                var v = One(name)?.Trim().ToLowerInvariant();
                if (v is null || no.Contains(v)) return false;
                return yes.Contains(v) ? true : throw AccessFailure.Invalid(name, $"参数 {name} 的值无效，可选：{string.Join("、", no.Concat(yes))}");
            }
            var export = new DataExportRequest(format, Choice("bom", ["false", "0"], ["true", "1"]), Choice("encoding", ["utf-8", "utf8"], ["gbk", "gb18030"]),
                Choice("header", ["name"], ["code"]));
            var pairs = new List<KeyValuePair<string, string?>>();
            long? requestedLimit = null;
            foreach (var (key, values) in query)
            {
                if (ExportOptions.Contains(key)) continue;
                if (key.Equals("limit", StringComparison.OrdinalIgnoreCase) && values.Count == 1 && long.TryParse(values[0], out var l) && l >= 0) requestedLimit = l;
                if (values.Count == 0) pairs.Add(new(key, ""));
                foreach (var value in values) pairs.Add(new(key, value));
            }
            var quotaRows = context.Grant.DailyQuota is not null && context.Grant.QuotaUnit == GrantQuotaUnit.Rows;
            var wanted = quotaRows ? Math.Min(requestedLimit ?? options.Value.MaxRowsPerQuotaExtract, options.Value.MaxRowsPerQuotaExtract) : 1;
            return new AccessPlan(wanted, Partial: true, async (reserved, ct) =>
            {
                // A row quota's reservation becomes the extract's row limit.
                if (reserved is { } r && (requestedLimit is null || requestedLimit > r))
                {
                    pairs.RemoveAll(p => p.Key.Equals("limit", StringComparison.OrdinalIgnoreCase));
                    pairs.Add(new("limit", r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                // Every error of the extract (fields, filters, options) is found now, not in the background.
                await data.PrepareExportAsync(context.Code, context.Policy, export, pairs, ct);
                var now = clock.GetUtcNow();
                var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
                var job = new FileJob
                {
                    Id = Guid.CreateVersion7(),
                    GrantId = context.Grant.GrantId,
                    ConsumerDepartmentId = context.Grant.ConsumerDepartmentId,
                    ProviderDepartmentId = context.Grant.ProviderDepartmentId,
                    ClientId = context.Http.Request.Headers[RequestSigning.ClientHeader].ToString(),
                    ResourceCode = context.Code.ToString(),
                    Format = format.ToString().ToLowerInvariant(),
                    Bom = export.Bom,
                    Gb18030 = export.Gb18030,
                    FieldCodeHeader = export.FieldCodeHeader,
                    QueryJson = JsonSerializer.Serialize(pairs.Select(p => new[] { p.Key, p.Value ?? "" })),
                    RequestId = context.RequestId,
                    Issue = Issue(context.Http),
                    Status = FileStatus.Queued,
                    QuotaRows = reserved,
                    QuotaDay = reserved is null ? null : gate.LocalDay(now).Start,
                    RequestedAt = now.UtcDateTime,
                    DownloadTokenHash = FileJob.TokenHash(token),
                };
                db.FileJobs().Add(job);
                await db.SaveChangesAsync(ct);
                signal.Notify();
                var dto = FileJobDto.From(job, context.RequestId, "/api/v1/exchange/files/download/" + token);
                return new AccessReply(dto, 0, $"文件交付：申请生成 {job.Format.ToUpperInvariant()} 文件（任务 {job.Id}）",
                    QuotaKept: reserved ?? 1, Status: StatusCodes.Status202Accepted, Location: dto.StatusUrl);
            });
        });

    private static string? Issue(HttpContext http)
    {
        var raw = http.Request.Headers[RequestSigning.IssueHeader].ToString();
        return raw.Length == 0 ? null : Uri.UnescapeDataString(raw).Trim() is { Length: > 0 } t ? t : null;
    }

    private static Task<IResult> Status(string code, Guid id, HttpContext http, [FromServices] AccessGate gate, [FromServices] IGrantLookup grants,
        [FromServices] IAuditTrail audit, [FromServices] ExchangeDb db) =>
        gate.RunAsync(http, new AccessSpec(AuditKinds.File, GrantAccessMode.File, Salted: false), code, grants, audit, context =>
            new AccessPlan(0, Partial: true, Quota: false, Execute: async (_, ct) =>
            {
                var job = await db.FileJobs().AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
                if (job is null || job.ConsumerDepartmentId != context.Grant.ConsumerDepartmentId || job.ResourceCode != context.Code.ToString())
                    throw new AccessFailure(StatusCodes.Status404NotFound, AuditOutcomes.Invalid, "文件交付任务不存在");
                return new AccessReply(FileJobDto.From(job, context.RequestId, null), 0, $"文件交付：查询任务 {job.Id}（{FileStatus.Label(job.Status)}）");
            }));

    private static async Task<IResult> Download(string token, HttpContext http, [FromServices] ExchangeDb db, [FromServices] IGrantLookup grants,
        [FromServices] IAuditTrail audit, [FromServices] FileDelivery delivery, [FromServices] TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var now = clock.GetUtcNow().UtcDateTime;
        var job = token.Length is > 20 and < 100 ? await db.FileJobs().AsNoTracking().FirstOrDefaultAsync(j => j.DownloadTokenHash == FileJob.TokenHash(token), ct) : null;
        var record = new AuditRecord(AuditKinds.File, AuditOutcomes.Invalid, ConsumerDepartmentId: job?.ConsumerDepartmentId,
            ProviderDepartmentId: job?.ProviderDepartmentId, ClientId: job?.ClientId, ResourceCode: job?.ResourceCode, GrantId: job?.GrantId,
            Issue: job?.Issue, MessageId: job?.RequestId);
        async Task<IResult> Refuse(int status, string outcome, string detail)
        {
            var problem = AccessResponse.Problem(status, detail);
            await audit.AppendAsync(record with { Outcome = outcome, Detail = "文件下载：" + detail, ResponseHash = Convert.ToHexStringLower(SHA256.HashData(problem.Body)) }, ct);
            return problem;
        }
        if (job is null) return await Refuse(StatusCodes.Status404NotFound, AuditOutcomes.Invalid, "下载链接无效");
        if (job.Status == FileStatus.Expired || job.Status == FileStatus.Ready && job.LinkExpiresAt <= now)
            return await Refuse(StatusCodes.Status410Gone, AuditOutcomes.Invalid, $"下载链接已于 {job.LinkExpiresAt:yyyy-MM-dd HH:mm} (UTC) 过期，请重新申请文件");
        if (job.Status == FileStatus.Failed) return await Refuse(StatusCodes.Status409Conflict, AuditOutcomes.Invalid, "文件生成失败：" + job.Error);
        if (job.Status != FileStatus.Ready) return await Refuse(StatusCodes.Status409Conflict, AuditOutcomes.Invalid, $"文件{FileStatus.Label(job.Status)}，请稍后再下载");
        var found = await grants.FindActiveAsync(job.ConsumerDepartmentId, job.ResourceCode, GrantAccessMode.File, now, ct);
        if (found.Grant?.GrantId != job.GrantId)
            return await Refuse(StatusCodes.Status403Forbidden, AuditOutcomes.Denied, "生成该文件的授权已失效（已撤销、已过期或已更换），不能下载");
        var path = delivery.PathOf(job.BlobPath!);
        if (!File.Exists(path)) return await Refuse(StatusCodes.Status410Gone, AuditOutcomes.Invalid, "文件已被清理，请重新申请");
        await db.FileJobs().Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Downloads, j => j.Downloads + 1), ct);
        await audit.AppendAsync(record with { Outcome = AuditOutcomes.Ok, RowsReturned = job.Rows, ResponseHash = job.Sha256,
            Detail = $"文件下载：{job.FileName}（{job.Rows} 行，{job.SizeBytes} 字节）" }, ct);
        http.Response.Headers["X-Content-SHA256"] = job.Sha256;
        http.Response.Headers[RequestSigning.ResponseHashHeader] = job.Sha256;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(path, job.ContentType ?? "application/octet-stream", job.FileName);
    }
}
