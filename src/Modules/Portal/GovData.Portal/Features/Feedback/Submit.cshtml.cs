using GovData.Catalog.Contracts;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Feedback;

/// <summary>
/// Receives the feedback forms of a dataset page (favourite, rating, comment, 纠错). Success returns to the dataset page
/// with a message; a refusal shows the forms again here with the Chinese reason next to the field and the text kept,
/// answered with the matching status (400 invalid, 401 not signed in, 403 unverified, 422 sensitive word, 429 too many).
/// </summary>
[AllowAnonymous]
internal sealed class SubmitModel(IOpenCatalog catalog, FeedbackService feedback) : PageModel
{
    public string Name { get; private set; } = "";
    public OpenDataset? Dataset { get; private set; }
    public FeedbackForms Forms { get; private set; } = null!;
    public bool NeedsLogin { get; private set; }
    public bool NeedsVerification { get; private set; }

    private async Task<bool> LoadAsync(string name, CancellationToken ct)
    {
        Name = name;
        if (!PortalNames.TryParsePackage(name, out var code) || await catalog.FindAsync(code, ct) is not { } dataset)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        Dataset = dataset;
        Forms = new FeedbackForms(PortalNames.Package(dataset.Code), dataset);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        if (!await LoadAsync(name, ct)) return Page();
        var (_, denied) = await feedback.StandingAsync(User, ct);
        if (denied is not null) Show(denied, null);
        return Page();
    }

    private IActionResult Show(FeedbackResult result, string? form)
    {
        NeedsLogin = result.Status == StatusCodes.Status401Unauthorized;
        NeedsVerification = result.Status == StatusCodes.Status403Forbidden;
        Forms = Forms with { Form = result.Field is null || form is "rate" or "favorite" ? null : form, ErrorField = result.Field, Error = result.Error };
        Response.StatusCode = HttpMethods.IsGet(Request.Method) ? StatusCodes.Status200OK : result.Status;
        return Page();
    }

    private IActionResult Back(string message, string anchor)
    {
        TempData["FeedbackMessage"] = message;
        return Redirect(PortalPaths.Dataset(Dataset!.Code) + anchor);
    }

    public async Task<IActionResult> OnPostFavoriteAsync(string name, CancellationToken ct)
    {
        if (!await LoadAsync(name, ct)) return Page();
        var (result, on) = await feedback.ToggleFavoriteAsync(User, Dataset!, ct);
        return result.Ok ? Back(on ? "已收藏，可在用户中心查看。" : "已取消收藏。", "#feedback") : Show(result, "favorite");
    }

    public async Task<IActionResult> OnPostRateAsync(string name, int? score, CancellationToken ct)
    {
        if (!await LoadAsync(name, ct)) return Page();
        var result = await feedback.RateAsync(User, Dataset!, score, ct);
        Forms = Forms with { Score = score };
        return result.Ok ? Back($"已评分：{score} 分。", "#feedback") : Show(result, "rate");
    }

    public async Task<IActionResult> OnPostCommentAsync(string name, string? body, CancellationToken ct)
    {
        if (!await LoadAsync(name, ct)) return Page();
        Forms = Forms with { Body = body };
        var result = await feedback.CommentAsync(User, Dataset!, body, ct);
        return result.Ok ? Back("评论已发表。", "#comments") : Show(result, "comment");
    }

    public async Task<IActionResult> OnPostCorrectionAsync(string name, string? fieldName, string? recordRef, string? description, CancellationToken ct)
    {
        if (!await LoadAsync(name, ct)) return Page();
        Forms = Forms with { FieldName = fieldName, RecordRef = recordRef, Description = description };
        var result = await feedback.CorrectionAsync(User, Dataset!, fieldName, recordRef, description, ct);
        return result.Ok ? Back($"纠错已提交，已转交“{Dataset!.DepartmentName}”处理，答复将在本页公开。", "#corrections") : Show(result, "correction");
    }
}
