using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Quality;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Catalog.Tests.Infrastructure;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Tests;

/// <summary>
/// The quality checks (快速校核) over a real database: entries are filed through the real workflow, then defects are
/// planted directly in the stored published content (as legacy data, a renamed department or a changed rule would
/// leave them) and a run must find each of them — and nothing on the clean control entries. SQLite and PostgreSQL.
/// </summary>
public abstract class QualityContract
{
    internal abstract Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null);

    private static readonly CatalogActor MarketCompiler = CatalogHost.Compiler(TestData.Market, "市场监管编目员");
    private static readonly CatalogActor HrCompiler = CatalogHost.Compiler(TestData.HumanResources, "人社编目员");
    private static readonly CatalogActor JinanCompiler = CatalogHost.Compiler(TestData.JinanMarket, "济南市场监管编目员");
    private static readonly CatalogActor ProvinceReviewer = CatalogHost.Reviewer(TestData.BigData, "省大数据局审核员");
    private static readonly CatalogActor JinanReviewer = CatalogHost.Reviewer(TestData.JinanBigData, "济南大数据局审核员");
    private static readonly QualityScope Province = QualityScope.ForRegion("370000", RegionDirectory.Default);

    private static EntryDto Ok(CatalogResult<EntryDto> r)
    {
        r.Errors.ShouldBeNull(r.Errors is null ? null : string.Join(" | ", r.Errors.Select(e => e.Key + ": " + string.Join(";", e.Value))));
        r.Forbidden.ShouldBeNull();
        return r.Value.ShouldNotBeNull();
    }

    private static async Task<EntryDto> Publish(CatalogHost host, CatalogActor compiler, ResourceInput input)
    {
        var draft = Ok(await host.Resources(s => s.CreateAsync(compiler, input)));
        var pending = Ok(await host.Resources(s => s.SubmitAsync(compiler, draft.Code, draft.Version)));
        return Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, pending.Code, pending.Version, "符合规范")));
    }

    /// <summary>Changes an entry's stored published content behind the workflow's back.</summary>
    private static Task Plant(CatalogHost host, string code, Action<CatalogEntry, ResourceRevision> change) => host.Db(async db =>
    {
        var e = await db.Entries.SingleAsync(x => x.Code == code);
        var r = await db.Revisions.Include(x => x.Items).SingleAsync(x => x.Id == e.PublishedRevisionId);
        change(e, r);
        await db.SaveChangesAsync();
        return 0;
    });

    private static async Task<(QualityRun Run, List<QualityFinding> Findings)> RunAsync(CatalogHost host, QualityScope? scope = null)
    {
        var run = await host.Run(sp => sp.GetRequiredService<QualityService>().ExecuteAsync(scope ?? Province, RunTriggers.Manual, "测试", null));
        var findings = await host.Run(sp => sp.GetRequiredService<QualityDb>().Findings.AsNoTracking().Where(f => f.RunId == run.Id).OrderBy(f => f.Id).ToListAsync());
        return (run, findings);
    }

    /// <summary>A thematic (主题类 社会保险) resource of 人社: 有条件共享, 不予开放, 每月.</summary>
    private static ResourceInput Insurance(string name, params ItemInput[] extra) => new(
        ClassificationCode: "203001",
        Name: name,
        Abstract: "参保人员的社会保险参保登记信息，包括公民身份号码、参保险种、参保状态和参保日期。",
        FormatCategory: "数据库",
        FormatType: "KingbaseES",
        Items:
        [
            new("公民身份号码", "sfzh", "C,18", Required: true, IsKey: true, Sensitivity: "敏感", MaskingRule: "身份证号脱敏"),
            new("参保险种", "insurance_type", "C,3", Sensitivity: "公开"),
            new("参保状态", "insured_status", "C,2", Sensitivity: "公开"),
            .. extra,
        ],
        ShareType: "有条件共享",
        ShareCondition: "用于社会保险经办和待遇核验",
        ShareChannel: "共享平台方式",
        ShareMethodType: "接口(服务)",
        OpenType: "不予开放",
        UpdateCycle: "每月",
        Keywords: ["社保", "参保"]);

    private static IEnumerable<QualityFinding> Of(List<QualityFinding> findings, string rule, EntryDto entry) =>
        findings.Where(f => f.RuleCode == rule && f.EntryId == entry.Id);

    [Fact]
    public async Task Each_rule_finds_its_planted_defect_and_leaves_clean_entries_alone()
    {
        await using var host = await HostAsync();
        var clean = await Publish(host, MarketCompiler, TestData.EnterpriseRegistry() with { Name = "企业法人库（对照）" });
        var cleanThematic = await Publish(host, HrCompiler, Insurance("社会保险参保信息（对照）"));
        async Task<EntryDto> Enterprise(string name) => await Publish(host, MarketCompiler, TestData.EnterpriseRegistry() with { Name = name });
        async Task<EntryDto> Thematic(string name) => await Publish(host, HrCompiler, Insurance(name));

        var noAbstract = await Enterprise("企业法人库（缺摘要）");
        await Plant(host, noAbstract.Code, (_, r) => { r.Abstract = "  "; r.PublishDate = null; });
        var noCondition = await Thematic("参保信息（缺共享条件）");
        await Plant(host, noCondition.Code, (_, r) => { r.ShareCondition = null; r.OpenType = OpenType.Conditional; r.OpenCondition = ""; });
        var badItems = await Enterprise("企业法人库（信息项不全）");
        await Plant(host, badItems.Code, (_, r) =>
        {
            var items = r.Items.OrderBy(i => i.Ordinal).ToList();
            items[1].FieldCode = null;      // 法人名称
            items[3].DataType = null;       // 批准或核准时间
            items[4].Length = null;         // 法定代表人 C without length
        });
        var badCode = await Enterprise("企业法人库（代码不合规）");
        await Plant(host, badCode.Code, (e, _) => e.Code = "1O2003/" + e.Sequence);
        var wrongSequence = await Enterprise("企业法人库（顺序码不一致）");
        await Plant(host, wrongSequence.Code, (e, _) => e.Code = e.ClassificationCode + "/" + (e.Sequence + 900));
        var badProvider = await Enterprise("企业法人库（提供方代码校验位错）");
        await Plant(host, badProvider.Code, (_, r) => r.ProviderCode = r.ProviderCode![..17] + (r.ProviderCode[17] == '0' ? '1' : '0'));
        var otherProvider = await Enterprise("企业法人库（他部门代码）");
        await Plant(host, otherProvider.Code, (_, r) => r.ProviderCode = TestData.HumanResources.CreditCode);
        var conditionalBasic = await Enterprise("企业法人库（有条件共享）");
        await Plant(host, conditionalBasic.Code, (_, r) => { r.ShareType = ShareType.Conditional; r.ShareCondition = "仅限监管部门"; });
        var noBasis = await Thematic("参保信息（不予共享无依据）");
        await Plant(host, noBasis.Code, (_, r) => { r.ShareType = ShareType.NotShared; r.ShareBasis = null; r.ShareCondition = null; });
        var openedNotShared = await Thematic("参保信息（不予共享却开放）");
        await Plant(host, openedNotShared.Code, (_, r) => { r.ShareType = ShareType.NotShared; r.ShareBasis = "《社会保险法》第八十一条"; r.OpenType = OpenType.Unconditional; });
        var stale = await Enterprise("企业法人库（逾期未更新）");
        await Plant(host, stale.Code, (_, r) =>
        {
            r.MetadataUpdatedAt = DateTime.UtcNow.AddDays(-60);
            r.PublishDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-60));
        });

        var (run, findings) = await RunAsync(host);
        run.Status.ShouldBe(RunStatuses.Succeeded);
        run.EntriesChecked.ShouldBe(13);
        run.FindingsTotal.ShouldBe(findings.Count);
        run.ErrorCount.ShouldBe(findings.Count(f => f.Severity == Severities.Error));

        // The clean entries: no finding of any entry rule.
        findings.Where(f => f.EntryId == clean.Id || f.EntryId == cleanThematic.Id).ShouldBeEmpty(
            string.Join(" | ", findings.Where(f => f.EntryId == clean.Id || f.EntryId == cleanThematic.Id).Select(f => f.Message)));

        // NORM-01: blank abstract and publish date, named with the resource and the field.
        var blank = Of(findings, QualityRules.MissingItem, noAbstract).ToList();
        blank.Select(f => f.Field).ShouldBe([ResourceFields.Abstract, ResourceFields.PublishDate], ignoreOrder: true);
        blank.ShouldAllBe(f => f.Severity == Severities.Error && f.EntryCode == noAbstract.Code && f.DepartmentId == TestData.Market.Id);
        blank.Single(f => f.Field == ResourceFields.Abstract).Message.ShouldBe($"信息资源“企业法人库（缺摘要）”（{noAbstract.Code}）的“信息资源摘要”为空");
        blank.Single(f => f.Field == ResourceFields.Abstract).FieldLabel.ShouldBe("信息资源摘要");

        // NORM-02: 有条件共享 without 共享条件, 有条件开放 without 开放条件.
        Of(findings, QualityRules.MissingConditional, noCondition).Select(f => f.Field)
            .ShouldBe([ResourceFields.ShareCondition, ResourceFields.OpenCondition], ignoreOrder: true);
        Of(findings, QualityRules.MissingConditional, noCondition).First().Message.ShouldContain("参保信息（缺共享条件）");

        // NORM-03: item without field code, without data type, C without length.
        var items = Of(findings, QualityRules.IncompleteItems, badItems).ToList();
        items.Select(f => f.Field).ShouldBe(["items[1].fieldCode", "items[3].dataType", "items[4].length"]);
        items[0].Message.ShouldContain("信息项“法人名称”没有字段代码");
        items[1].FieldLabel.ShouldBe("信息项“批准或核准时间”的数据类型");
        items[2].Message.ShouldContain("须注明长度");

        // CODE-01: shape and sequence.
        Of(findings, QualityRules.CodeShape, badCode).Single().Message.ShouldContain("1O2003/");
        Of(findings, QualityRules.CodeShape, wrongSequence).Single().Message.ShouldContain("与登记的顺序码");

        // CODE-03: check character and another department's code.
        Of(findings, QualityRules.ProviderCode, badProvider).Single().Message.ShouldContain("校验");
        Of(findings, QualityRules.ProviderCode, otherProvider).Single().Message
            .ShouldContain($"不是编目部门“{TestData.Market.Name}”的统一社会信用代码 {TestData.Market.CreditCode}");

        // SHARE-01/02/03.
        Of(findings, QualityRules.BasicShare, conditionalBasic).Single().Message.ShouldContain("属于法人基础信息，共享类型应为“无条件共享”，实际为“有条件共享”");
        Of(findings, QualityRules.NotSharedBasis, noBasis).Single().Field.ShouldBe(ResourceFields.ShareBasis);
        Of(findings, QualityRules.ShareOpenConflict, openedNotShared).Single().Severity.ShouldBe(Severities.Warning);
        Of(findings, QualityRules.NotSharedBasis, openedNotShared).ShouldBeEmpty();

        // UPDATE-01: 每日 resource untouched for 60 days (allowed 1 + 7).
        var staleFinding = Of(findings, QualityRules.Stale, stale).Single();
        staleFinding.Message.ShouldContain("已 60 天未更新（允许 8 天");
        staleFinding.Field.ShouldBe(ResourceFields.UpdateCycle);

        // Each planted entry is flagged by its own rules only (no collateral findings).
        var expected = new Dictionary<Guid, string[]>
        {
            [noAbstract.Id] = [QualityRules.MissingItem],
            [noCondition.Id] = [QualityRules.MissingConditional],
            [badItems.Id] = [QualityRules.IncompleteItems],
            [badCode.Id] = [QualityRules.CodeShape],
            [wrongSequence.Id] = [QualityRules.CodeShape],
            [badProvider.Id] = [QualityRules.ProviderCode],
            [otherProvider.Id] = [QualityRules.ProviderCode],
            [conditionalBasic.Id] = [QualityRules.BasicShare],
            [noBasis.Id] = [QualityRules.NotSharedBasis],
            [openedNotShared.Id] = [QualityRules.ShareOpenConflict],
            [stale.Id] = [QualityRules.Stale],
        };
        foreach (var (id, rules) in expected)
            findings.Where(f => f.EntryId == id).Select(f => f.RuleCode).Distinct().ShouldBe(rules, ignoreOrder: true,
                customMessage: string.Join(" | ", findings.Where(f => f.EntryId == id).Select(f => f.RuleCode + " " + f.Message)));
    }

    [Fact]
    public async Task A_renamed_department_and_a_deactivated_classification_are_found()
    {
        await using var host = await HostAsync();
        var clean = await Publish(host, HrCompiler, Insurance("社会保险参保信息"));
        var entry = await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        host.Departments.Replace(TestData.Market with { Name = "山东省市场监督管理局（更名后）" });
        await host.Db(async db =>
        {
            var node = await db.Classifications.SingleAsync(c => c.Code == "102003");
            node.IsActive = false;
            await db.SaveChangesAsync();
            return 0;
        });

        var (_, findings) = await RunAsync(host);
        var renamed = Of(findings, QualityRules.ProviderName, entry).Single();
        renamed.Message.ShouldContain("与编目部门现名“山东省市场监督管理局（更名后）”不一致");
        renamed.DepartmentName.ShouldBe("山东省市场监督管理局（更名后）");
        var inactive = Of(findings, QualityRules.ClassificationPath, entry).Single();
        inactive.Severity.ShouldBe(Severities.Warning);
        inactive.Message.ShouldContain("“102003 企业单位法人”已停用");
        findings.Where(f => f.EntryId == clean.Id).ShouldBeEmpty();
    }

    [Fact]
    public async Task Multiple_sources_list_every_provider_and_the_basic_resource_as_authority()
    {
        await using var host = await HostAsync();
        var registry = await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        // 人社 lists the employer's credit code under another name and a pinyin field code.
        var insurance = await Publish(host, HrCompiler, Insurance("参保单位信息", new ItemInput("社会信用代码", "tyshxydm", "C,18", Sensitivity: "公开")));
        // Same department, second resource with the element: one source, not counted twice as a department.
        var change = await Publish(host, MarketCompiler, TestData.EnterpriseRegistry("102003") with { Name = "企业变更登记信息" });

        var (firstRun, findings) = await RunAsync(host);
        var dup = findings.Where(f => f.RuleCode == QualityRules.MultipleSources && f.Subject == "统一社会信用代码").ToList();
        // No authority: two 基础类 resources (both of 市场监管) provide it, so there are several candidates.
        dup.Count.ShouldBe(3);
        dup.Count(f => f.Details is not null).ShouldBe(1, "提供方清单每组只存一份");
        // 人社's compiler sees its own finding with the whole provider list (stored on 市场监管's finding).
        var hrView = (await host.Run(sp => sp.GetRequiredService<QualityService>().ReportAsync(HrCompiler, firstRun.Id, new FindingQuery(Rule: "DUP-01")))).Value!;
        var hrDup = hrView.Findings.SelectMany(g => g.Findings).Single();
        hrDup.EntryId.ShouldBe(insurance.Id);
        hrDup.Sources.ShouldNotBeNull().Members.Count.ShouldBe(3);
        dup.ShouldAllBe(f => f.Severity == Severities.Error && f.Message.Contains("未指定权威来源：有2个基础类资源提供该数据元"));
        var details = MultipleSourceDetails.FromJson(dup[0].Details).ShouldNotBeNull();
        details.Members.Select(m => (m.Code, m.DepartmentName, m.ItemName, m.FieldCode)).ShouldBe(
        [
            (registry.Code, TestData.Market.Name, "统一社会信用代码", "credit_code"),
            (change.Code, TestData.Market.Name, "统一社会信用代码", "credit_code"),
            (insurance.Code, TestData.HumanResources.Name, "社会信用代码", "tyshxydm"),
        ], ignoreOrder: true);
        details.AuthoritativeEntryId.ShouldBeNull();
        // 公民身份号码 only comes from 人社 here: not a multiple-source element.
        findings.ShouldNotContain(f => f.RuleCode == QualityRules.MultipleSources && f.Subject == "公民身份号码");

        // The competent department designates 企业法人库: it wins; the other department's resource is asked to reference it.
        var designated = await host.Run(sp => sp.GetRequiredService<QualityService>()
            .DesignateAsync(ProvinceReviewer, new DesignateRequest("统一社会信用代码", registry.Code, "国家法人库地方节点")));
        designated.Ok.ShouldBeTrue();
        (_, findings) = await RunAsync(host);
        dup = findings.Where(f => f.RuleCode == QualityRules.MultipleSources).ToList();
        var only = dup.Single();
        only.EntryId.ShouldBe(insurance.Id);
        only.Severity.ShouldBe(Severities.Warning);
        only.Message.ShouldContain($"与权威来源“企业法人库”（{registry.Code}");
        only.Message.ShouldContain("主管部门指定的权威来源");
        only.Field.ShouldBe("items[3].name");
        details = MultipleSourceDetails.FromJson(only.Details).ShouldNotBeNull();
        details.AuthoritativeEntryId.ShouldBe(registry.Id);
        details.Members.Single(m => m.Authoritative).Designated.ShouldBeTrue();
        details.Members.Count.ShouldBe(3);

        // Referencing the authority in 关联资源代码 settles it.
        await Plant(host, insurance.Code, (_, r) => r.RelatedCodes = registry.Code);
        (_, findings) = await RunAsync(host);
        findings.ShouldNotContain(f => f.RuleCode == QualityRules.MultipleSources);

        // Designating a second resource makes the authority ambiguous again.
        (await host.Run(sp => sp.GetRequiredService<QualityService>().DesignateAsync(ProvinceReviewer, new DesignateRequest("统一社会信用代码", insurance.Code, null)))).Ok.ShouldBeTrue();
        (_, findings) = await RunAsync(host);
        findings.Where(f => f.RuleCode == QualityRules.MultipleSources).ShouldAllBe(f => f.Message.Contains("主管部门指定了2个资源为权威来源"));
        findings.Count(f => f.RuleCode == QualityRules.MultipleSources).ShouldBe(3);
    }

    [Fact]
    public async Task The_single_basic_resource_is_the_authority_and_without_one_the_element_has_none()
    {
        await using var host = await HostAsync();
        var registry = await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        var insurance = await Publish(host, HrCompiler, Insurance("参保单位信息", new ItemInput("单位代码", "USCC", "C,18", Sensitivity: "公开")));
        var jinan = await Publish(host, JinanCompiler, Insurance("济南企业年报信息", new ItemInput("统一社会信用代码", "credit_code", "C,18", Sensitivity: "公开")) with
        {
            ClassificationCode = "203001",
        });

        var (_, findings) = await RunAsync(host);
        var dup = findings.Where(f => f.RuleCode == QualityRules.MultipleSources && f.Subject == "统一社会信用代码").ToList();
        dup.Select(f => f.EntryId).ShouldBe([insurance.Id, jinan.Id], ignoreOrder: true);
        dup.ShouldAllBe(f => f.Severity == Severities.Warning && f.Message.Contains("唯一提供该数据元的基础类资源"));
        var details = MultipleSourceDetails.FromJson(dup[0].Details).ShouldNotBeNull();
        details.AuthoritativeEntryId.ShouldBe(registry.Id);
        details.Members.Select(m => m.DepartmentName).ShouldBe([TestData.Market.Name, TestData.HumanResources.Name, TestData.JinanMarket.Name], ignoreOrder: true);
        details.Members.Single(m => m.EntryId == insurance.Id).FieldCode.ShouldBe("USCC");
        // 公民身份号码: 人社 and 济南 both provide it, neither is 基础类 → no authority.
        var people = findings.Where(f => f.RuleCode == QualityRules.MultipleSources && f.Subject == "公民身份号码").ToList();
        people.Count.ShouldBe(2);
        people.ShouldAllBe(f => f.Severity == Severities.Error && f.Message.Contains("未指定权威来源：没有基础类资源提供该数据元"));

        // The Jinan report sees only Jinan's resource: no second department, no group.
        var (_, jinanFindings) = await RunAsync(host, QualityScope.ForRegion("370100", RegionDirectory.Default));
        jinanFindings.ShouldNotContain(f => f.RuleCode == QualityRules.MultipleSources);
        jinanFindings.Where(f => f.EntryId is not null).ShouldAllBe(f => f.EntryId == jinan.Id);
    }

    [Fact]
    public async Task Designation_is_limited_to_reviewers_of_the_department_and_to_resources_that_provide_the_element()
    {
        await using var host = await HostAsync();
        var registry = await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        var insurance = await Publish(host, HrCompiler, Insurance("参保信息"));
        QualityService Service(IServiceProvider sp) => sp.GetRequiredService<QualityService>();

        (await host.Run(sp => Service(sp).DesignateAsync(MarketCompiler, new DesignateRequest("统一社会信用代码", registry.Code, null)))).Forbidden.ShouldNotBeNull();
        (await host.Run(sp => Service(sp).DesignateAsync(JinanReviewer, new DesignateRequest("统一社会信用代码", registry.Code, null)))).Forbidden.ShouldNotBeNull();
        var missing = await host.Run(sp => Service(sp).DesignateAsync(ProvinceReviewer, new DesignateRequest("统一社会信用代码", insurance.Code, null)));
        missing.Errors.ShouldNotBeNull()["resource"][0].ShouldContain("没有数据元“统一社会信用代码”对应的信息项");
        var unknown = await host.Run(sp => Service(sp).DesignateAsync(ProvinceReviewer, new DesignateRequest("备注", registry.Code, null)));
        unknown.Errors.ShouldNotBeNull()["element"][0].ShouldContain("不在一数多源检查范围内");
        var admin = await host.Run(sp => Service(sp).DesignateAsync(CatalogHost.Admin(TestData.BigData), new DesignateRequest("统一社会信用代码", registry.Id.ToString(), null)));
        admin.Ok.ShouldBeTrue();
        (await host.Run(sp => Service(sp).AuthoritiesAsync(ProvinceReviewer))).Value!.Single().EntryName.ShouldBe("企业法人库");
        (await host.Run(sp => Service(sp).RevokeAsync(MarketCompiler, "统一社会信用代码", registry.Code))).Forbidden.ShouldNotBeNull();
        (await host.Run(sp => Service(sp).RevokeAsync(ProvinceReviewer, "统一社会信用代码", registry.Code))).Ok.ShouldBeTrue();
        (await host.Run(sp => Service(sp).RevokeAsync(ProvinceReviewer, "统一社会信用代码", registry.Code))).NotFound.ShouldBeTrue();
    }

    [Fact]
    public async Task Runs_are_visible_by_scope_and_compilers_see_only_their_department()
    {
        await using var host = await HostAsync();
        await Publish(host, MarketCompiler, TestData.EnterpriseRegistry() with { Abstract = "企业法人登记基本信息。" });
        var hr = await Publish(host, HrCompiler, Insurance("参保信息"));
        await Plant(host, hr.Code, (_, r) => r.Abstract = null);
        QualityService Service(IServiceProvider sp) => sp.GetRequiredService<QualityService>();

        (await host.Run(sp => Service(sp).StartAsync(MarketCompiler, null))).Forbidden.ShouldBe("只有目录审核员或平台管理员可以发起目录质量校核");
        (await host.Run(sp => Service(sp).StartAsync(ProvinceReviewer, "platform"))).Forbidden.ShouldNotBeNull();
        (await host.Run(sp => Service(sp).StartAsync(JinanReviewer, "370000"))).Forbidden.ShouldNotBeNull();
        (await host.Run(sp => Service(sp).StartAsync(ProvinceReviewer, "999999"))).Errors.ShouldNotBeNull().Keys.ShouldContain("scope");
        var provinceRun = (await host.Run(sp => Service(sp).StartAsync(ProvinceReviewer, null))).Value.ShouldNotBeNull();
        provinceRun.Scope.ShouldBe("370000");
        provinceRun.ScopeName.ShouldBe("山东省");
        var jinanRun = (await host.Run(sp => Service(sp).StartAsync(ProvinceReviewer, "370100"))).Value.ShouldNotBeNull();
        var platformRun = (await host.Run(sp => Service(sp).StartAsync(CatalogHost.Admin(TestData.BigData), null))).Value.ShouldNotBeNull();
        platformRun.Scope.ShouldBe("platform");

        // The Jinan reviewer sees the Jinan run only; the provincial one sees both regional runs; the admin all three.
        var jinanList = (await host.Run(sp => Service(sp).ListRunsAsync(JinanReviewer, null, 1, 20))).Value!;
        jinanList.Items.Select(r => r.Id).ShouldBe([jinanRun.Id]);
        (await host.Run(sp => Service(sp).ListRunsAsync(ProvinceReviewer, null, 1, 20))).Value!.Total.ShouldBe(2);
        (await host.Run(sp => Service(sp).ListRunsAsync(CatalogHost.Admin(TestData.BigData), null, 1, 20))).Value!.Total.ShouldBe(3);
        (await host.Run(sp => Service(sp).ReportAsync(JinanReviewer, provinceRun.Id, new FindingQuery()))).NotFound.ShouldBeTrue();

        // 人社's compiler sees the provincial run, only 人社's findings.
        var hrReport = (await host.Run(sp => Service(sp).ReportAsync(HrCompiler, provinceRun.Id, new FindingQuery()))).Value.ShouldNotBeNull();
        hrReport.Visibility.ShouldBe("本部门问题");
        var hrFindings = hrReport.Findings.SelectMany(g => g.Findings).ToList();
        hrFindings.ShouldNotBeEmpty();
        hrFindings.ShouldAllBe(f => f.DepartmentId == TestData.HumanResources.Id);
        hrFindings.ShouldContain(f => f.RuleCode == QualityRules.MissingItem && f.EntryId == hr.Id);
        hrReport.Summary.Single(s => s.Code == QualityRules.MissingItem).Total.ShouldBe(1);
        var full = (await host.Run(sp => Service(sp).ReportAsync(ProvinceReviewer, provinceRun.Id, new FindingQuery()))).Value!;
        full.Visibility.ShouldBe("全部问题");
        full.Matched.ShouldBe(provinceRun.FindingsTotal);
        full.Findings.Select(g => g.Code).ShouldBe(QualityRules.All.Select(r => r.Code).Where(c => full.Findings.Any(g => g.Code == c)));

        // Filters: by rule and severity, with Chinese messages for bad values.
        var filtered = (await host.Run(sp => Service(sp).ReportAsync(ProvinceReviewer, provinceRun.Id, new FindingQuery(Rule: "cover-02", Severity: "警告")))).Value!;
        filtered.Findings.Single().Code.ShouldBe(QualityRules.DepartmentCoverage);
        filtered.Findings.Single().Findings.ShouldAllBe(f => f.Severity == Severities.Warning);
        var bad = await host.Run(sp => Service(sp).ReportAsync(ProvinceReviewer, provinceRun.Id, new FindingQuery(Rule: "X-1", Severity: "严重")));
        bad.Errors.ShouldNotBeNull().Keys.ShouldBe(["rule", "severity"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_run_that_cannot_store_its_findings_is_recorded_as_failed()
    {
        await using var host = await HostAsync();
        await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        await host.Db(db => db.Database.ExecuteSqlRawAsync("DROP TABLE catalog_quality_findings"));
        await Should.ThrowAsync<DbUpdateException>(() => RunAsyncRaw(host));
        var run = await host.Run(sp => sp.GetRequiredService<QualityDb>().Runs.AsNoTracking().SingleAsync());
        run.Status.ShouldBe(RunStatuses.Failed);
        run.FinishedAt.ShouldNotBeNull();
        run.Error.ShouldNotBeNullOrWhiteSpace();
    }

    private static Task<QualityRun> RunAsyncRaw(CatalogHost host) =>
        host.Run(sp => sp.GetRequiredService<QualityService>().ExecuteAsync(Province, RunTriggers.Manual, "测试", null));

    [Fact]
    public async Task Coverage_counts_domains_and_departments_of_the_scope_against_eighty_percent()
    {
        await using var host = await HostAsync();
        await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        await Publish(host, HrCompiler, Insurance("参保信息"));
        var (run, findings) = await RunAsync(host);
        var coverage = CoverageReport.FromJson(run.Coverage).ShouldNotBeNull();
        // The departments of the test tree in 山东省 and below (济南市, 青岛市); 河北 is outside.
        var inScope = TestData.All.Where(d => RegionDirectory.Default.IsWithin(d.RegionCode, "370000")).ToList();
        coverage.Departments.Total.ShouldBe(inScope.Count);
        coverage.Departments.Covered.ShouldBe(2);
        coverage.Departments.Met.ShouldBeFalse();
        coverage.DepartmentItems.Single(d => d.DepartmentId == TestData.Market.Id).Resources.ShouldBe(1);
        findings.Count(f => f.RuleCode == QualityRules.DepartmentCoverage && f.Severity == Severities.Warning).ShouldBe(inScope.Count - 2);
        findings.Single(f => f.RuleCode == QualityRules.DepartmentCoverage && f.Severity == Severities.Error).Message
            .ShouldBe($"范围内 2/{inScope.Count} 个部门有已发布的信息资源（{QualityChecker.Percent(Math.Round(2.0 / inScope.Count, 4))}），低于 80% 的要求");
        // 企业 (法人基础信息 path, keyword 企业) and 人社 (社会保障 path, keyword 社保): 2 of 12.
        coverage.DomainItems.Where(d => d.Covered).Select(d => d.Domain).ShouldBe(["企业", "人社"]);
        coverage.Domains.Ratio.ShouldBe(Math.Round(2.0 / 12, 4));
        findings.Count(f => f.RuleCode == QualityRules.DomainCoverage && f.Severity == Severities.Warning).ShouldBe(10);
    }
}

/// <summary>Coverage arithmetic and the update-cycle boundary on hand-made snapshots (no database).</summary>
public sealed class QualityCheckerTests
{
    private static Classification Node(string code, string name, string? parent, int depth, bool basic = false) => new()
    {
        Code = code, Name = name, ParentCode = parent, Depth = depth, Segment = code, Origin = ClassificationOrigins.Guide,
        ClassCode = code[0] - '0', RequiresUnconditionalShare = basic,
    };

    private static readonly Dictionary<string, Classification> Nodes = new[]
    {
        Node("2", "主题信息资源", null, 1), Node("211", "生态环保", "2", 2), Node("211001", "环境质量", "211", 3),
        Node("201", "公共服务", "2", 2), Node("201001", "教育", "201", 3),
    }.ToDictionary(n => n.Code);

    private static CheckedEntry Entry(DepartmentInfo d, string classification, string? keywords = null, UpdateCycle cycle = UpdateCycle.Monthly, int ageDays = 0)
    {
        var id = Guid.NewGuid();
        var now = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var entry = new CatalogEntry
        {
            Id = id, Code = classification + "/1", ClassificationCode = classification, ClassCode = classification[0] - '0',
            ItemCode = classification[1..3], CategoryCode = classification[3..6], Sequence = 1, DepartmentId = d.Id,
            Status = EntryStatus.Published, MetadataIdentifier = "m",
        };
        var revision = new ResourceRevision
        {
            Id = Guid.NewGuid(), EntryId = id, Name = "资源", Abstract = "摘要", ProviderName = d.Name, ProviderCode = d.CreditCode,
            FormatCategory = FormatCategory.ElectronicFile, FormatType = "pdf", ShareType = ShareType.Unconditional, ShareChannel = ShareChannel.Platform,
            ShareMethodType = ShareMethodType.File, OpenType = OpenType.NotOpen, UpdateCycle = cycle, PublishDate = DateOnly.FromDateTime(now.AddDays(-ageDays)),
            MetadataUpdatedAt = now.AddDays(-ageDays), MetadataMaintainer = d.Name, SecurityClass = SecurityClass.NonClassified,
            Hierarchy = CatalogHierarchy.Department, Keywords = keywords,
        };
        return new CheckedEntry(entry, revision);
    }

    private static QualitySnapshot Snapshot(IReadOnlyList<DepartmentInfo> departments, params CheckedEntry[] entries) =>
        new(entries, Nodes, departments, departments.ToDictionary(d => d.Id), [], new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));

    private static DepartmentInfo Dept(int i, params string[] domains) =>
        TestData.Department($"测试部门{i}", DepartmentKind.Government, "370000", $"{i:D4}3700") with { Domains = domains };

    [Fact]
    public void Department_coverage_meets_the_threshold_at_exactly_eighty_percent()
    {
        var departments = Enumerable.Range(1, 10).Select(i => Dept(i)).ToList();
        var eight = departments.Take(8).Select(d => Entry(d, "211001")).ToArray();
        var met = QualityChecker.Run(Snapshot(departments, eight)).Coverage.Departments;
        met.ShouldBe(new CoverageFigure(8, 10, 0.8, true));
        var seven = QualityChecker.Run(Snapshot(departments, eight[..7]));
        seven.Coverage.Departments.ShouldBe(new CoverageFigure(7, 10, 0.7, false));
        seven.Findings.Count(f => f.RuleCode == QualityRules.DepartmentCoverage && f.Severity == Severities.Warning).ShouldBe(3);
        seven.Findings.Single(f => f.RuleCode == QualityRules.DepartmentCoverage && f.Severity == Severities.Error).Message.ShouldContain("7/10");
        QualityChecker.Run(Snapshot([])).Coverage.Departments.ShouldBe(new CoverageFigure(0, 0, 0, false));
    }

    [Fact]
    public void Domains_come_from_department_domains_classification_path_and_keywords()
    {
        // Ten departments declaring one domain each (the Identity demo spelling: “企业、市场监管”, “安全生产、应急”).
        var declared = new[] { "企业、市场监管", "人社", "医疗卫生", "民政", "建设", "交通运输", "文化", "科技", "农业", "安全生产、应急" };
        var departments = declared.Select((d, i) => Dept(i + 1, d.Split('、'))).ToList();
        var entries = departments.Select(d => Entry(d, "211001")).ToList(); // path 生态环保 → 环保 for all
        var ten = QualityChecker.Run(Snapshot(departments, [.. entries]));
        ten.Coverage.DomainItems.Where(d => !d.Covered).Select(d => d.Domain).ShouldBe(["教育"]);
        ten.Coverage.Domains.ShouldBe(new CoverageFigure(11, 12, 0.9167, true));
        ten.Coverage.DomainItems.Single(d => d.Domain == "环保").Resources.ShouldBe(10);
        ten.Coverage.DomainItems.Single(d => d.Domain == "企业").Departments.ShouldBe(1);
        ten.Findings.Single(f => f.RuleCode == QualityRules.DomainCoverage).Subject.ShouldBe("教育");

        // A keyword (and the 公共服务 › 教育 path) brings 教育 in.
        var withEducation = QualityChecker.Run(Snapshot(departments, [.. entries, Entry(departments[0], "201001")]));
        withEducation.Coverage.Domains.Covered.ShouldBe(12);
        withEducation.Findings.ShouldNotContain(f => f.RuleCode == QualityRules.DomainCoverage);

        // Eight declared domains plus 环保 from the path: 9 of 12 (75%) is below the line.
        var nine = QualityChecker.Run(Snapshot(departments.Take(8).ToList(), [.. entries.Take(8)]));
        nine.Coverage.Domains.ShouldBe(new CoverageFigure(9, 12, 0.75, false));
        nine.Findings.Single(f => f.RuleCode == QualityRules.DomainCoverage && f.Severity == Severities.Error).Message
            .ShouldBe("已发布资源覆盖 9/12 个评估领域（75.0%），低于 80% 的要求");
    }

    [Theory]
    [InlineData(UpdateCycle.Daily, 8, false)]
    [InlineData(UpdateCycle.Daily, 9, true)]
    [InlineData(UpdateCycle.Monthly, 46, false)]
    [InlineData(UpdateCycle.Monthly, 47, true)]
    [InlineData(UpdateCycle.Yearly, 396, false)]
    [InlineData(UpdateCycle.Yearly, 397, true)]
    [InlineData(UpdateCycle.Irregular, 396, false)]
    [InlineData(UpdateCycle.Irregular, 400, true)]
    public void Update_cycle_with_grace(UpdateCycle cycle, int ageDays, bool flagged)
    {
        var d = Dept(1, "环保");
        var outcome = QualityChecker.Run(Snapshot([d], Entry(d, "211001", cycle: cycle, ageDays: ageDays)));
        outcome.Findings.Any(f => f.RuleCode == QualityRules.Stale).ShouldBe(flagged);
    }
}

public sealed class SqliteQualityTests : QualityContract
{
    internal override Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null) => CatalogHost.SqliteAsync(departments);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresQualityTests(PostgresCluster cluster) : QualityContract
{
    internal override async Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null)
    {
        var (cs, drop) = await cluster.CreateDatabaseAsync();
        return await CatalogHost.PostgresAsync(cs, departments, drop);
    }
}
