using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Catalog.Tests.Infrastructure;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Tests;

/// <summary>
/// Behaviour of the catalog services over a real database. Runs once on SQLite and once on PostgreSQL
/// (see the derived classes), so both migrations and both SQL dialects are exercised.
/// </summary>
public abstract class CatalogServiceContract
{
    internal abstract Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null);

    private static readonly CatalogActor MarketCompiler = CatalogHost.Compiler(TestData.Market, "市场监管编目员");
    private static readonly CatalogActor HrCompiler = CatalogHost.Compiler(TestData.HumanResources, "人社编目员");
    private static readonly CatalogActor JinanCompiler = CatalogHost.Compiler(TestData.JinanMarket, "济南市场监管编目员");
    private static readonly CatalogActor HebeiCompiler = CatalogHost.Compiler(TestData.HebeiMarket, "河北编目员");
    private static readonly CatalogActor ProvinceReviewer = CatalogHost.Reviewer(TestData.BigData, "省大数据局审核员");
    private static readonly CatalogActor JinanReviewer = CatalogHost.Reviewer(TestData.JinanBigData, "济南大数据局审核员");

    private static EntryDto Ok(CatalogResult<EntryDto> r)
    {
        r.Errors.ShouldBeNull(r.Errors is null ? null : string.Join(" | ", r.Errors.Select(e => e.Key + ": " + string.Join(";", e.Value))));
        r.Forbidden.ShouldBeNull();
        r.Conflict.ShouldBeNull();
        r.NotFound.ShouldBeFalse();
        return r.Value.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_guide_classification_is_seeded_by_the_migration()
    {
        await using var host = await HostAsync();
        var nodes = await host.Classifications(s => s.ListAsync());
        nodes.Single(n => n.Code == "102003").Name.ShouldBe("企业单位法人");
        nodes.Where(n => n.ParentCode == "1").Select(n => n.Name).ShouldBe(["人口基础信息", "法人基础信息", "自然资源和空间地理", "社会信用", "电子证照"]);
        nodes.Where(n => n.ParentCode == "1" && n.RequiresUnconditionalShare).Select(n => n.Code).ShouldBe(["101", "102", "103", "105"]);
        nodes.Where(n => n.ParentCode == "2").Count().ShouldBe(12);
        nodes.Where(n => n.ParentCode == "203").Select(n => n.Name).ShouldBe(["社会保险", "社会救助", "社会福利"]);
        nodes.Where(n => n.ParentCode == "3").Select(n => n.Name).ShouldBe(["党中央", "全国人大常委会", "国务院", "全国政协", "最高人民法院", "最高人民检察院"]);

        var node = (await host.Classifications(s => s.FindNodeAsync("102003"))).ShouldNotBeNull();
        node.RequiresUnconditionalShare.ShouldBeTrue();
        node.RuleSource.ShouldBe("法人基础信息");
        (await host.Classifications(s => s.FindNodeAsync("104001")))!.RequiresUnconditionalShare.ShouldBeFalse();
    }

    [Fact]
    public async Task The_departmental_branch_is_generated_from_the_department_tree_and_stays_stable()
    {
        await using var host = await HostAsync();
        var first = await host.Classifications(s => s.SyncDepartmentBranchAsync());
        first.ItemsCreated.ShouldBe(4);
        first.CategoriesCreated.ShouldBe(TestData.All.Count);
        var nodes = await host.Classifications(s => s.ListAsync(3));
        // 项 per region from 30, in region-code order: 河北省 130000, 山东省 370000, 济南市 370100, 青岛市 370200.
        nodes.Where(n => n.Depth == 2 && n.RegionCode is not null).Select(n => (n.Code, n.RegionCode, n.Name)).ShouldBe(
            [("330", "130000", "河北省"), ("331", "370000", "山东省"), ("332", "370100", "山东省济南市"), ("333", "370200", "山东省青岛市")]);
        // 目 = system digit + ordinal: 党委 1xx, 政府 3xx (by sort order).
        string Code(DepartmentInfo d) => nodes.Single(n => n.DepartmentId == d.Id).Code;
        Code(TestData.PartyOffice).ShouldBe("331101");
        Code(TestData.BigData).ShouldBe("331301");
        Code(TestData.Market).ShouldBe("331302");
        Code(TestData.HumanResources).ShouldBe("331303");
        Code(TestData.JinanMarket).ShouldBe("332301");
        Code(TestData.JinanBigData).ShouldBe("332302");

        (await host.Classifications(s => s.SyncDepartmentBranchAsync())).ShouldBe(new DepartmentBranchSync(0, 0, 0, 0, 0));

        host.Departments.Replace(TestData.Market with { Name = "山东省市场监管局（改名）" });
        var newcomer = TestData.Department("山东省统计局（测试）", DepartmentKind.Government, "370000", "00913700", sort: 25);
        host.Departments.Add(newcomer);
        host.Departments.Remove(TestData.HumanResources.Id);
        var second = await host.Classifications(s => s.SyncDepartmentBranchAsync());
        second.ShouldBe(new DepartmentBranchSync(0, 1, 1, 1, 0));
        nodes = await host.Classifications(s => s.ListAsync(3, includeInactive: true));
        nodes.Single(n => n.Code == "331302").Name.ShouldBe("山东省市场监管局（改名）");
        nodes.Single(n => n.DepartmentId == newcomer.Id).Code.ShouldBe("331304");
        nodes.Single(n => n.Code == "331303").IsActive.ShouldBeFalse();
        host.Departments.Replace(TestData.Market);
        host.Departments.Add(TestData.HumanResources);
    }

    [Fact]
    public async Task Details_are_added_by_the_owning_department_and_extensions_by_the_platform_admin()
    {
        await using var host = await HostAsync();
        var category = (await host.Classifications(s => s.EnsureDepartmentCategoryAsync(TestData.Market.Id))).ShouldNotBeNull();
        var d1 = await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput(category, null, "登记注册类")));
        d1.Value.ShouldNotBeNull().Code.ShouldBe(category + "01");
        d1.Value.Depth.ShouldBe(4);
        d1.Value.DetailPath.ShouldBe("01");
        var d2 = await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput(category + "01", null, "企业登记")));
        d2.Value.ShouldNotBeNull().Code.ShouldBe(category + "0101");
        d2.Value.DetailPath.ShouldBe("0101");
        (await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput(category, "01", "重复"))))
            .Errors.ShouldNotBeNull()["segment"][0].ShouldContain("已被使用");
        (await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput(category, "12345", "太长"))))
            .Errors.ShouldNotBeNull()["segment"][0].ShouldContain("1至4位");
        (await host.Classifications(s => s.CreateAsync(HrCompiler, new ClassificationInput(category, null, "越权"))))
            .Forbidden.ShouldNotBeNull().ShouldContain("本部门");
        (await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput("2", null, "新主题"))))
            .Forbidden.ShouldNotBeNull().ShouldContain("平台管理员");
        var theme = await host.Classifications(s => s.CreateAsync(CatalogHost.Admin(TestData.BigData), new ClassificationInput("202", null, "医疗服务")));
        theme.Value.ShouldNotBeNull().Code.ShouldBe("202001");
        (await host.Classifications(s => s.CreateAsync(CatalogHost.Admin(TestData.BigData), new ClassificationInput("3", null, "地方"))))
            .Forbidden.ShouldNotBeNull().ShouldContain("自动生成");
        // A 细目 under a 基础类 目 belongs to the compiler's department.
        var basic = await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput("102003", null, "个体工商户")));
        basic.Value.ShouldNotBeNull().DepartmentId.ShouldBe(TestData.Market.Id);
        (await host.Classifications(s => s.CreateAsync(HrCompiler, new ClassificationInput(basic.Value.Code, null, "越权细目"))))
            .Forbidden.ShouldNotBeNull().ShouldContain("其他部门");
    }

    [Fact]
    public async Task Codes_are_generated_in_sequence_per_classification_node()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry())));
        var b = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry() with { Name = "个体工商户库" })));
        a.Code.ShouldBe("102003/1");
        b.Code.ShouldBe("102003/2");
        a.CodeParts.ShouldBe(new CodePartsDto(1, "基础类", "02", "003", "", 1, "102003"));
        a.Status.ShouldBe("草稿");
        a.ClassificationPath.ShouldBe("基础信息资源 › 法人基础信息 › 企业单位法人");
        a.Working.ShouldNotBeNull().Items.Select(i => i.TypeText).ShouldContain("D,10");
        a.Published.ShouldBeNull();
        a.AllowedActions.ShouldBe(["edit", "submit", "delete"]);
        var category = await host.Classifications(s => s.EnsureDepartmentCategoryAsync(TestData.Market.Id));
        var detail = (await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput(category, null, "登记注册类")))).Value!;
        var c = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry(detail.Code) with { Name = "企业年报信息" })));
        c.Code.ShouldBe(detail.Code + "/1");
        c.CodeParts.DetailPath.ShouldBe("01");
        c.CodeParts.ClassName.ShouldBe("部门类");
    }

    [Fact]
    public async Task Parallel_compilers_never_receive_the_same_code()
    {
        await using var host = await HostAsync();
        var category = await host.Classifications(s => s.EnsureDepartmentCategoryAsync(TestData.Market.Id));
        var detail = (await host.Classifications(s => s.CreateAsync(MarketCompiler, new ClassificationInput(category, null, "并发测试")))).Value!;
        const int n = 24;
        var start = new TaskCompletionSource();
        var tasks = Enumerable.Range(1, n).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await host.Resources(s => s.CreateAsync(CatalogHost.Compiler(TestData.Market, $"编目员{i}"),
                new ResourceInput(ClassificationCode: detail.Code, Name: $"并发资源{i}")));
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        var codes = results.Select(r => Ok(r).Code).ToList();
        codes.Distinct().Count().ShouldBe(n);
        codes.Select(c => ResourceCode.Parse(c).Sequence).Order().ShouldBe(Enumerable.Range(1, n).Select(i => (long)i));
        (await host.Db(db => db.Entries.CountAsync(e => e.ClassificationCode == detail.Code))).ShouldBe(n);
    }

    [Fact]
    public async Task A_published_entry_goes_through_revision_rejection_and_approval_with_history()
    {
        await using var host = await HostAsync();
        // A sparse draft cannot be submitted: every missing item is reported.
        var draft = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, new ResourceInput(ClassificationCode: "102003", Name: "企业法人库"))));
        var refused = await host.Resources(s => s.SubmitAsync(MarketCompiler, draft.Code, draft.Version));
        refused.Errors.ShouldNotBeNull().Keys.ShouldBe(["abstract", "formatCategory", "shareType", "openType", "updateCycle"], ignoreOrder: true);

        var full = Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, draft.Code, draft.Version, TestData.EnterpriseRegistry())));
        full.Version.ShouldBe(draft.Version + 1);
        var submitted = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, full.Code, full.Version)));
        submitted.Status.ShouldBe("待审核");
        submitted.AllowedActions.ShouldBe(["recall"]);

        var published = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, submitted.Code, submitted.Version, "符合规范")));
        published.Status.ShouldBe("已发布");
        published.Published.ShouldNotBeNull().PublishDate.ShouldNotBeNull();
        published.Published.ReviewerName.ShouldBe("省大数据局审核员");
        published.Working.ShouldBeNull();
        published.FirstPublishedAt.ShouldNotBeNull();

        // Editing a published entry opens a revision; the published content stays as it was.
        var edit = TestData.EnterpriseRegistry() with { Name = "企业法人基础信息库", UpdateCycle = "实时" };
        var revision = Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, published.Code, published.Version, edit)));
        revision.Phase.ShouldBe("已发布（修订草稿）");
        revision.Published!.Name.ShouldBe("企业法人库");
        revision.Working.ShouldNotBeNull().Name.ShouldBe("企业法人基础信息库");
        revision.Working.Number.ShouldBe(2);
        (await host.Views(v => v.ListAsync(CatalogView.Business, new CatalogViewQuery(Keyword: "企业法人")))).Page!.Items.Single().Name.ShouldBe("企业法人库");
        var othersView = await host.Resources(s => s.GetAsync(HrCompiler, published.Code, default));
        othersView.ShouldNotBeNull().Working.ShouldBeNull();
        othersView.Published!.Name.ShouldBe("企业法人库");

        var pending = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, revision.Code, revision.Version)));
        pending.Phase.ShouldBe("已发布（修订待审核）");
        var rejected = Ok(await host.Resources(s => s.RejectAsync(ProvinceReviewer, pending.Code, pending.Version, "请修改后重新报送",
            new Dictionary<string, string> { ["name"] = "名称应与登记系统一致", ["items[3].dataType"] = "批准时间请确认为 D,10" })));
        rejected.Phase.ShouldBe("已发布（修订已驳回）");
        rejected.Working!.Comments.Select(c => (c.Field, c.FieldLabel, c.Message)).ShouldBe(
            [("name", "信息资源名称", "名称应与登记系统一致"), ("items[3].dataType", "第4个信息项的数据类型", "批准时间请确认为 D,10")], ignoreOrder: true);
        rejected.Published!.Name.ShouldBe("企业法人库");

        var fixedUp = Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, rejected.Code, rejected.Version, edit with { Name = "企业法人登记信息库" })));
        fixedUp.Working!.Number.ShouldBe(2);
        var resubmitted = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, fixedUp.Code, fixedUp.Version)));
        var replaced = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, resubmitted.Code, resubmitted.Version, null)));
        replaced.Published!.Name.ShouldBe("企业法人登记信息库");
        replaced.Published.Number.ShouldBe(2);
        replaced.Published.UpdateCycle.ShouldBe("实时");
        replaced.Working.ShouldBeNull();
        replaced.Code.ShouldBe(draft.Code);
        (await host.Db(db => db.Revisions.Where(r => r.EntryId == draft.Id).OrderBy(r => r.Number).Select(r => r.Status).ToListAsync()))
            .ShouldBe([RevisionStatus.Superseded, RevisionStatus.Published]);

        var history = (await host.Resources(s => s.HistoryAsync(MarketCompiler, draft.Code))).Value.ShouldNotBeNull();
        history.Select(h => h.Action).Reverse().ShouldBe(["created", "edited", "submitted", "approved", "revision_opened", "submitted", "rejected", "edited", "submitted", "approved"]);
        history.ShouldAllBe(h => h.ActorName.Length > 0);
        var approval = history.First();
        approval.ActorName.ShouldBe("省大数据局审核员");
        approval.Changes.ShouldContain(c => c.Field == "name" && c.Before == "企业法人库" && c.After == "企业法人登记信息库");
        approval.Changes.ShouldContain(c => c.Field == "updateCycle" && c.Before == "每日" && c.After == "实时");
        history.Single(h => h.Action == "rejected").Summary.ShouldContain("信息资源名称——名称应与登记系统一致");
        history.Last(h => h.Action == "edited").Changes.ShouldContain(c => c.Label == "信息项“统一社会信用代码”" && c.Before == null && c.After!.Contains("C,18"));
    }

    [Fact]
    public async Task Withdrawn_codes_and_deleted_drafts_never_come_back()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry())));
        a = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, a.Code, a.Version)));
        a = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, a.Code, a.Version, null)));
        (await host.Resources(s => s.WithdrawAsync(MarketCompiler, a.Code, a.Version, " "))).Errors.ShouldNotBeNull().Keys.ShouldContain("reason");
        var offline = Ok(await host.Resources(s => s.WithdrawAsync(MarketCompiler, a.Code, a.Version, "数据源系统停用")));
        offline.Status.ShouldBe("已下线");
        offline.OfflineReason.ShouldBe("数据源系统停用");
        offline.AllowedActions.ShouldBeEmpty();
        (await host.Views(v => v.ListAsync(CatalogView.Business, new CatalogViewQuery()))).Page!.Total.ShouldBe(0);
        (await host.Resources(s => s.UpdateAsync(MarketCompiler, a.Code, offline.Version, TestData.EnterpriseRegistry()))).Conflict.ShouldNotBeNull().ShouldContain("已下线");

        var b = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry() with { Name = "草稿资源" })));
        b.Code.ShouldBe("102003/2");
        (await host.Resources(s => s.DeleteAsync(MarketCompiler, b.Code, b.Version))).Value.ShouldBeTrue();
        (await host.Resources(s => s.GetAsync(MarketCompiler, b.Code, default))).ShouldBeNull();
        (await host.Resources(s => s.HistoryAsync(MarketCompiler, b.Code))).NotFound.ShouldBeTrue();
        (await host.Db(db => db.History.CountAsync(h => h.EntryId == b.Id && h.Action == "deleted"))).ShouldBe(1);
        Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry() with { Name = "新资源" }))).Code.ShouldBe("102003/3");
    }

    [Fact]
    public async Task A_never_published_entry_moved_to_another_node_gets_a_new_code_a_published_one_cannot_move()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry())));
        var moved = Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, a.Code, a.Version, TestData.EnterpriseRegistry("104001"))));
        moved.Code.ShouldBe("104001/1");
        moved.Id.ShouldBe(a.Id);
        Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry()))).Code.ShouldBe("102003/2");
        var p = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, moved.Code, moved.Version)));
        p = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, p.Code, p.Version, null)));
        var r = await host.Resources(s => s.UpdateAsync(MarketCompiler, p.Code, p.Version, TestData.EnterpriseRegistry()));
        r.Errors.ShouldNotBeNull()["classificationCode"][0].ShouldContain("不可更改");
    }

    [Fact]
    public async Task Stale_edits_are_refused_and_never_overwrite()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry())));
        Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, a.Code, a.Version, TestData.EnterpriseRegistry() with { Name = "第一人的修改" })));
        var stale = await host.Resources(s => s.UpdateAsync(MarketCompiler, a.Code, a.Version, TestData.EnterpriseRegistry() with { Name = "第二人的修改" }));
        stale.Conflict.ShouldNotBeNull().ShouldContain("已被他人修改");
        (await host.Resources(s => s.GetAsync(MarketCompiler, a.Code, default)))!.Working!.Name.ShouldBe("第一人的修改");
        (await host.Resources(s => s.SubmitAsync(MarketCompiler, a.Code, null))).Errors.ShouldNotBeNull().Keys.ShouldContain("version");

        // Two saves racing from the same version: exactly one wins.
        var current = (await host.Resources(s => s.GetAsync(MarketCompiler, a.Code, default)))!;
        var race = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Task.Run(() =>
            host.Resources(s => s.UpdateAsync(MarketCompiler, a.Code, current.Version, TestData.EnterpriseRegistry() with { Name = $"并发修改{i}" })))));
        race.Count(r => r.Ok).ShouldBe(1);
        race.Count(r => r.Conflict is not null).ShouldBe(3);
    }

    [Fact]
    public async Task Compilers_touch_only_their_department_and_reviewers_only_their_jurisdiction()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry())));
        // Another department cannot even see an unpublished entry.
        (await host.Resources(s => s.GetAsync(HrCompiler, a.Code, default))).ShouldBeNull();
        (await host.Resources(s => s.UpdateAsync(HrCompiler, a.Code, a.Version, TestData.EnterpriseRegistry()))).NotFound.ShouldBeTrue();
        // A reviewer does not compile.
        (await host.Resources(s => s.SubmitAsync(ProvinceReviewer, a.Code, a.Version))).Forbidden.ShouldNotBeNull().ShouldContain("只有部门编目员");
        (await host.Resources(s => s.CreateAsync(ProvinceReviewer, TestData.EnterpriseRegistry()))).Forbidden.ShouldNotBeNull();
        var p = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, a.Code, a.Version)));
        // A compiler does not review; a prefecture reviewer does not review the province.
        (await host.Resources(s => s.ApproveAsync(MarketCompiler, p.Code, p.Version, null))).Forbidden.ShouldNotBeNull().ShouldContain("只有目录审核员");
        (await host.Resources(s => s.ApproveAsync(JinanReviewer, p.Code, p.Version, null))).NotFound.ShouldBeTrue();
        p = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, p.Code, p.Version, null)));
        // Published: visible to other departments, still not editable by them.
        (await host.Resources(s => s.GetAsync(HrCompiler, a.Code, default))).ShouldNotBeNull().AllowedActions.ShouldBeEmpty();
        (await host.Resources(s => s.UpdateAsync(HrCompiler, a.Code, p.Version, TestData.EnterpriseRegistry()))).Forbidden.ShouldNotBeNull().ShouldContain("只能修改本部门的资源");
        (await host.Resources(s => s.WithdrawAsync(HrCompiler, a.Code, p.Version, "越权"))).Forbidden.ShouldNotBeNull();

        // The provincial reviewer also covers prefectures; the prefecture reviewer covers its own city; nobody here covers 河北.
        var jinan = Ok(await host.Resources(s => s.CreateAsync(JinanCompiler, TestData.EnterpriseRegistry() with { Name = "济南市企业法人库" })));
        jinan = Ok(await host.Resources(s => s.SubmitAsync(JinanCompiler, jinan.Code, jinan.Version)));
        var queue = (await host.Resources(s => s.ListAsync(JinanReviewer, new EntryListQuery(PendingReviewOnly: true)))).Value!;
        queue.Items.Select(i => i.Code).ShouldBe([jinan.Code]);
        (await host.Resources(s => s.ListAsync(ProvinceReviewer, new EntryListQuery(PendingReviewOnly: true)))).Value!.Items.Select(i => i.Code).ShouldContain(jinan.Code);
        Ok(await host.Resources(s => s.RejectAsync(JinanReviewer, jinan.Code, jinan.Version, null, new Dictionary<string, string> { ["abstract"] = "摘要过于简单" })));
        var hebei = Ok(await host.Resources(s => s.CreateAsync(HebeiCompiler, TestData.EnterpriseRegistry() with { Name = "河北企业法人库" })));
        hebei = Ok(await host.Resources(s => s.SubmitAsync(HebeiCompiler, hebei.Code, hebei.Version)));
        (await host.Resources(s => s.ApproveAsync(ProvinceReviewer, hebei.Code, hebei.Version, null))).NotFound.ShouldBeTrue();
        (await host.Resources(s => s.ListAsync(MarketCompiler, new EntryListQuery()))).Value!.Items.ShouldAllBe(i => i.DepartmentId == TestData.Market.Id);
    }

    [Fact]
    public async Task Illegal_transitions_are_refused_with_the_current_state()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry())));
        (await host.Resources(s => s.ApproveAsync(ProvinceReviewer, a.Code, a.Version, null))).Conflict.ShouldBe("当前状态为“草稿”，不能审核通过：只有待审核的资源可以审核");
        (await host.Resources(s => s.RecallAsync(MarketCompiler, a.Code, a.Version))).Conflict.ShouldNotBeNull().ShouldStartWith("当前状态为“草稿”，不能撤回报送");
        (await host.Resources(s => s.WithdrawAsync(MarketCompiler, a.Code, a.Version, "x"))).Conflict.ShouldNotBeNull().ShouldStartWith("当前状态为“草稿”，不能下线");
        var p = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, a.Code, a.Version)));
        (await host.Resources(s => s.UpdateAsync(MarketCompiler, p.Code, p.Version, TestData.EnterpriseRegistry()))).Conflict.ShouldNotBeNull().ShouldContain("请先撤回报送");
        (await host.Resources(s => s.RejectAsync(ProvinceReviewer, p.Code, p.Version, null, new Dictionary<string, string>())))
            .Errors.ShouldNotBeNull()["reasons"][0].ShouldContain("至少针对一个字段");
        (await host.Resources(s => s.RejectAsync(ProvinceReviewer, p.Code, p.Version, null, new Dictionary<string, string> { ["colour"] = "?" })))
            .Errors.ShouldNotBeNull().Keys.ShouldContain("reasons.colour");
        var back = Ok(await host.Resources(s => s.RecallAsync(MarketCompiler, p.Code, p.Version)));
        back.Status.ShouldBe("草稿");
        back = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, back.Code, back.Version)));
        var published = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, back.Code, back.Version, null)));
        (await host.Resources(s => s.DeleteAsync(MarketCompiler, published.Code, published.Version))).Conflict.ShouldNotBeNull().ShouldContain("只能下线");
        (await host.Resources(s => s.SubmitAsync(MarketCompiler, published.Code, published.Version))).Conflict.ShouldNotBeNull().ShouldContain("没有待报送的修改");
        var revision = Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, published.Code, published.Version, TestData.EnterpriseRegistry() with { Name = "修订名称" })));
        (await host.Resources(s => s.WithdrawAsync(MarketCompiler, revision.Code, revision.Version, "x"))).Conflict.ShouldNotBeNull().ShouldContain("尚未完成的修订");
        var discarded = Ok(await host.Resources(s => s.DiscardRevisionAsync(MarketCompiler, revision.Code, revision.Version)));
        discarded.Phase.ShouldBe("已发布");
        discarded.Published!.Name.ShouldBe("企业法人库");
        discarded.Working.ShouldBeNull();
    }

    [Fact]
    public async Task Submission_applies_the_basic_information_share_rule_of_the_tree()
    {
        await using var host = await HostAsync();
        var a = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry() with { ShareType = "有条件共享", ShareCondition = "仅限市场监管" })));
        var r = await host.Resources(s => s.SubmitAsync(MarketCompiler, a.Code, a.Version));
        r.Errors.ShouldNotBeNull()["shareType"][0].ShouldContain("无条件共享");
    }

    [Fact]
    public async Task The_three_catalogs_list_only_what_belongs_to_them()
    {
        await using var host = await HostAsync();
        async Task Publish(ResourceInput input)
        {
            var e = Ok(await host.Resources(s => s.CreateAsync(HrCompiler, input)));
            e = Ok(await host.Resources(s => s.SubmitAsync(HrCompiler, e.Code, e.Version)));
            Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, e.Code, e.Version, null)));
        }
        var theme = TestData.EnterpriseRegistry("203001") with { Items = [new ItemInput("参保人数", "insured_count", "N,10")], Keywords = [] };
        await Publish(theme with { Name = "开放资源", ShareType = "无条件共享", OpenType = "无条件开放", OpenCondition = null });
        await Publish(theme with { Name = "仅共享资源", ShareType = "有条件共享", ShareCondition = "用于社保待遇核验", OpenType = "不予开放", OpenCondition = null });
        await Publish(theme with { Name = "不共享资源", ShareType = "不予共享", ShareBasis = "《社会保险法》第八十一条", ShareChannel = null, ShareMethodType = null, OpenType = "不予开放", OpenCondition = null });
        Ok(await host.Resources(s => s.CreateAsync(HrCompiler, theme with { Name = "草稿资源" })));

        async Task<List<string>> Names(CatalogView view) =>
            (await host.Views(v => v.ListAsync(view, new CatalogViewQuery()))).Page!.Items.Select(i => i.Name).Order().ToList();
        (await Names(CatalogView.Business)).ShouldBe(["不共享资源", "仅共享资源", "开放资源"]);
        (await Names(CatalogView.Shared)).ShouldBe(["仅共享资源", "开放资源"]);
        (await Names(CatalogView.Open)).ShouldBe(["开放资源"]);
        var open = (await host.Views(v => v.ListAsync(CatalogView.Open, new CatalogViewQuery()))).Page!.Items.Single();
        open.IsOpen.ShouldBe("是");
        open.ShareChannel.ShouldBeNull();
        var facets = await host.Views(v => v.FacetsAsync(CatalogView.Shared));
        facets.Total.ShouldBe(2);
        facets.Classifications.Single(n => n.Code == "2").Count.ShouldBe(2);
        facets.Classifications.Single(n => n.Code == "203001").Count.ShouldBe(2);
        facets.Departments.Single().DepartmentId.ShouldBe(TestData.HumanResources.Id);
        (await host.Views(v => v.ListAsync(CatalogView.Business, new CatalogViewQuery(ShareType: "部分共享")))).Errors.ShouldNotBeNull().Keys.ShouldContain("shareType");
        (await host.Views(v => v.ListAsync(CatalogView.Business, new CatalogViewQuery(ClassificationCode: "1")))).Page!.Total.ShouldBe(0);
        (await host.Views(v => v.ListAsync(CatalogView.Business, new CatalogViewQuery(DepartmentId: TestData.HumanResources.Id)))).Page!.Total.ShouldBe(3);
    }
}

