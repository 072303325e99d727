using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Exchange.Features.Demo;

/// <summary>
/// 演示数据 of the exchange, written through the real services (events, grants and audit records as in real use), so a
/// fresh host shows populated pages: 人社厅 (rst_user, rst_admin) as consumer of 省市场监管局 (scjg_admin) resources —
/// 企业法人库 (无条件共享: compliance passed automatically, an active grant) with an application, a data dispute on it, and
/// 有条件共享 requests waiting for scjg_admin's decision and refused by it with a reason, and one to another department waiting for
/// the compliance check (reviewer). Turned off with <c>GovData:Exchange:DemoData=false</c> (test hosts do, unless a test asks for it).
/// </summary>
internal sealed class ExchangeDemoSeeder : IDemoSeeder
{
    public string Module => "exchange";

    public int Order => 40;

    public const string AppName = "社保待遇资格核查系统";

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var log = services.GetRequiredService<ILogger<ExchangeDemoSeeder>>();
        if (!services.GetRequiredService<IConfiguration>().GetValue("GovData:Exchange:DemoData", true))
        {
            log.LogInformation("演示数据（共享交换）：GovData:Exchange:DemoData=false，跳过");
            return;
        }
        var db = services.GetRequiredService<ExchangeDb>();
        if (await db.Requests().AnyAsync(ct))
        {
            log.LogInformation("演示数据（共享交换）：已有共享申请，跳过");
            return;
        }
        var users = services.GetRequiredService<IUserDirectory>();
        var departments = services.GetRequiredService<IDepartmentDirectory>();
        var rstUser = await ActorAsync(users, departments, "rst_user", Roles.DataUser, ct);
        var rstAdmin = await ActorAsync(users, departments, "rst_admin", Roles.DepartmentAdmin, ct);
        var scjgAdmin = await ActorAsync(users, departments, "scjg_admin", Roles.DepartmentAdmin, ct);
        var reviewer = await ActorAsync(users, departments, "reviewer", Roles.CatalogReviewer, ct);
        if (rstUser is null || rstAdmin is null || scjgAdmin is null || reviewer is null)
        {
            log.LogWarning("演示数据（共享交换）：缺少演示账号 rst_user、rst_admin、scjg_admin 或 reviewer，跳过");
            return;
        }
        var catalog = services.GetRequiredService<ICatalogResources>();
        var provided = await catalog.ListPublishedAsync(scjgAdmin.Department!.Id, ct);
        CatalogResource? Find(string name) => provided.FirstOrDefault(r => r.Name == name && r.Items.Count > 0);
        var enterprise = Find("企业法人库");
        var conditional = provided.FirstOrDefault(r => r.ShareType == ShareType.Conditional && r.Items.Count > 0);
        // A 有条件共享 resource of a third department, for the competent department's compliance queue.
        var elsewhere = (await catalog.ListPublishedAsync(null, ct)).FirstOrDefault(r => r.ShareType == ShareType.Conditional && r.Items.Count > 0
            && r.DepartmentId != scjgAdmin.Department.Id && r.DepartmentId != rstUser.Department!.Id);
        if (enterprise is null || conditional is null || elsewhere is null)
        {
            log.LogWarning("演示数据（共享交换）：演示目录不全（市场监管局的企业法人库与一个有条件共享资源、另一部门的有条件共享资源），跳过");
            return;
        }

        var sharing = services.GetRequiredService<SharingService>();
        async Task<RequestDto> Request(SharingActor who, CatalogResource r, int items, string purpose, string basis, string business, string[] modes,
            List<ScopeConditionInput?>? scope = null)
        {
            var input = new CreateRequestInput(r.Code.ToString(), purpose, basis, business,
                r.Items.Take(items).Select(i => (string?)ShareCatalog.FieldName(i)).ToList(), scope ?? [], modes.Select(m => (string?)m).ToList(), 365, true);
            return Expect(await sharing.CreateAsync(who, input, ct), $"申请“{r.Name}”");
        }

