using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Catalog.Features.Compile;

/// <summary>
/// 编辑资源: an entry of the compiler's own department (any other entry answers 404). Drafts and rejected entries are
/// edited in place; editing a published entry opens a revision under review while the published content stays
/// visible. While the entry is under review or offline the page shows it read-only with the actions allowed.
/// Every change carries the version the form was read at; a stale one is refused and nothing is overwritten.
/// </summary>
[Authorize(Roles = Roles.Cataloger)]
internal sealed class EditModel(ResourceService service, CatalogDb db, IDepartmentDirectory departments, ClassificationService classifications)
    : EntryFormPage(service, db, departments, classifications)
{
    public Guid Id { get; private set; }

    public override string FormPath => $"/console/catalog/resources/{Id}/edit";

    public async Task<IActionResult> OnGetAsync(Guid id, bool? check, CancellationToken ct)
    {
        Id = id;
        if (await LoadAsync(id, ct) is { } stop) return stop;
        Input = EntryForm.From(Entry!);
        if (check == true && Editable) await DryRunAsync(Prepare(), ValidationMode.Submit, ct);
        return await RenderAsync(normalize: false, ct);
    }

    /// <summary>保存草稿 (or, for a published entry, the revision).</summary>
    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (await LoadAsync(id, ct) is { } stop) return stop;
        var input = Prepare();
        if (Errors.Any)
        {
            await DryRunAsync(input, ValidationMode.Draft, ct);
            return await RenderAsync(false, ct);
        }
        var r = await Service.UpdateAsync(Actor, id.ToString(), Input.VersionNumber, input, ct);
        if (!r.Ok) return await ShowFailureAsync(r, ct);
        TempData["Message"] = r.Value!.Published is null
            ? $"已保存草稿“{r.Value.Working!.Name}”（{r.Value.Code}）"
            : $"已保存第{r.Value.Working!.Number}版修订；审核通过前，已发布内容保持不变";
        return Redirect($"/console/catalog/resources/{id}/edit");
    }

    /// <summary>提交审核: every rule checked first; then saved and submitted with the version just written.</summary>
    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (await LoadAsync(id, ct) is { } stop) return stop;
        var input = Prepare();
        if (Editable) await DryRunAsync(input, ValidationMode.Submit, ct);
        if (Errors.Any || Conflict is not null) return await RenderAsync(false, ct);
        var saved = await Service.UpdateAsync(Actor, id.ToString(), Input.VersionNumber, input, ct);
        if (!saved.Ok) return await ShowFailureAsync(saved, ct);
        var submitted = await Service.SubmitAsync(Actor, id.ToString(), saved.Value!.Version, ct);
        if (!submitted.Ok)
        {
            TempData["Error"] = "修改已保存，但未能报送：" + NewModel.Describe(submitted);
            return Redirect($"/console/catalog/resources/{id}/edit?check=1");
        }
        TempData["Message"] = $"已提交审核：“{saved.Value.Working!.Name}”（{saved.Value.Code}），等待主管部门审核";
        return Redirect("/console/catalog/resources");
    }

    /// <summary>撤回报送 (before the reviewer acts).</summary>
    public async Task<IActionResult> OnPostRecallAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (await LoadAsync(id, ct) is { } stop) return stop;
        var r = await Service.RecallAsync(Actor, id.ToString(), Input.VersionNumber, ct);
        if (!r.Ok) return await ShowStateFailureAsync(r, ct);
        TempData["Message"] = "已撤回报送，可以继续修改";
        return Redirect($"/console/catalog/resources/{id}/edit");
    }

    /// <summary>放弃修订 of a published entry; the published content stays.</summary>
    public async Task<IActionResult> OnPostDiscardAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (await LoadAsync(id, ct) is { } stop) return stop;
        var r = await Service.DiscardRevisionAsync(Actor, id.ToString(), Input.VersionNumber, ct);
        if (!r.Ok) return await ShowStateFailureAsync(r, ct);
        TempData["Message"] = "已放弃修订，保留已发布内容";
        return Redirect($"/console/catalog/resources/{id}/edit");
    }

    /// <summary>A refused state change: the stored entry is shown again with the reason.</summary>
    private async Task<IActionResult> ShowStateFailureAsync(Shared.CatalogResult<EntryDto> r, CancellationToken ct)
    {
        if (r.NotFound) return NotFound();
        Input = EntryForm.From(Entry!);
        Conflict = NewModel.Describe(r);
        return await RenderAsync(false, ct);
    }

    /// <summary>The revision's changes against the published content (shown above the form of a revision).</summary>
    public IReadOnlyList<FieldChange> Changes() =>
        Entry is { Published: { } p, Working: { } w } ? RevisionDiff.Compare(RevisionInputs.From(p, Entry.ClassificationCode), RevisionInputs.From(w, Entry.ClassificationCode)) : [];
}
