using GovData.Identity.Contracts;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Unit;

public sealed class RolesTests
{
    [Theory]
    [InlineData(Roles.PlatformAdmin)]
    [InlineData(Roles.DepartmentAdmin)]
    public void Auditor_cannot_also_be_an_administrator(string adminRole) =>
        Roles.ValidateCombination([Roles.SecurityAuditor, adminRole], hasDepartment: true)
            .ShouldNotBeNull().ShouldContain("安全审计员不能同时担任管理员");

    [Fact]
    public void Auditor_alone_or_with_other_duties_is_allowed()
    {
        Roles.ValidateCombination([Roles.SecurityAuditor], true).ShouldBeNull();
        Roles.ValidateCombination([Roles.SecurityAuditor, Roles.DataUser], true).ShouldBeNull();
    }

    [Fact]
    public void Government_roles_need_a_department() =>
        Roles.ValidateCombination([Roles.Cataloger], hasDepartment: false).ShouldBe("政务角色必须隶属于一个部门");

    [Theory]
    [InlineData(Roles.Developer)]
    [InlineData(Roles.Public)]
    public void Public_accounts_do_not_belong_to_a_department(string role)
    {
        Roles.ValidateCombination([role], hasDepartment: true).ShouldBe("开发者/公众账号不隶属于政务部门");
        Roles.ValidateCombination([role], hasDepartment: false).ShouldBeNull();
    }

    [Fact]
    public void Unknown_roles_are_named() =>
        Roles.ValidateCombination(["root"], true).ShouldBe("未知角色“root”");

    [Fact]
    public void Department_admin_grants_only_department_roles()
    {
        Roles.GrantableByDepartmentAdmin.ShouldBe([Roles.DepartmentAdmin, Roles.Cataloger, Roles.DataUser], ignoreOrder: true);
        Roles.GrantableByDepartmentAdmin.ShouldNotContain(Roles.PlatformAdmin);
        Roles.GrantableByDepartmentAdmin.ShouldNotContain(Roles.SecurityAuditor);
    }

    [Fact]
    public void Every_role_has_a_chinese_name() =>
        Roles.All.ShouldAllBe(r => Roles.DisplayName(r) != r && Roles.DisplayName(r).Any(c => c > 127));
}
