using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Identity.Demo;

/// <summary>
/// 演示数据: a demo province (山东省 region codes) with its 大数据局 as competent department, the departments
/// behind the 12 assessed domains, three prefecture-level bureaus, and one account per role.
/// Names carry “（演示）” so nobody mistakes them for real bodies; credit codes are generated with valid check characters.
/// </summary>
internal sealed class IdentityDemoSeeder : IDemoSeeder
{
    public const string DemoPassword = "Demo@2026";
    public const string ProvinceCode = "370000";

    public string Module => "identity";
    public int Order => 10;

    /// <summary>(key, name, kind, region, competent, domains, parent key)</summary>
    internal static readonly (string Key, string Name, DepartmentKind Kind, string Region, bool Competent, string? Domains, string? Parent)[] Departments =
    [
        ("dsj", "山东省大数据局（演示）", DepartmentKind.Government, ProvinceCode, true, null, null),
        ("scjg", "山东省市场监督管理局（演示）", DepartmentKind.Government, ProvinceCode, false, "企业、市场监管", null),
        ("rst", "山东省人力资源和社会保障厅（演示）", DepartmentKind.Government, ProvinceCode, false, "人社", null),
        ("jyt", "山东省教育厅（演示）", DepartmentKind.Government, ProvinceCode, false, "教育", null),
        ("wjw", "山东省卫生健康委员会（演示）", DepartmentKind.Government, ProvinceCode, false, "医疗卫生", null),
        ("mzt", "山东省民政厅（演示）", DepartmentKind.Government, ProvinceCode, false, "民政", null),
        ("zjt", "山东省住房和城乡建设厅（演示）", DepartmentKind.Government, ProvinceCode, false, "建设", null),
        ("jtt", "山东省交通运输厅（演示）", DepartmentKind.Government, ProvinceCode, false, "交通运输", null),
        ("wht", "山东省文化和旅游厅（演示）", DepartmentKind.Government, ProvinceCode, false, "文化", null),
        ("kjt", "山东省科学技术厅（演示）", DepartmentKind.Government, ProvinceCode, false, "科技", null),
        ("nyt", "山东省农业农村厅（演示）", DepartmentKind.Government, ProvinceCode, false, "农业", null),
        ("yjt", "山东省应急管理厅（演示）", DepartmentKind.Government, ProvinceCode, false, "安全生产、应急", null),
        ("hbt", "山东省生态环境厅（演示）", DepartmentKind.Government, ProvinceCode, false, "环保", null),
        ("gat", "山东省公安厅（演示）", DepartmentKind.Government, ProvinceCode, false, "人口", null),
        ("zrt", "山东省自然资源厅（演示）", DepartmentKind.Government, ProvinceCode, false, "空间地理", null),
        ("swb", "中共山东省委办公厅（演示）", DepartmentKind.PartyCommittee, ProvinceCode, false, null, null),
        ("rd", "山东省人大常委会办公厅（演示）", DepartmentKind.PeoplesCongress, ProvinceCode, false, null, null),
        ("zx", "政协山东省委员会办公厅（演示）", DepartmentKind.PoliticalConsultative, ProvinceCode, false, null, null),
        ("fy", "山东省高级人民法院（演示）", DepartmentKind.Court, ProvinceCode, false, null, null),
        ("jcy", "山东省人民检察院（演示）", DepartmentKind.Procuratorate, ProvinceCode, false, null, null),
        ("xxzx", "山东省大数据中心（演示）", DepartmentKind.PublicInstitution, ProvinceCode, false, null, "dsj"),
        ("jn-dsj", "济南市大数据局（演示）", DepartmentKind.Government, "370100", true, null, null),
        ("jn-scjg", "济南市市场监督管理局（演示）", DepartmentKind.Government, "370100", false, "企业、市场监管", null),
        ("jn-rsj", "济南市人力资源和社会保障局（演示）", DepartmentKind.Government, "370100", false, "人社", null),
        ("qd-dsj", "青岛市大数据发展管理局（演示）", DepartmentKind.Government, "370200", true, null, null),
        ("qd-wjw", "青岛市卫生健康委员会（演示）", DepartmentKind.Government, "370200", false, "医疗卫生", null),
        ("ly-dsj", "临沂市大数据局（演示）", DepartmentKind.Government, "371300", true, null, null),
        ("ly-jyj", "临沂市教育局（演示）", DepartmentKind.Government, "371300", false, "教育", null),
    ];

    /// <summary>(user name, display name, department key, roles)</summary>
    internal static readonly (string UserName, string DisplayName, string? Department, string[] Roles)[] Accounts =
    [
        ("admin", "平台管理员（演示）", "dsj", [Roles.PlatformAdmin]),
        ("reviewer", "目录审核员（演示）", "dsj", [Roles.CatalogReviewer]),
        ("auditor", "安全审计员（演示）", "dsj", [Roles.SecurityAuditor]),
        ("scjg_admin", "市场监管局部门管理员（演示）", "scjg", [Roles.DepartmentAdmin]),
        ("scjg_cataloger", "市场监管局编目员（演示）", "scjg", [Roles.Cataloger]),
        ("rst_admin", "人社厅部门管理员（演示）", "rst", [Roles.DepartmentAdmin]),
        ("rst_cataloger", "人社厅编目员（演示）", "rst", [Roles.Cataloger]),
        ("rst_user", "人社厅用数人员（演示）", "rst", [Roles.DataUser]),
        ("wjw_cataloger", "卫健委编目员（演示）", "wjw", [Roles.Cataloger]),
        ("developer", "开发者（演示）", null, [Roles.Developer]),
        ("citizen", "公众用户（演示）", null, [Roles.Public]),
    ];

    /// <summary>Deterministic, valid credit code for the n-th demo department (机构编制 1 / 机关 1).</summary>
    internal static string CreditCodeFor(int index, string region) =>
        CreditCode.Create('1', '1', region, $"0{index + 1:D3}{region[..4]}").Value;

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<IdentityDb>();
        if (await db.Departments.AnyAsync(ct)) return;
        var now = DateTime.UtcNow;
        var ids = new Dictionary<string, Guid>();
        for (var i = 0; i < Departments.Length; i++)
        {
            var d = Departments[i];
            var id = Guid.CreateVersion7();
            ids[d.Key] = id;
            db.Departments.Add(new Department
            {
                Id = id,
                Name = d.Name,
                ShortName = d.Name.Replace("（演示）", "").Replace("山东省", ""),
                CreditCode = CreditCodeFor(i, d.Region),
                Kind = d.Kind,
                ParentId = d.Parent is null ? null : ids[d.Parent],
                RegionCode = d.Region,
                IsCompetent = d.Competent,
                Domains = d.Domains,
                SortOrder = i * 10,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        foreach (var a in Accounts)
        {
            var user = new User
            {
                Id = Guid.CreateVersion7(),
                UserName = a.UserName,
                DisplayName = a.DisplayName,
                DepartmentId = a.Department is null ? null : ids[a.Department],
                PasswordHash = "",
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
                UpdatedAt = now,
            };
            user.PasswordHash = PasswordPolicy.Hash(user, DemoPassword);
            user.Roles = a.Roles.Select(r => new UserRole { UserId = user.Id, Role = r }).ToList();
            db.Users.Add(user);
        }
        await db.SaveChangesAsync(ct);
    }
}
