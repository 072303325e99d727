using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Catalog.Features.Compile;

/// <summary>新建资源: a draft in the compiler's department; the code is allocated when it is first saved.</summary>
[Authorize(Roles = Roles.Cataloger)]
internal sealed class NewModel(ResourceService service, CatalogDb db, IDepartmentDirectory departments, ClassificationService classifications)
    : EntryFormPage(service, db, departments, classifications)
{
    public override string FormPath => "/console/catalog/resources/new";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(null, ct) is { } stop) return stop;
        FillDefaults();
        return await RenderAsync(normalize: true, ct);
    }

    /// <summary>保存草稿: stores the draft (draft rules) and allocates its code.</summary>
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (await LoadAsync(null, ct) is { } stop) return stop;
        var input = Prepare();
        if (Errors.Any)
        {
            await DryRunAsync(input, ValidationMode.Draft, ct);
            return await RenderAsync(false, ct);
        }
        var r = await Service.CreateAsync(Actor, input, ct);
        if (!r.Ok) return await ShowFailureAsync(r, ct);
        TempData["Message"] = $"已保存草稿“{r.Value!.Working!.Name}”，信息资源代码 {r.Value.Code}";
        return Redirect($"/console/catalog/resources/{r.Value.Id}/edit");
    }

    /// <summary>提交审核: checks every rule first (nothing stored when something is wrong), then saves and submits.</summary>
    public async Task<IActionResult> OnPostSubmitAsync(CancellationToken ct)
    {
        if (await LoadAsync(null, ct) is { } stop) return stop;
        var input = Prepare();
        await DryRunAsync(input, ValidationMode.Submit, ct);
        if (Errors.Any || Conflict is not null) return await RenderAsync(false, ct);
        var created = await Service.CreateAsync(Actor, input, ct);
        if (!created.Ok) return await ShowFailureAsync(created, ct);
        var entry = created.Value!;
        var submitted = await Service.SubmitAsync(Actor, entry.Id.ToString(), entry.Version, ct);
        if (!submitted.Ok)
        {
            TempData["Error"] = $"已保存为草稿（代码 {entry.Code}），但未能报送：" + Describe(submitted);
            return Redirect($"/console/catalog/resources/{entry.Id}/edit?check=1");
        }
        TempData["Message"] = $"已提交审核：“{entry.Working!.Name}”（{entry.Code}），等待主管部门审核";
        return Redirect("/console/catalog/resources");
    }

    internal static string Describe<T>(Shared.CatalogResult<T> r) =>
        r.Conflict ?? r.Forbidden ?? string.Join("；", r.Errors?.Values.SelectMany(m => m) ?? []);
}
