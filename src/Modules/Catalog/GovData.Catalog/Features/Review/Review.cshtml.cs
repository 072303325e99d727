using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Catalog.Features.Review;

/// <summary>A reason typed next to a field on the review page.</summary>
internal sealed class ReasonInput
{
    public string? Field { get; set; }
    public string? Message { get; set; }
}

/// <summary>
/// Reviewing one entry: the revision under review read-only (for a revision of a published entry, with its changes
/// against the published content), a reason input next to every field, and 审核通过 / 驳回. Entries outside the
/// reviewer's reach answer 404. The decision goes through <see cref="ResourceService.ApproveAsync"/> and
/// <see cref="ResourceService.RejectAsync"/> (full rule check on approval, at least one reason on rejection,
/// optimistic concurrency on the version the page was read at).
/// </summary>
[Authorize(Roles = Roles.CatalogReviewer)]
[RequestFormLimits(ValueCountLimit = Compile.EntryFormPage.FormValueLimit)]
internal sealed class ReviewModel(ResourceService service, IDepartmentDirectory departments, RegionDirectory regions, TimeProvider clock) : PageModel
{
    [BindProperty(Name = "reasons")] public List<ReasonInput> Reasons { get; set; } = [];
    [BindProperty(Name = "summary")] public string? Summary { get; set; }
    [BindProperty(Name = "version")] public string? Version { get; set; }

    public EntryDto Entry { get; private set; } = null!;
    public RevisionDto Revision { get; private set; } = null!;
    public IReadOnlyList<FieldChange> Changes { get; private set; } = [];
    public FieldMessages Errors { get; } = new();
    public string? Conflict { get; private set; }

    /// <summary>The entry waits for this reviewer's decision.</summary>
    public bool Pending => Entry.AllowedActions.Contains("approve");

    /// <summary>Reasons of earlier rejections of this revision (oldest first), for context.</summary>
    public IReadOnlyList<ReviewCommentDto> EarlierComments => Revision.Comments;

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public int VersionShown => int.TryParse(Version, out var v) ? v : Entry.Version;

    public IReadOnlyDictionary<string, string> ReasonTexts =>
        Reasons.Where(r => r.Field is not null && !string.IsNullOrWhiteSpace(r.Message))
            .GroupBy(r => r.Field!).ToDictionary(g => g.Key, g => string.Join("；", g.Select(r => r.Message!.Trim())));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        Version = null;
        return Page();
    }

    /// <summary>审核通过.</summary>
    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        if (ReasonTexts.Count > 0)
        {
            Errors.Add("reasons", "您填写了驳回理由。如需退回修改，请点击“驳回”；如确认审核通过，请先清空各字段的驳回理由");
            return Page();
        }
        var r = await service.ApproveAsync(await ActorAsync(ct), id.ToString(), ParseVersion(), Summary, ct);
        if (r.Ok)
        {
            TempData["Message"] = $"已审核通过“{r.Value!.Published!.Name}”（{r.Value.Code}），资源已发布";
            return Redirect("/console/catalog/review");
        }
        return await FailedAsync(r, id, ct);
    }

    /// <summary>驳回 with the reasons typed next to the fields (at least one).</summary>
    public async Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        var r = await service.RejectAsync(await ActorAsync(ct), id.ToString(), ParseVersion(), Summary, ReasonTexts, ct);
        if (r.Ok)
        {
            TempData["Message"] = $"已驳回“{Revision.Name}”（{r.Value!.Code}），已退回{r.Value.DepartmentName}修改";
            return Redirect("/console/catalog/review");
        }
        return await FailedAsync(r, id, ct);
    }

    private async Task<IActionResult> FailedAsync(CatalogResult<EntryDto> r, Guid id, CancellationToken ct)
    {
        if (r.NotFound) return NotFound();
        Conflict = r.Conflict ?? r.Forbidden;
        foreach (var (field, messages) in r.Errors ?? [])
            foreach (var m in messages)
                Errors.Add(field, field.StartsWith("reasons", StringComparison.Ordinal) || field is "summary" or "comment" || ResourceFields.LabelOf(field) is not { } label
                    ? m : $"{label}：{m}");
        if (await LoadAsync(id, ct) is { } stop) return stop;
        return Page();
    }

    private CatalogActor? _actor;

    private async Task<CatalogActor> ActorAsync(CancellationToken ct) => _actor ??= await CatalogActor.FromPrincipalAsync(User, departments, ct);

    private int? ParseVersion() => int.TryParse(Version, out var v) ? v : null;

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        var entry = await service.GetAsync(actor, id.ToString(), ct);
        if (entry is null) return NotFound();
        // Only entries of departments in the reviewer's reach; others answer as if they did not exist.
        if (!actor.CanReview(await departments.FindAsync(entry.DepartmentId, ct), regions)) return NotFound();
        Entry = entry;
        Revision = entry.Working ?? entry.Published!;
        Changes = entry is { Published: { } p, Working: { } w }
            ? RevisionDiff.Compare(RevisionInputs.From(p, entry.ClassificationCode), RevisionInputs.From(w, entry.ClassificationCode))
            : [];
        return null;
    }
}
