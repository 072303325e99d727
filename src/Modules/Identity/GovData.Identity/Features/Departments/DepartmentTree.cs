using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

/// <summary>
/// Departments arranged as a tree for the console: the nested list of the department page and the indented
/// department selects of the department and user forms.
/// </summary>
internal static class DepartmentTree
{
    internal sealed record Node(Department Department, List<Node> Children);

    /// <summary>
    /// Builds the forest of <paramref name="departments"/>: a department whose parent is not in the set is a root;
    /// siblings are ordered by sort order, then name.
    /// </summary>
    public static List<Node> Build(IReadOnlyCollection<Department> departments)
    {
        var ids = departments.Select(d => d.Id).ToHashSet();
        var children = departments.Where(d => d.ParentId is { } p && ids.Contains(p)).ToLookup(d => d.ParentId!.Value);
        var visited = new HashSet<Guid>();
        Node Visit(Department d)
        {
            visited.Add(d.Id);
            return new Node(d, Ordered(children[d.Id]).Where(c => !visited.Contains(c.Id)).Select(Visit).ToList());
        }
        var forest = Ordered(departments.Where(d => d.ParentId is not { } p || !ids.Contains(p))).Select(Visit).ToList();
        // A parent cycle (which the services refuse to create) must not hide departments: show them as roots.
        foreach (var d in Ordered(departments))
            if (!visited.Contains(d.Id)) forest.Add(Visit(d));
        return forest;
    }

    /// <summary>Depth-first order with each department's depth.</summary>
    public static IEnumerable<(Department Department, int Depth)> Flatten(IEnumerable<Node> forest, int depth = 0)
    {
        foreach (var n in forest)
        {
            yield return (n.Department, depth);
            foreach (var c in Flatten(n.Children, depth + 1)) yield return c;
        }
    }

    /// <summary>
    /// Options for a department select, indented by depth. <paramref name="limitTo"/> null means every department;
    /// <paramref name="exclude"/> removes e.g. a department's own subtree from its parent choices.
    /// Inactive departments are left out unless currently selected.
    /// </summary>
    public static async Task<List<SelectListItem>> OptionsAsync(IdentityDb db, HashSet<Guid>? limitTo, Guid? selected,
        HashSet<Guid>? exclude = null, CancellationToken ct = default)
    {
        var all = await db.Departments.AsNoTracking().ToListAsync(ct);
        var shown = all.Where(d => (limitTo is null || limitTo.Contains(d.Id)) && (exclude is null || !exclude.Contains(d.Id))
            && (d.IsActive || d.Id == selected)).ToList();
        return Flatten(Build(shown)).Select(x => new SelectListItem(
            new string('\u3000', x.Depth) + (x.Depth > 0 ? "└ " : "") + x.Department.Name + (x.Department.IsActive ? "" : "（已停用）"),
            x.Department.Id.ToString(), x.Department.Id == selected)).ToList();
    }

    private static IEnumerable<Department> Ordered(IEnumerable<Department> list) =>
        list.OrderBy(d => d.SortOrder).ThenBy(d => d.Name, StringComparer.Ordinal);
}
