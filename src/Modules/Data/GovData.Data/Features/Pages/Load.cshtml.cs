using GovData.Data.Features.Loading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Data.Features.Pages;

/// <summary>
/// One load: while it is queued or running, its progress (share of the file read as a &lt;progress&gt; bar, rows read /
/// loaded / rejected, an estimate of the rows in the file, rows per second, the errors found so far) refreshed every
/// 2 seconds with a meta refresh (no script), and a 取消 button; once finished, its report: the outcome, rows per rule with
/// the Chinese labels, the first errors with row, column, value and reason, and the rejected-rows file. A load waiting
/// for its mapping links to the mapping step. Reports hold raw values: the providing department's staff and 平台管理员 only.
/// </summary>
internal sealed class LoadModel(LoadService loads) : ResourcePageModel
{
    public override string Tab => "loads";

    /// <summary>Errors listed on the page (the API gives up to 1,000; all rejected rows are in the file).</summary>
    public const int ErrorLimit = 200;

    public LoadDto Load { get; private set; } = null!;

    public bool Active => Load.Status is "queued" or "running";

    public bool Cancellable => !Load.CancelRequested && Load.Status is "queued" or "running" or "staged";

    /// <summary>Rows in the whole file, estimated from the share of bytes read (null before anything was read or once finished).</summary>
    public long? EstimatedRows => Load.Status == "running" && Load.BytesRead > 0 && Load.BytesTotal > 0 && Load.BytesRead < Load.BytesTotal
        ? (long)Math.Round(Load.RowsRead * (double)Load.BytesTotal / Load.BytesRead) : null;

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        return await ShowAsync(id, ct);
    }

    /// <summary>取消: a queued or staged load at once, a running one at its next progress flush (about a second).</summary>
    public async Task<IActionResult> OnPostCancelAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (await ShowAsync(id, ct) is not PageResult) return NotFound();
        var r = await loads.CancelAsync(id, User, ct);
        if (r.Ok) TempData["Message"] = r.Value!.Status == "cancelled" ? "加载已取消，数据未作任何改变" : "已请求取消，加载将在约 1 秒内停止并清理";
        else TempData["Error"] = r.Conflict ?? r.Forbidden ?? r.NotFound;
        return Redirect(Resource.Path("/loads/" + id));
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        if (!Resource.IsInsider) return Forbid();
        var r = await loads.GetAsync(id, User, ErrorLimit, ct);
        if (!r.Ok || r.Value!.ResourceCode != Resource.Code) return NotFound();
        Load = r.Value;
        return Page();
    }
}
