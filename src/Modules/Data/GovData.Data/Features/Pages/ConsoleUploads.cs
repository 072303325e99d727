using System.Text;
using GovData.Data.Features.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GovData.Data.Features.Pages;

/// <summary>What <see cref="ConsoleUploads.ReceiveAsync"/> got: the stored file (or none) and the form fields, or why it stopped.</summary>
internal sealed record ConsoleUpload(StoredBlob? Blob, string? FileName, string? ContentType, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>The antiforgery token was missing or wrong: nothing was stored.</summary>
    public bool Forged { get; init; }

    /// <summary>A Chinese reason the file was not stored (too large, no file, malformed request); field name "file".</summary>
    public string? FileError { get; init; }

    /// <summary>The form's fields were refused by the caller's check before the file arrived: the file was read and discarded.</summary>
    public bool RefusedBeforeFile { get; init; }
}

/// <summary>
/// Receives a console upload form (<c>multipart/form-data</c>) as a stream, so files of several GB go straight into the
/// blob store in constant memory instead of being buffered by form model binding (which would also cap them at the
/// form limit). Pages using it opt out of automatic antiforgery validation and form value binding
/// (<c>[IgnoreAntiforgeryToken]</c>, <see cref="DisableFormValueModelBindingAttribute"/>) and this class validates the token
/// itself: the forms put the token first and the file last, so the token and every option are checked before a single
/// byte of the file is stored. A token or file arriving in another order (a non-browser client) is still checked; the
/// stored file is then deleted when anything is wrong.
/// </summary>
internal static class ConsoleUploads
{
    /// <summary>Name of the file field of the console forms.</summary>
    public const string FileField = "file";

    private const int MaxFieldLength = 64 * 1024;

    /// <summary>
    /// Reads the form: fields, then the file into <paramref name="category"/> of the blob store if the token is valid and
    /// <paramref name="acceptFields"/> (called with the fields read so far when the file part starts) returns true;
    /// otherwise the file is read and discarded (the form shows the field errors).
    /// </summary>
    public static async Task<ConsoleUpload> ReceiveAsync(HttpContext http, IAntiforgery antiforgery, BlobStore blobs, string category,
        Func<IReadOnlyDictionary<string, string>, Task<bool>> acceptFields, CancellationToken ct)
    {
        var request = http.Request;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = blobs.MaxUploadBytes + 1024 * 1024;   // form fields and part headers on top of the file
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(HeaderUtilities.RemoveQuotes(media.Boundary).Value))
        {
            // Not a multipart upload (a form posted without its file input): the token decides between a forgery and "no file".
            var valid = request.HasFormContentType && await antiforgery.IsRequestValidAsync(http);
            if (valid)
                foreach (var (key, value) in await request.ReadFormAsync(ct)) fields[key] = value.ToString();
            return new ConsoleUpload(null, null, null, fields) { Forged = !valid, FileError = "请选择要上传的文件" };
        }

        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(media.Boundary).Value!, request.Body) { HeadersLengthLimit = 64 * 1024 };
        StoredBlob? blob = null;
        string? fileName = null, contentType = null, fileError = null;
        bool? tokenValid = null;
        var refused = false;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                if (disposition.IsFileDisposition())
                {
                    if (blob is not null || refused || fileError is not null)
                    {
                        await Drain(section.Body, ct);
                        fileError ??= "一次只能上传一个文件";
                        continue;
                    }
                    tokenValid ??= await ValidAsync(http, antiforgery, fields.GetValueOrDefault(TokenField(http)));
                    if (tokenValid == false) return new ConsoleUpload(null, null, null, fields) { Forged = true };
                    if (!await acceptFields(fields))
                    {
                        refused = true;
                        await Drain(section.Body, ct);
                        continue;
                    }
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    contentType = section.ContentType;
                    try
                    {
                        blob = await blobs.WriteAsync(section.Body, category, ct);
                    }
                    catch (BlobTooLargeException ex)
                    {
                        fileError = ex.Message;
                        await Drain(section.Body, ct);
                    }
                }
                else if (disposition.IsFormDisposition())
                {
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    using var text = new StreamReader(section.Body, Encoding.UTF8);
                    var buffer = new char[MaxFieldLength + 1];
                    var read = await text.ReadBlockAsync(buffer, ct);
                    if (read > MaxFieldLength)
                    {
                        fileError ??= $"表单字段“{name}”过长（最多 {MaxFieldLength} 个字符）";
                        await Drain(section.Body, ct);
                        continue;
                    }
                    fields[name] = new string(buffer, 0, read);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException && !ct.IsCancellationRequested)
        {
            await Discard(blobs, blob);
            return new ConsoleUpload(null, null, null, fields)
            {
                Forged = tokenValid == false, FileError = $"上传中断或请求格式不正确（{ex.Message}），文件未保存，请重新上传",
            };
        }
        catch
        {
            await Discard(blobs, blob);
            throw;
        }

        tokenValid ??= await ValidAsync(http, antiforgery, fields.GetValueOrDefault(TokenField(http)));
        if (tokenValid == false)
        {
            await Discard(blobs, blob);
            return new ConsoleUpload(null, null, null, fields) { Forged = true };
        }
        if (blob is { Size: 0 })
        {
            await Discard(blobs, blob);
            return new ConsoleUpload(null, null, null, fields) { FileError = $"上传的文件“{fileName}”是空文件" };
        }
        if (fileError is not null)
        {
            await Discard(blobs, blob);
            return new ConsoleUpload(null, null, null, fields) { FileError = fileError, RefusedBeforeFile = refused };
        }
        if (blob is null && !refused) fileError = "请选择要上传的文件";
        return new ConsoleUpload(blob, fileName, contentType, fields) { FileError = fileError, RefusedBeforeFile = refused };
    }

    private static AntiforgeryOptions Options(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;

    private static string TokenField(HttpContext http) => Options(http).FormFieldName;

    /// <summary>
    /// Validates the form's token against the antiforgery cookie. The token store reads the request header before the
    /// form, so the token taken from the stream is handed to it as that header (always overwritten: a header the client
    /// sent itself is never trusted).
    /// </summary>
    private static async Task<bool> ValidAsync(HttpContext http, IAntiforgery antiforgery, string? token)
    {
        if (string.IsNullOrEmpty(token) || Options(http).HeaderName is not { Length: > 0 } header) return false;
        http.Request.Headers[header] = token;
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
        finally
        {
            http.Request.Headers.Remove(header);
        }
    }

    private static async Task Drain(Stream body, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        while (await body.ReadAsync(buffer, ct) > 0) { }
    }

    private static async Task Discard(BlobStore blobs, StoredBlob? blob)
    {
        if (blob is not null) await blobs.DeleteAsync(blob.Path);
    }
}

/// <summary>
/// Keeps MVC from reading the request form on a page that streams its upload (<see cref="ConsoleUploads"/>): the form
/// value providers would buffer the whole multipart body before the handler runs.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class DisableFormValueModelBindingAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var factories = context.ValueProviderFactories;
        factories.RemoveType<FormValueProviderFactory>();
        factories.RemoveType<FormFileValueProviderFactory>();
        factories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context) { }
}