public sealed class SqliteCatalogServiceTests : CatalogServiceContract
{
    internal override Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null) => CatalogHost.SqliteAsync(departments);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogServiceTests(PostgresCluster cluster) : CatalogServiceContract
{
    internal override async Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null)
    {
        var (cs, drop) = await cluster.CreateDatabaseAsync();
        return await CatalogHost.PostgresAsync(cs, departments, drop);
    }

    /// <summary>The demo seeder on PostgreSQL (SQLite is covered by the web host tests), with departments named like the Identity demo.</summary>
    [Fact]
    public async Task The_demo_seeder_files_the_whole_demo_catalog()
    {
        var cities = new Dictionary<string, string> { ["370000"] = "山东省", ["370100"] = "济南市", ["370200"] = "青岛市", ["371300"] = "临沂市" };
        var departments = GovData.Catalog.Demo.DemoCatalog.Departments.Select((d, i) => TestData.Department(
            (d.Key == "swb" ? "中共山东省委办公厅" : cities[d.Region] + d.NameFragment) + "（演示）",
            d.Key switch { "swb" => DepartmentKind.PartyCommittee, "rd" => DepartmentKind.PeoplesCongress, "zx" => DepartmentKind.PoliticalConsultative,
                "fy" => DepartmentKind.Court, "jcy" => DepartmentKind.Procuratorate, "xxzx" => DepartmentKind.PublicInstitution, _ => DepartmentKind.Government },
            d.Region, $"1{i:D3}{d.Region[..4]}", competent: d.Key.EndsWith("dsj"), sort: i * 10)).ToList();
        await using var host = await HostAsync(departments);
        await host.Run(async sp =>
        {
            var seeder = sp.GetServices<GovData.SharedKernel.Hosting.IDemoSeeder>().Single(s => s.Module == "catalog");
            await seeder.SeedAsync(sp, TestContext.Current.CancellationToken);
            return true;
        });
        var statuses = await host.Db(db => db.Entries.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        statuses.Sum(s => s.Count).ShouldBe(GovData.Catalog.Demo.DemoCatalog.Resources.Length);
        statuses.Select(s => s.Key).ShouldBe(Enum.GetValues<EntryStatus>(), ignoreOrder: true);
        (await host.Db(db => db.History.CountAsync())).ShouldBeGreaterThan(600);
        var shared = await host.Views(v => v.ListAsync(CatalogView.Shared, new CatalogViewQuery(Keyword: "企业法人库")));
        shared.Page!.Items.Single().Code.ShouldBe("102003/1");
    }
}
