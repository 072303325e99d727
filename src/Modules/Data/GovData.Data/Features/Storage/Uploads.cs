using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace GovData.Data.Features.Storage;

/// <summary>A file received from a request into the blob store, with the form fields that came with it.</summary>
internal sealed record ReceivedUpload(StoredBlob Blob, string FileName, string? ContentType, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// Streams an upload into the blob store without buffering it: <c>multipart/form-data</c> (a <c>file</c> part plus form
/// fields, in any order) or the raw request body with the file name in <c>?fileName=</c>, the <c>X-File-Name</c> header
/// (percent-encoded for Chinese names) or <c>Content-Disposition</c>. The size limit is enforced while streaming.
/// </summary>
internal static class Uploads
{
    private const int MaxFieldLength = 64 * 1024;

    /// <summary>Chinese text describing how to upload (used in 400 answers and OpenAPI descriptions).</summary>
    public const string HowTo = "以 multipart/form-data 上传（文件字段 file，其他参数可作为表单字段或查询参数），或直接以文件内容作为请求体并在查询参数 fileName（或请求头 X-File-Name，中文需 URL 编码）中给出文件名";

    /// <summary>Receives the file; (null, Chinese reason) when the request carries none.</summary>
    /// <exception cref="BlobTooLargeException">Larger than the limit (nothing kept).</exception>
    public static async Task<(ReceivedUpload? Upload, string? Error)> ReceiveAsync(HttpRequest request, BlobStore blobs, string category, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = blobs.MaxUploadBytes + 1024 * 1024;   // form fields and part headers on top of the file
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.HasFormContentType && MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) return (null, "multipart/form-data 请求缺少 boundary");
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 64 * 1024 };
            StoredBlob? blob = null;
            string? fileName = null;
            string? contentType = null;
            try
            {
                MultipartSection? section;
                while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                    if (disposition.IsFileDisposition())
                    {
                        if (blob is not null)
                        {
                            await blobs.DeleteAsync(blob.Path);
                            return (null, "一次只能上传一个文件");
                        }
                        fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                        contentType = section.ContentType;
                        blob = await blobs.WriteAsync(section.Body, category, ct);
                    }
                    else if (disposition.IsFormDisposition())
                    {
                        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                        using var text = new StreamReader(section.Body, Encoding.UTF8);
                        var buffer = new char[MaxFieldLength + 1];
                        var read = await text.ReadBlockAsync(buffer, ct);
                        if (read > MaxFieldLength) return (await Discard(blobs, blob), $"表单字段“{name}”过长（最多 {MaxFieldLength} 个字符）");
                        fields[name] = new string(buffer, 0, read);
                    }
                }
            }
            catch
            {
                await Discard(blobs, blob);
                throw;
            }
            if (blob is null) return (null, "请求中没有文件：" + HowTo);
            if (blob.Size == 0) return (await Discard(blobs, blob), "上传的文件为空");
            return (new ReceivedUpload(blob, fileName ?? "上传文件", contentType, fields), null);
        }

        var raw = request.Query["fileName"].FirstOrDefault() ?? request.Headers["X-File-Name"].FirstOrDefault();
        if (raw is not null) raw = Uri.UnescapeDataString(raw);
        else if (ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var cd))
            raw = HeaderUtilities.RemoveQuotes(cd.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(cd.FileName).Value;
        if (string.IsNullOrWhiteSpace(raw)) return (null, "请提供文件名：" + HowTo);
        var stored = await blobs.WriteAsync(request.Body, category, ct);
        if (stored.Size == 0) return (await Discard(blobs, stored), "上传的文件为空（请求体没有内容）");
        return (new ReceivedUpload(stored, raw, request.ContentType, fields), null);
    }

    private static async Task<ReceivedUpload?> Discard(BlobStore blobs, StoredBlob? blob)
    {
        if (blob is not null) await blobs.DeleteAsync(blob.Path);
        return null;
    }
}