        // 1. 企业法人库 (无条件共享): an active grant for 人社厅 at once.
        var granted = await Request(rstUser, enterprise, 4, "社会保险参保登记时核对用人单位的登记信息", "《社会保险法》第五十七条；《社会保险费征缴暂行条例》",
            "用人单位社会保险登记与变更", ["api", "verify"]);
        // 2. 有条件共享, waiting for the competent department's compliance check.
        await Request(rstUser, elsewhere, 3, "社会保险待遇资格认证时核对享受对象信息", "《社会保险法》；《社会保险经办条例》", "社会保险待遇资格认证", ["api"]);
        // 3. 有条件共享, compliance passed, waiting for scjg_admin.
        var waiting = await Request(rstUser, conditional, 3, "劳动保障监察案件办理中核查用人单位", "《劳动保障监察条例》第十一条", "劳动保障监察案件办理", ["api", "file"]);
        Expect(await sharing.PassComplianceAsync(reviewer, waiting.Id, new TransitionInput(Note: "用途与依据明确，转提供部门审批"), ct), "合规审查");
        // 4. 有条件共享, refused by the provider with its reason.
        var refused = await Request(rstAdmin, conditional, 2, "人才引进资格审核", "《山东省人才引进办法》", "高层次人才认定", ["verify"]);
        Expect(await sharing.PassComplianceAsync(reviewer, refused.Id, new TransitionInput(Note: "合规"), ct), "合规审查");
        Expect(await sharing.RefuseAsync(scjgAdmin, refused.Id, new TransitionInput(Reason: "申请的信息项超出人才认定所需范围，请只申请核验所需的信息项后重新申请"), ct), "拒绝");

        // An application of 人社厅 (its secret is not kept: rotate it on 应用与密钥 to get one).
        var apps = services.GetRequiredService<AppService>();
        Expect(await apps.CreateAsync(Principal(rstAdmin), new CreateAppRequest(AppName, "社保经办系统调用企业法人库做参保单位核验"), ct), "登记应用");

        // A data dispute on the 企业法人库 grant, waiting for scjg_admin.
        if (granted.GrantId is { } grantId)
        {
            var field = ShareCatalog.FieldName(enterprise.Items[1]);
            var disputes = services.GetRequiredService<DisputeService>();
            Expect(await disputes.CreateAsync(rstUser, new CreateDisputeInput(grantId.ToString(), "91370100MA3C0DEMO1", field, "济南某某科技有限公司",
                "济南某某信息科技有限公司", "法人名称与参保单位提交的营业执照不一致", "参保单位提交的营业执照（2026 年 3 月换发）复印件", null), ct), "数据异议");
        }
        log.LogInformation("演示数据（共享交换）：4 个共享申请、1 个授权、1 个应用、1 个数据异议");
    }

    private static T Expect<T>(SharingResult<T> result, string what) => result.Ok ? result.Value!
        : throw new InvalidOperationException($"演示数据（共享交换）：{what}失败：" + (result.Errors is { } e ? string.Join("；", e.SelectMany(x => x.Value))
            : result.Forbidden ?? result.Conflict ?? "不存在"));

    private static async Task<SharingActor?> ActorAsync(IUserDirectory users, IDepartmentDirectory departments, string userName, string role, CancellationToken ct)
    {
        var user = (await users.InRoleAsync(role, null, ct)).FirstOrDefault(u => u.UserName == userName);
        if (user?.DepartmentId is not { } departmentId) return null;
        var department = await departments.FindAsync(departmentId, ct);
        return department is null ? null : new SharingActor(user.Id, user.DisplayName, department, user.Roles.ToHashSet());
    }

    private static ClaimsPrincipal Principal(SharingActor a) => new(new ClaimsIdentity(
        [
            new Claim(GovDataClaims.UserId, a.UserId!.Value.ToString()),
            new Claim(GovDataClaims.DepartmentId, a.Department!.Id.ToString()),
            new Claim(GovDataClaims.DisplayName, a.Name),
            .. a.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ], "demo", ClaimTypes.Name, ClaimTypes.Role));
}
