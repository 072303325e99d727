using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Consumer;

/// <summary>
/// One resource of the share catalog and the request form (申请): purpose, legal basis, business case, items from the
/// published items, row scope conditions, access modes and duration. The service checks everything (不予共享 included).
/// </summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class NewRequestModel(ShareCatalog catalog, SharingService sharing) : ExchangePageModel
{
    public const int ScopeRows = 3;

    [BindProperty(SupportsGet = true, Name = "code")] public string? Code { get; set; }
    [BindProperty(Name = "purpose")] public string? Purpose { get; set; }
    [BindProperty(Name = "legalBasis")] public string? LegalBasis { get; set; }
    [BindProperty(Name = "businessCase")] public string? BusinessCase { get; set; }
    [BindProperty(Name = "items")] public List<string> Items { get; set; } = [];
    [BindProperty(Name = "accessModes")] public List<string> AccessModes { get; set; } = [];
    [BindProperty(Name = "durationDays")] public string? DurationDays { get; set; }
    [BindProperty(Name = "scopeField")] public List<string?> ScopeField { get; set; } = [];
    [BindProperty(Name = "scopeOp")] public List<string?> ScopeOp { get; set; } = [];
    [BindProperty(Name = "scopeValues")] public List<string?> ScopeValues { get; set; } = [];

    public ShareCatalogDetailDto? Resource { get; private set; }

    public static readonly (string Code, string Label)[] Modes = [("api", "接口查询"), ("verify", "核验"), ("file", "文件交付"), ("feed", "订阅增量")];
    public static readonly (string Code, string Label)[] Operators = [("eq", "等于"), ("in", "属于（多个值）"), ("prefix", "以…开头")];

    public string? ScopeAt(List<string?> list, int i) => i < list.Count ? list[i] : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        DurationDays = "180";
        AccessModes = ["api"];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        var days = Errors.Number(DurationDays, "durationDays", "申请期限（天）", 1, 100_000);
        var scope = new List<ScopeConditionInput?>();
        for (var i = 0; i < ScopeRows; i++)
        {
            var field = ScopeAt(ScopeField, i);
            var values = ExchangePages.Values(ScopeAt(ScopeValues, i));
            if (string.IsNullOrWhiteSpace(field) && values.Count == 0) continue;
            scope.Add(new ScopeConditionInput(field, ScopeAt(ScopeOp, i), values));
        }
        if (!Errors.Any)
        {
            var input = new CreateRequestInput(Code, Purpose, LegalBasis, BusinessCase, Items.Select(x => (string?)x).ToList(), scope,
                AccessModes.Select(x => (string?)x).ToList(), (int?)days, true);
            var result = await sharing.CreateAsync(actor, input, ct);
            if (result.Ok)
            {
                var r = result.Value!;
                TempData["Message"] = $"已提交对“{r.ResourceName}”的共享申请，当前状态：{r.StatusLabel}";
                return Redirect($"/console/exchange/requests/{r.Id}");
            }
            if (Failure(result, "/console/exchange/catalog") is { } response) return response;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code)) return false;
        var result = await catalog.GetAsync(await ActorAsync(ct), Code, ct);
        Resource = result.Value;
        return Resource is not null;
    }
}
