using GovData.Data.Features.Resources;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 数据清单: the published catalog resources whose data the user may manage or follow — the user's own department, or
/// every department for 平台管理员 and 目录审核员 — with the current version, rows, last load and update timeliness
/// (按时/逾期/未加载), filtered by department, timeliness and name or code, 20 per page.
/// </summary>
[Authorize]
internal sealed class IndexModel(ResourceOverview overview, IDepartmentDirectory departments) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "department")] public string? Department { get; set; }
    [BindProperty(SupportsGet = true, Name = "timeliness")] public string? Timeliness { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public bool SeesAll { get; private set; }
    public Guid? DepartmentId { get; private set; }
    public IReadOnlyList<DepartmentInfo> Departments { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> DepartmentNames { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<DataResourceItemDto> Items { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public List<string> Errors { get; } = [];

    public static readonly (string Value, string Label)[] TimelinessOptions = [("ontime", "按时"), ("overdue", "逾期"), ("notloaded", "未加载")];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!DataPageAccess.IsStaff(User)) return Forbid();
        SeesAll = DataPageAccess.SeesAll(User);
        var all = await departments.ListAsync(ct);
        DepartmentNames = all.ToDictionary(d => d.Id, d => d.Name);
        Departments = all.OrderBy(d => d.SortOrder).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        if (SeesAll)
        {
            if (!string.IsNullOrWhiteSpace(Department))
            {
                if (Guid.TryParse(Department, out var d)) DepartmentId = d;
                else Errors.Add($"部门参数“{Department}”无效，已显示全部部门");
            }
        }
        else DepartmentId = User.GetDepartmentId();
        if (!string.IsNullOrWhiteSpace(Timeliness) && !TimelinessOptions.Any(o => o.Value == Timeliness))
        {
            Errors.Add($"及时性“{Timeliness}”无效：可选 按时、逾期、未加载，已显示全部");
            Timeliness = null;
        }
        var page = Pager.Normalize(PageNumber);
        var result = await overview.ListAsync(DepartmentId, Timeliness, Query, page, PageSize, ct);
        if (!result.Ok)
        {
            Errors.AddRange(result.Errors?.Values.SelectMany(m => m) ?? [result.NotFound ?? result.Conflict ?? "查询失败"]);
            return Page();
        }
        var value = result.Value!;
        if (value.Items.Count == 0 && value.Total > 0 && page > 1)
            return Redirect(Link(pageNumber: (value.Total + PageSize - 1) / PageSize));
        Items = value.Items;
        Pager = new Pager(page, PageSize, value.Total, n => Link(pageNumber: n));
        return Page();
    }

    /// <summary>A link to this page with the current filters, some of them changed.</summary>
    public string Link(int? pageNumber = null) => DataUi.Link(DataUi.Root,
        ("department", SeesAll ? DepartmentId?.ToString() : null), ("timeliness", Timeliness), ("q", Query),
        ("pageNumber", pageNumber is > 1 ? pageNumber.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));

    public bool CanManage(DataResourceItemDto item) => DataAccess.CanManage(User, item.DepartmentId);

    public string DepartmentName(DataResourceItemDto item) =>
        DepartmentNames.TryGetValue(item.DepartmentId, out var n) ? n : DataUi.OrDash(item.Provider);
}
