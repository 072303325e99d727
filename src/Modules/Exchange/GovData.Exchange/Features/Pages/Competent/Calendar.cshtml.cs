using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Competent;

/// <summary>工作日历: the year's 节假日 and 调休 days; platform administrators add and remove them.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class CalendarModel(CalendarService calendar, SharingClock clock) : ExchangePageModel
{
    [BindProperty(SupportsGet = true, Name = "year")] public int? Year { get; set; }
    [BindProperty(Name = "day")] public string? Day { get; set; }
    [BindProperty(Name = "kind")] public string? Kind { get; set; }
    [BindProperty(Name = "name")] public string? Name { get; set; }

    public IReadOnlyList<CalendarDayDto> Days { get; private set; } = [];
    public int WorkingDays { get; private set; }
    public bool CanEdit { get; private set; }
    public int ShownYear => Year is >= 2000 and <= 2100 ? Year.Value : clock.Today.Year;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        if (string.IsNullOrWhiteSpace(Day)) Errors.Add("day", "日期不能为空（格式 yyyy-MM-dd）");
        else
        {
            var result = await calendar.PutAsync(actor, Day.Trim(), new CalendarDayInput(Kind, Name), ct);
            if (result.Ok)
            {
                TempData["Message"] = $"已设置 {result.Value!.Day:yyyy-MM-dd}（{result.Value.Weekday}）为{result.Value.KindLabel}：{result.Value.Name}";
                return Redirect($"/console/exchange/calendar?year={result.Value.Day.Year}");
            }
            if (Failure(result, "/console/exchange/calendar") is { } response) return response;
        }
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string day, CancellationToken ct)
    {
        var result = await calendar.DeleteAsync(await ActorAsync(ct), day, ct);
        if (result.Ok)
        {
            TempData["Message"] = $"已删除 {day} 的设置，该日按周一至周五上班计算";
            return Redirect($"/console/exchange/calendar?year={day[..4]}");
        }
        if (result.NotFound)
        {
            TempData["Error"] = $"{day} 没有节假日或调休设置";
            return Redirect("/console/exchange/calendar");
        }
        return Failure(result, "/console/exchange/calendar") ?? await LoadAsync(ct);
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        if (!actor.HasCompetentRole) return Forbid();
        CanEdit = actor.IsPlatformAdmin;
        var y = ShownYear;
        Days = (await calendar.ListAsync($"{y:D4}-01-01", $"{y:D4}-12-31", ct)).Value ?? [];
        WorkingDays = (await calendar.RangeAsync($"{y:D4}-01-01", $"{y:D4}-12-31", ct)).Value?.WorkingDays ?? 0;
        return Page();
    }
}
