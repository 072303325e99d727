using GovData.Catalog.Contracts;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Data.Features.Pages;

/// <summary>
/// Uploading a file of a resource (文件与接口): streamed into the blob store with its SHA-256 (<see cref="ConsoleUploads"/>,
/// token checked before storing), recorded through <see cref="ResourceFiles.AddAsync"/>. Managers of the resource only.
/// </summary>
[IgnoreAntiforgeryToken]
[DisableFormValueModelBinding]
internal sealed class FileUploadModel(ResourceFiles files, DataResources resources, BlobStore blobs, IAntiforgery antiforgery) : ResourcePageModel
{
    public override string Tab => "files";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        return Redirect(Resource.Path("/files"));
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        var ensured = await resources.EnsureAsync(ResourceCode.Parse(Resource.Code), ct);
        if (!ensured.Ok) return NotFound();
        var upload = await ConsoleUploads.ReceiveAsync(HttpContext, antiforgery, blobs, BlobStore.Files, _ => Task.FromResult(true), ct);
        if (upload.Forged) return BadRequest();
        var description = upload.Fields.GetValueOrDefault("description");
        if (upload.Blob is null || upload.FileError is not null || description is { Length: > 500 })
        {
            if (upload.Blob is not null) await blobs.DeleteAsync(upload.Blob.Path);
            TempData["Error"] = upload.FileError ?? (description is { Length: > 500 } ? "说明不能超过 500 个字符" : "请选择要上传的文件");
            return Redirect(Resource.Path("/files"));
        }
        var file = await files.AddAsync(ensured.Value!.Resource, new ReceivedUpload(upload.Blob, upload.FileName ?? "上传文件", upload.ContentType, upload.Fields),
            description, User, ct);
        TempData["Message"] = $"已上传文件“{file.FileName}”（{DataUi.Size(file.Size)}，SHA-256 {file.Sha256[..12]}…）";
        return Redirect(Resource.Path("/files"));
    }
}
