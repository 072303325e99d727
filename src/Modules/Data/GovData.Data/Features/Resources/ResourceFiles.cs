using System.Security.Claims;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Resources;

/// <summary>
/// Non-tabular files of a resource (documents, images, archives) in the blob store with their SHA-256, and links to
/// external APIs. Adding and deleting: the resource's managers (<see cref="DataAccess.CanManage"/>); reading: insiders
/// (files may hold anything, so only the department and platform administrators get them until sharing grants exist).
/// </summary>
internal sealed class ResourceFiles(DataDb db, BlobStore blobs, TimeProvider clock)
{
    /// <summary>Records an uploaded blob as a file of the resource.</summary>
    public async Task<DataFile> AddAsync(DataResource resource, ReceivedUpload upload, string? description, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var file = new DataFile
        {
            Id = Guid.CreateVersion7(), ResourceId = resource.Id, FileName = Loading.LoadService.CleanFileName(upload.FileName),
            ContentType = string.IsNullOrWhiteSpace(upload.ContentType) || upload.ContentType.Length > 200 ? GuessContentType(upload.FileName) : upload.ContentType,
            Size = upload.Blob.Size, Sha256 = upload.Blob.Sha256, BlobPath = upload.Blob.Path,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim()[..Math.Min(description.Trim().Length, 500)],
            UploadedBy = user.GetUserId(), UploadedByName = user.GetDisplayName(), UploadedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Files.Add(file);
        await db.SaveChangesAsync(ct);
        return file;
    }

    /// <summary>A file and its content stream, or null.</summary>
    public async Task<(DataFile File, Stream Content)?> OpenAsync(DataResource resource, Guid id, CancellationToken ct = default)
    {
        var file = await db.Files.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.ResourceId == resource.Id, ct);
        if (file is null) return null;
        var stream = blobs.OpenRead(file.BlobPath);
        return stream is null ? null : (file, stream);
    }

    public async Task<bool> DeleteAsync(DataResource resource, Guid id, CancellationToken ct = default)
    {
        var file = await db.Files.FirstOrDefaultAsync(f => f.Id == id && f.ResourceId == resource.Id, ct);
        if (file is null) return false;
        db.Files.Remove(file);
        await db.SaveChangesAsync(ct);
        await blobs.DeleteAsync(file.BlobPath);
        return true;
    }

    /// <summary>Adds a link; (null, field errors) when the URL is not an absolute http(s) address.</summary>
    public async Task<(DataLink? Link, Dictionary<string, string[]>? Errors)> AddLinkAsync(DataResource resource, string? url, string? description,
        ClaimsPrincipal user, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors["url"] = ["链接地址应为完整的 http:// 或 https:// 地址"];
        else if (url.Trim().Length > 2000) errors["url"] = ["链接地址不能超过 2000 个字符"];
        if (description is { Length: > 500 }) errors["description"] = ["说明不能超过 500 个字符"];
        if (errors.Count > 0) return (null, errors);
        var link = new DataLink
        {
            Id = Guid.CreateVersion7(), ResourceId = resource.Id, Url = url!.Trim(), Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            CreatedBy = user.GetUserId(), CreatedByName = user.GetDisplayName(), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Links.Add(link);
        await db.SaveChangesAsync(ct);
        return (link, null);
    }

    public async Task<bool> DeleteLinkAsync(DataResource resource, Guid id, CancellationToken ct = default) =>
        await db.Links.Where(l => l.Id == id && l.ResourceId == resource.Id).ExecuteDeleteAsync(ct) == 1;

    /// <summary>Content type from the extension when the client sent none.</summary>
    public static string GuessContentType(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".doc" => "application/msword",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xls" => "application/vnd.ms-excel",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        ".json" => "application/json",
        ".xml" => "application/xml",
        ".zip" => "application/zip",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        ".mp4" => "video/mp4",
        _ => "application/octet-stream",
    };
}
