using GovData.Catalog.Contracts;
using GovData.Portal.Features.Open;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.OpenApply;

/// <summary>
/// 申请使用 a 有条件开放 dataset: the 开放条件, the 申请表 (主体, 单位, 联系方式, 用途, 应用场景, 数据项, 期限), the
/// 安全承诺书 and 利用协议 with required acceptance. Anyone may read the page; only a verified developer account sees the
/// form, everyone else a Chinese explanation of what to do. Works without JavaScript.
/// </summary>
[AllowAnonymous]
internal sealed class ApplyModel(OpenData open, OpenApplications applications) : PageModel
{
    public OpenDataset? Dataset { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Why the form is not offered (not signed in, not a developer, unverified, not a 有条件开放 dataset).</summary>
    public ApplyResult? Refusal { get; private set; }
    public string? NotNeeded { get; private set; }
    public Dictionary<string, string> Errors { get; private set; } = [];
    public ApplyInput Input { get; private set; } = new(null, null, null, null, null, null, null, false, null, false, null);

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    private async Task<bool> LoadAsync(string name, CancellationToken ct)
    {
        Name = name;
        Dataset = await open.FindAsync(name, ct);
        if (Dataset is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        NotNeeded = OpenApplications.NotApplicable(Dataset);
        Refusal = NotNeeded is null ? await applications.MayApplyAsync(User, ct) : null;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        await LoadAsync(name, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string name, string? applicantType, string? organization, string? contact, string? purpose,
        string? scenario, List<string>? items, int? periodDays, bool acceptPledge, string? pledgeVersion, bool acceptAgreement, string? agreementVersion,
        CancellationToken ct)
    {
        if (!await LoadAsync(name, ct)) return Page();
        Input = new ApplyInput(applicantType, organization, contact, purpose, scenario, items ?? [], periodDays, acceptPledge, pledgeVersion,
            acceptAgreement, agreementVersion);
        var result = await applications.SubmitAsync(User, Dataset!, Input, ct);
        if (result.Ok)
        {
            TempData["Message"] = $"已提交对“{Dataset!.Name}”的使用申请，提供部门审核后将在用户中心显示结果。";
            return Redirect("/portal/me#my-applications");
        }
        Errors = result.Errors;
        Response.StatusCode = result.Status;
        return Page();
    }
}
