using GovData.Catalog.Contracts;
using GovData.Data.Features.Resources;
using Microsoft.AspNetCore.Mvc;

using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 文件与接口: the resource's files (documents, images … in the blob store, with size and SHA-256; downloads for the
/// department's staff and 平台管理员) and links to external APIs. Managers add files (<see cref="FileUploadModel"/>),
/// delete them, and add or delete links.
/// </summary>
internal sealed class FilesModel(ResourceOverview overview, ResourceFiles files, DataResources resources) : ResourcePageModel
{
    public override string Tab => "files";

    [BindProperty(Name = "url")] public string? LinkUrl { get; set; }
    [BindProperty(Name = "description")] public string? Description { get; set; }

    public IReadOnlyList<DataFileDto> Files { get; private set; } = [];
    public IReadOnlyList<DataLinkDto> Links { get; private set; } = [];
    public FormErrors Errors { get; } = new();

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        await ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteFileAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (Resource.Row is not { } row) return NotFound();
        if (await files.DeleteAsync(row, id, ct)) TempData["Message"] = "文件已删除";
        else TempData["Error"] = "文件不存在或已被删除";
        return Redirect(Resource.Path("/files"));
    }

    public async Task<IActionResult> OnPostAddLinkAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        var ensured = await resources.EnsureAsync(ResourceCode.Parse(Resource.Code), ct);
        if (!ensured.Ok)
        {
            TempData["Error"] = ensured.Conflict ?? ensured.NotFound;
            return Redirect(Resource.Path("/files"));
        }
        var (link, errors) = await files.AddLinkAsync(ensured.Value!.Resource, LinkUrl, Description, User, ct);
        if (errors is not null)
        {
            Errors.AddRange(errors);
            if (Resource.Row is null) await LoadResourceAsync(code, ct);
            await ListAsync(ct);
            return Page();
        }
        TempData["Message"] = $"已添加接口链接 {link!.Url}";
        return Redirect(Resource.Path("/files"));
    }

    public async Task<IActionResult> OnPostDeleteLinkAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (Resource.Row is not { } row) return NotFound();
        if (await files.DeleteLinkAsync(row, id, ct)) TempData["Message"] = "接口链接已删除";
        else TempData["Error"] = "链接不存在或已被删除";
        return Redirect(Resource.Path("/files"));
    }

    private async Task ListAsync(CancellationToken ct)
    {
        if (Resource.Row is not { } row) return;
        Files = await overview.FilesAsync(row, ct);
        Links = await overview.LinksAsync(row, ct);
    }
}
