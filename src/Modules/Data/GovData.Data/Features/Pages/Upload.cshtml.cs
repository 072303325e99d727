using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Pages;

/// <summary>The upload form's option fields as typed (re-shown after an error).</summary>
internal sealed class UploadForm
{
    public string Mode { get; set; } = "full";
    public string? NullMarkers { get; set; }
    public string? Threshold { get; set; }
    public string? Encoding { get; set; }
    public string? Delimiter { get; set; }
    public string? Sheet { get; set; }
    public string? Format { get; set; }

    public static UploadForm From(IReadOnlyDictionary<string, string> fields) => new()
    {
        Mode = fields.GetValueOrDefault("mode") is { Length: > 0 } m ? m : "full",
        NullMarkers = fields.GetValueOrDefault("nullMarkers"),
        Threshold = fields.GetValueOrDefault("threshold"),
        Encoding = fields.GetValueOrDefault("encoding"),
        Delimiter = fields.GetValueOrDefault("delimiter"),
        Sheet = fields.GetValueOrDefault("sheet"),
        Format = fields.GetValueOrDefault("format"),
    };

    /// <summary>The load options, or the Chinese errors per field (keys are the field names).</summary>
    public (LoadOptions? Options, Dictionary<string, string[]>? Errors) Parse() =>
        LoadOptions.Parse(Mode, null, string.IsNullOrWhiteSpace(NullMarkers) ? null : NullMarkers, Threshold, Encoding, Delimiter, Sheet, Format);
}

/// <summary>
/// 上传数据 (step 1 of 2): the file and the load options — mode 全量/追加/按主键更新, null markers, error threshold, and
/// encoding/delimiter/sheet/format overrides. The form is received as a stream (<see cref="ConsoleUploads"/>; files of
/// several GB, up to <c>GovData:Data:MaxUploadBytes</c>): the token and every option are checked before the file is
/// stored, so a wrong option stores nothing. The stored file becomes a load waiting for its mapping
/// (<see cref="StagedLoads"/>) and the page redirects to the mapping step.
/// </summary>
[IgnoreAntiforgeryToken]
[DisableFormValueModelBinding]
internal sealed class UploadModel(LoadService loads, StagedLoads staged, BlobStore blobs, IAntiforgery antiforgery) : ResourcePageModel
{
    public override string Tab => "upload";

    public UploadForm Form { get; private set; } = new();
    public FormErrors Errors { get; } = new();
    public bool HasCurrentVersion { get; private set; }
    public bool HasKeys { get; private set; }
    public long MaxUploadBytes => blobs.MaxUploadBytes;

    public static readonly (string Value, string Label, string Hint)[] Modes =
    [
        ("full", "全量", "生成新版本，加载完成后原子切换为当前版本；原版本保留，可回退"),
        ("append", "追加", "把文件中的行追加到当前版本；主键已存在的行不覆盖，作为错误报告"),
        ("upsert", "按主键更新", "按主键更新当前版本：已有的行被替换，新的行被追加（需要信息项中有主键）"),
    ];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadAsync(code, ct) is { } stop) return stop;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        if (await LoadAsync(code, ct) is { } stop) return stop;
        var parsed = ResourceCode.Parse(Resource.Code);
        DataResult<ResourceContext>? prepared = null;
        LoadOptions? options = null;

        // Called with the fields that precede the file: the file is only stored when they are right.
        async Task<bool> Check(IReadOnlyDictionary<string, string> fields)
        {
            Form = UploadForm.From(fields);
            var (o, errors) = Form.Parse();
            if (errors is not null)
            {
                Errors.AddRange(errors);
                return false;
            }
            options = o;
            prepared = await loads.PrepareAsync(parsed, User, o!.Mode, ct);
            return prepared.Ok;
        }

        var upload = await ConsoleUploads.ReceiveAsync(HttpContext, antiforgery, blobs, BlobStore.Uploads, Check, ct);
        if (upload.Forged) return BadRequest();
        if (options is null && !Errors.Any && prepared is null) await Check(upload.Fields);   // no file part: check the fields anyway
        if (prepared is { Ok: false } p)
        {
            if (p.Forbidden is not null) return Forbid();
            if (p.NotFound is not null) return NotFound();
            if (p.Errors is not null) Errors.AddRange(p.Errors);
            if (p.Conflict is not null) Errors.Add("mode", p.Conflict);
        }
        if (upload.FileError is not null) Errors.Add("file", upload.FileError);
        else if (upload.RefusedBeforeFile || (Errors.Any && upload.Blob is not null))
            Errors.Add("file", "文件未保存：请先修正上面的错误，再重新选择文件上传");
        if (Errors.Any || upload.Blob is null || options is null || prepared?.Value is null)
        {
            if (upload.Blob is not null) await blobs.DeleteAsync(upload.Blob.Path);
            if (!Errors.Any) Errors.Add("file", "请选择要上传的文件");
            return Page();
        }
        var load = await staged.StageAsync(prepared.Value, upload.Blob, upload.FileName, options, User, ct);
        TempData["Message"] = $"文件“{load.FileName}”（{DataUi.Size(load.FileSize)}）已上传，请确认列映射后开始加载";
        return Redirect(Resource.Path($"/loads/{load.Id}/mapping"));
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (!Resource.CanLoad) return NotFound();
        if (Resource.Current is { } current)
        {
            HasCurrentVersion = true;
            HasKeys = ColumnsJson.Deserialize(current.ColumnsJson).Any(c => c.IsKey);
        }
        return null;
    }
}
