using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Compile;

/// <summary>One choice of the classification picker.</summary>
internal sealed record PickerOption(string Code, string Segment, string Name)
{
    public string Text => $"{Segment} {Name}";
}

/// <summary>
/// The 类 / 项 / 目 selects and the 细目 choices of the entry form, limited to what the compiler's department may
/// file under: 基础类 and 主题类 目 of the guide (and the province's extensions), its own 部门类 目, and 细目 its
/// department manages. The options of a level are those below the choice of the level above, so the picker works
/// without JavaScript (the form is re-posted to narrow the lists); the service still checks the final choice.
/// </summary>
internal sealed class ClassificationPicker
{
    public IReadOnlyList<PickerOption> Classes { get; private init; } = [];
    public IReadOnlyList<PickerOption> Items { get; private init; } = [];
    public IReadOnlyList<PickerOption> Categories { get; private init; } = [];
    /// <summary>细目 under the chosen 目 managed by the department; <see cref="PickerOption.Segment"/> is the path below the 目.</summary>
    public IReadOnlyList<PickerOption> Details { get; private init; } = [];
    /// <summary>“基础信息资源 › 法人基础信息 › 企业单位法人 › …” of the chosen node, when it exists.</summary>
    public string? ChosenPath { get; private init; }

    /// <summary>Loads the options for the form's current choices, narrowing (and, where only one choice exists, filling) them.</summary>
    public static async Task<ClassificationPicker> LoadAsync(CatalogDb db, DepartmentInfo department, EntryForm form, bool normalize, CancellationToken ct)
    {
        var nodes = await db.Classifications.AsNoTracking().Where(x => x.IsActive).ToListAsync(ct);
        nodes = nodes.OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
        var ownCategories = nodes.Where(x => x.ClassCode == 3 && x.Depth == 3 && x.DepartmentId == department.Id).Select(x => x.Code).ToHashSet();
        bool Allowed(Classification n) => n.ClassCode != 3 || n.Depth == 1 || (n.Depth == 2 ? ownCategories.Any(c => c.StartsWith(n.Code, StringComparison.Ordinal)) : ownCategories.Contains(n.Code[..6]));

        var classes = nodes.Where(x => x.Depth == 1).ToList();
        if (normalize && !classes.Any(c => c.Code == form.ClassCode)) form.ClassCode = null;
        var items = nodes.Where(x => x.Depth == 2 && x.ParentCode == form.ClassCode && Allowed(x)).ToList();
        if (normalize && !items.Any(i => i.Code == form.ItemCode)) form.ItemCode = items.Count == 1 ? items[0].Code : null;
        var categories = nodes.Where(x => x.Depth == 3 && x.ParentCode == form.ItemCode && Allowed(x)).ToList();
        if (normalize && !categories.Any(c => c.Code == form.CategoryCode)) form.CategoryCode = categories.Count == 1 ? categories[0].Code : null;
        var details = form.CategoryCode is { Length: 6 } category
            ? nodes.Where(x => x.Depth >= 4 && x.Code.StartsWith(category, StringComparison.Ordinal) && x.DepartmentId == department.Id).ToList()
            : [];
        var chosen = (form.CategoryCode ?? "") + (form.DetailPath?.Trim() ?? "");
        string? path = null;
        if (chosen.Length >= 6 && nodes.Any(x => x.Code == chosen))
        {
            var chain = nodes.Where(x => chosen.StartsWith(x.Code, StringComparison.Ordinal));
            path = ClassificationService.PathNames(chain).GetValueOrDefault(chosen);
        }
        return new ClassificationPicker
        {
            Classes = classes.Select(Option).ToList(),
            Items = items.Select(Option).ToList(),
            Categories = categories.Select(Option).ToList(),
            Details = details.Select(d => new PickerOption(d.Code, d.Code[6..], d.Name)).ToList(),
            ChosenPath = path,
        };
    }

    private static PickerOption Option(Classification n) => new(n.Code, n.Segment, n.Name);
}
