using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Identity.Features.Departments;

/// <summary>New department: platform administrators anywhere, department administrators under their own department.</summary>
[Authorize(Policy = Policies.ManageUsers)]
internal sealed class NewModel(DepartmentAdministration admin, IdentityDb db, DepartmentScope scope, RegionDirectory regions)
    : DepartmentFormPage(db, scope, regions)
{
    public override Guid? EditingId => null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        IsActive = true;
        RegionCode = User.FindFirst(GovDataClaims.RegionCode)?.Value;
        if (!IsPlatformAdmin) ParentId = User.GetDepartmentId();
        await LoadChoicesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Errors.AddBindingErrors(ModelState, BindingMessages);
        if (Errors.Any) Errors.AddRange(admin.Validate(ToInput()));
        else
        {
            var r = await admin.CreateAsync(User, ToInput(), ct);
            if (r.Ok)
            {
                TempData["Message"] = $"已新建部门“{r.Value!.Name}”";
                return Redirect("/console/departments");
            }
            Errors.AddRange(r.Errors);
            if (r.Forbidden is { } f) Errors.Add("parentId", f);
        }
        await LoadChoicesAsync(ct);
        return Page();
    }
}
