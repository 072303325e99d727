using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

/// <summary>Edit a department. Outside the caller's manageable subtree the page does not exist (404).</summary>
[Authorize(Policy = Policies.ManageUsers)]
internal sealed class EditModel(DepartmentAdministration admin, IdentityDb db, DepartmentScope scope, RegionDirectory regions)
    : DepartmentFormPage(db, scope, regions)
{
    private readonly IdentityDb _db = db;
    private readonly DepartmentScope _scope = scope;

    public Guid Id { get; private set; }

    public override Guid? EditingId => Id;

    /// <summary>The stored name, for the heading (the form may hold an unsaved one).</summary>
    public string StoredName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (await FindAsync(ct) is not { } dept) return NotFound();
        Fill(dept);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (await FindAsync(ct) is null) return NotFound();
        Errors.AddBindingErrors(ModelState, BindingMessages);
        if (Errors.Any) Errors.AddRange(admin.Validate(ToInput()));
        else
        {
            var r = await admin.UpdateAsync(User, Id, ToInput(), ct);
            if (r.NotFound) return NotFound();
            if (r.Ok)
            {
                TempData["Message"] = $"已保存部门“{r.Value!.Name}”";
                return Redirect("/console/departments");
            }
            Conflict = r.Conflict;
            Errors.AddRange(r.Errors);
            if (r.Forbidden is { } f) Errors.Add("parentId", f);
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    private async Task<Department?> FindAsync(CancellationToken ct)
    {
        var dept = await _db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == Id, ct);
        if (dept is null || !await _scope.CanManageAsync(User, Id, ct)) return null;
        StoredName = dept.Name;
        return dept;
    }
}
