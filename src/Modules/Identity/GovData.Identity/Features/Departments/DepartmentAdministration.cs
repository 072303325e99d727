using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Features.Users;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

internal sealed record DepartmentInput(
    string? Name, string? ShortName, string? CreditCode, DepartmentKind? Kind, Guid? ParentId, string? RegionCode,
    bool IsCompetent, string? Domains, int SortOrder, bool IsActive = true, int? Version = null);

/// <summary>Department rules shared by the API, the console pages, the import and the CLI.</summary>
internal sealed class DepartmentAdministration(IdentityDb db, DepartmentScope scope, RegionDirectory regions, IHttpContextAccessor http)
{
    /// <summary>Validates one department's fields; messages are in Chinese and keyed by field.</summary>
    public Dictionary<string, string[]> Validate(DepartmentInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["部门名称不能为空"];
        else if (input.Name.Trim().Length > 200) errors["name"] = ["部门名称不能超过200字"];
        if (input.ShortName?.Trim().Length > 100) errors["shortName"] = ["简称不能超过100字"];
        if (CreditCode.Validate(input.CreditCode) is { } cc) errors["creditCode"] = [cc];
        if (input.Kind is null || !Enum.IsDefined(input.Kind.Value)) errors["kind"] = ["请选择部门类别（党委、人大、政府、政协、法院、检察院、事业单位、其他）"];
        if (regions.Validate(input.RegionCode) is { } rc) errors["regionCode"] = [rc];
        if (input.Domains?.Length > 200) errors["domains"] = ["领域不能超过200字"];
        return errors;
    }

    public async Task<AdminResult<Department>> CreateAsync(ClaimsPrincipal actor, DepartmentInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        await ValidateRelationsAsync(input, null, errors, ct);
        if (errors.Count > 0) return new(null, errors);
        // Platform administrators create anywhere; a department administrator only units under its own department.
        if (!actor.IsInRole(Roles.PlatformAdmin) && (input.ParentId is null || !await scope.CanManageAsync(actor, input.ParentId, ct)))
            return new(null, Forbidden: "只能在本部门下新建下属单位");
        var now = DateTime.UtcNow;
        var dept = new Department
        {
            Id = Guid.CreateVersion7(),
            Name = input.Name!.Trim(),
            ShortName = Blank(input.ShortName),
            CreditCode = input.CreditCode!.Trim().ToUpperInvariant(),
            Kind = input.Kind!.Value,
            ParentId = input.ParentId,
            RegionCode = input.RegionCode!.Trim(),
            IsCompetent = input.IsCompetent,
            Domains = NormalizeDomains(input.Domains),
            SortOrder = input.SortOrder,
            IsActive = input.IsActive,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Departments.Add(dept);
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.DepartmentCreated, true, $"新建部门 {dept.Name}（{dept.CreditCode}）", departmentId: dept.Id, actor: actor);
        await db.SaveChangesAsync(ct);
        return new(dept);
    }

    public async Task<AdminResult<Department>> UpdateAsync(ClaimsPrincipal actor, Guid id, DepartmentInput input, CancellationToken ct = default)
    {
        var dept = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (dept is null || !await scope.CanManageAsync(actor, id, ct)) return new(null, NotFound: true);
        if (input.Version is { } v && v != dept.Version)
            return new(null, Conflict: "该部门信息已被他人修改，请刷新后重新编辑（您的修改未保存）");
        var errors = Validate(input);
        await ValidateRelationsAsync(input, id, errors, ct);
        if (!actor.IsInRole(Roles.PlatformAdmin))
        {
            // Department administrators maintain their own details but cannot move the unit or make it competent.
            if (input.ParentId != dept.ParentId) errors["parentId"] = ["只有平台管理员可以调整上级部门"];
            if (input.IsCompetent != dept.IsCompetent) errors["isCompetent"] = ["只有平台管理员可以指定主管部门"];
        }
        if (errors.Count > 0) return new(null, errors);
        dept.Name = input.Name!.Trim();
        dept.ShortName = Blank(input.ShortName);
        dept.CreditCode = input.CreditCode!.Trim().ToUpperInvariant();
        dept.Kind = input.Kind!.Value;
        dept.ParentId = input.ParentId;
        dept.RegionCode = input.RegionCode!.Trim();
        dept.IsCompetent = input.IsCompetent;
        dept.Domains = NormalizeDomains(input.Domains);
        dept.SortOrder = input.SortOrder;
        dept.IsActive = input.IsActive;
        dept.UpdatedAt = DateTime.UtcNow;
        dept.Version++;
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.DepartmentUpdated, true, $"修改部门 {dept.Name}（{dept.CreditCode}）", departmentId: dept.Id, actor: actor);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new(null, Conflict: "该部门信息已被他人修改，请刷新后重新编辑（您的修改未保存）"); }
        return new(dept);
    }

    private async Task ValidateRelationsAsync(DepartmentInput input, Guid? selfId, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (!errors.ContainsKey("creditCode"))
        {
            var code = input.CreditCode!.Trim().ToUpperInvariant();
            if (await db.Departments.AnyAsync(d => d.CreditCode == code && d.Id != selfId, ct))
                errors["creditCode"] = [$"统一社会信用代码“{code}”已被其他部门使用"];
        }
        if (input.ParentId is { } parentId)
        {
            if (parentId == selfId) errors["parentId"] = ["上级部门不能是本部门"];
            else if (!await db.Departments.AnyAsync(d => d.Id == parentId, ct)) errors["parentId"] = ["上级部门不存在"];
            else if (selfId is { } self && (await scope.SubtreeAsync(self, ct)).Contains(parentId))
                errors["parentId"] = ["上级部门不能是本部门的下属单位（会形成循环）"];
        }
        if (input.IsCompetent && !errors.ContainsKey("regionCode"))
        {
            var region = input.RegionCode!.Trim();
            if (await db.Departments.AnyAsync(d => d.IsCompetent && d.RegionCode == region && d.Id != selfId, ct))
                errors["isCompetent"] = [$"行政区划 {regions.FullName(region)} 已有主管部门"];
        }
    }

    internal static string? NormalizeDomains(string? domains)
    {
        if (string.IsNullOrWhiteSpace(domains)) return null;
        var parts = domains.Split(['、', ',', '，', ';', '；', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join('、', parts.Distinct());
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
