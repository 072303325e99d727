using Dapper;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Search;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Transfer;
using GovData.Catalog.Persistence;
using GovData.Catalog.Tests.Infrastructure;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Tests;

/// <summary>
/// Chinese full-text search over a small, known catalog. Runs once on SQLite (FTS5 trigram + gram index) and once on
/// PostgreSQL (pg_trgm + gram array), so both index schemes and both SQL dialects answer the same questions.
/// </summary>
public abstract class SearchContract
{
    internal abstract Task<CatalogHost> HostAsync();

    private static readonly CatalogActor MarketCompiler = CatalogHost.Compiler(TestData.Market, "市场监管编目员");
    private static readonly CatalogActor HrCompiler = CatalogHost.Compiler(TestData.HumanResources, "人社编目员");
    private static readonly CatalogActor HealthCompiler = CatalogHost.Compiler(TestData.QingdaoHealth, "青岛卫健编目员");
    private static readonly CatalogActor ProvinceReviewer = CatalogHost.Reviewer(TestData.BigData, "省大数据局审核员");

    private const string Enterprise = "企业法人库";
    private const string Household = "个体工商户登记信息";
    private const string Insurance = "社会保险参保登记信息";
    private const string Unemployment = "失业保险金领取信息";
    private const string CardDraft = "社保卡发放信息";
    private const string Training = "法人培训机构名录";
    private const string Hospitals = "医疗机构执业登记信息";

    private const string HospitalAbstract = "全市医疗机构执业登记信息，含<b>床位</b>数 & \"机构等级\"，供 HIS 系统对接。";

    private static EntryDto Ok(CatalogResult<EntryDto> r)
    {
        r.Errors.ShouldBeNull(r.Errors is null ? null : string.Join(" | ", r.Errors.Select(e => e.Key + ": " + string.Join(";", e.Value))));
        r.Forbidden.ShouldBeNull();
        r.Conflict.ShouldBeNull();
        return r.Value.ShouldNotBeNull();
    }

    private static async Task<EntryDto> Publish(CatalogHost host, CatalogActor compiler, ResourceInput input)
    {
        var e = Ok(await host.Resources(s => s.CreateAsync(compiler, input)));
        e = Ok(await host.Resources(s => s.SubmitAsync(compiler, e.Code, e.Version)));
        return Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, e.Code, e.Version, null)));
    }

    /// <summary>
    /// The known catalog: five published resources of three departments across the three 类, one draft and one
    /// resource taken offline.
    /// </summary>
    private static async Task<CatalogHost> CorpusAsync(CatalogHost host)
    {
        await Publish(host, MarketCompiler, TestData.EnterpriseRegistry());
        await Publish(host, MarketCompiler, TestData.EnterpriseRegistry() with
        {
            Name = Household,
            Abstract = "全省个体工商户的登记信息。个体工商户不具备法人资格，以经营者个人财产承担责任。",
            Items =
            [
                new("统一社会信用代码", "credit_code", "C,18", Required: true, IsKey: true, Sensitivity: "公开"),
                new("经营者姓名", "operator_name", "C,50", Sensitivity: "内部"),
                new("经营场所", "premises", "C,200", Sensitivity: "公开"),
            ],
            OpenType = "无条件开放", OpenCondition = null, UpdateCycle = "每月", Keywords = ["个体工商户"],
        });
        var social = TestData.EnterpriseRegistry("203001") with
        {
            Name = Insurance,
            Abstract = "参保单位和个人的社会保险登记信息。",
            Items =
            [
                new("社会保障号码", "social_security_no", "C,18", Required: true, IsKey: true, Sensitivity: "敏感", MaskingRule: "保留首尾"),
                new("姓名", "person_name", "C,50", Sensitivity: "内部"),
                new("参保险种", "insurance_type", "C,20", Sensitivity: "内部"),
                new("统一社会信用代码", "credit_code", "C,18", Sensitivity: "公开"),
            ],
            ShareType = "有条件共享", ShareCondition = "用于社会保险经办与政务服务核验", OpenType = "不予开放", OpenCondition = null,
            Keywords = ["社保", "参保"],
        };
        await Publish(host, HrCompiler, social);
        await Publish(host, HrCompiler, social with
        {
            Name = Unemployment,
            Abstract = "失业保险金发放明细，用于社保待遇重复领取比对。",
            Items =
            [
                new("社会保障号码", "social_security_no", "C,18", Required: true, IsKey: true, Sensitivity: "敏感", MaskingRule: "保留首尾"),
                new("待遇金额", "benefit_amount", "Y,12,2", Sensitivity: "内部"),
            ],
            ShareType = "不予共享", ShareCondition = null, ShareBasis = "《社会保险法》第八十一条（个人权益记录保密）", ShareChannel = null, ShareMethodType = null,
            UpdateCycle = "每月", Keywords = ["失业保险"],
        });
        Ok(await host.Resources(s => s.CreateAsync(HrCompiler, social with { Name = CardDraft, Keywords = ["社保", "社保卡"] })));
        var training = await Publish(host, HrCompiler, social with { Name = Training, Keywords = ["培训"] });
        Ok(await host.Resources(s => s.WithdrawAsync(HrCompiler, training.Code, training.Version, "机构已撤销")));

        var category = (await host.Classifications(s => s.EnsureDepartmentCategoryAsync(TestData.QingdaoHealth.Id))).ShouldNotBeNull();
        await Publish(host, HealthCompiler, TestData.EnterpriseRegistry(category) with
        {
            Name = Hospitals,
            Abstract = HospitalAbstract,
            FormatCategory = "电子表格", FormatType = "xlsx",
            Items =
            [
                new("医疗机构名称", "institution_name", "C,100", Required: true, IsKey: true, Sensitivity: "公开"),
                new("统一社会信用代码", "credit_code", "C,18", Sensitivity: "公开"),
                new("床位数", "bed_count", "N,6", Sensitivity: "公开"),
                new("诊疗科目", "clinical_subjects", "C,200", Sensitivity: "公开"),
            ],
            ShareType = "无条件共享", OpenType = "无条件开放", OpenCondition = null, UpdateCycle = "每月", Keywords = ["医疗机构", "HIS"],
        });
        return host;
    }

    private static Task<CatalogResult<SearchResultDto>> Search(CatalogHost host, CatalogActor? actor, SearchQuery query) =>
        host.Run(sp => sp.GetRequiredService<CatalogSearch>().SearchAsync(actor, query));

    private static async Task<SearchResultDto> Found(CatalogHost host, string? q, CatalogActor? actor = null, SearchScope scope = SearchScope.Business)
    {
        var r = await Search(host, actor ?? MarketCompiler, new SearchQuery(q, scope));
        r.Errors.ShouldBeNull(r.Errors is null ? null : string.Join(" | ", r.Errors.Select(e => e.Key + ": " + string.Join(";", e.Value))));
        r.Forbidden.ShouldBeNull();
        var result = r.Value.ShouldNotBeNull();
        result.Items.Count.ShouldBe(result.Total, "测试数据量小于一页");
        return result;
    }

    private static async Task<List<string>> Names(CatalogHost host, string? q, CatalogActor? actor = null, SearchScope scope = SearchScope.Business) =>
        (await Found(host, q, actor, scope)).Items.Select(i => i.Name).ToList();

    [Fact]
    public async Task Two_character_words_are_found_in_keywords_and_abstracts_and_ranked()
    {
        await using var host = await CorpusAsync(await HostAsync());
        // 社保: a keyword of 社会保险参保登记信息, only the abstract of 失业保险金领取信息; the draft 社保卡发放信息 is not published.
        (await Names(host, "社保")).ShouldBe([Insurance, Unemployment]);
        // 法人: name, keyword and item of 企业法人库; only the abstract of 个体工商户登记信息; 法人培训机构名录 is offline.
        (await Names(host, "法人")).ShouldBe([Enterprise, Household]);
        var hit = (await Found(host, "社保")).Items[0];
        hit.Highlights.Keywords.ShouldBe(["<mark>社保</mark>", "参保"]);
        hit.Score.ShouldBeGreaterThan((await Found(host, "社保")).Items[1].Score);
        (await Found(host, "社保")).Items[1].Highlights.Abstract.ShouldBe("失业保险金发放明细，用于<mark>社保</mark>待遇重复领取比对。");
        // One character, and ASCII case folding through both indexes.
        (await Names(host, "保")).Order().ShouldBe(new[] { Insurance, Unemployment }.Order());
        (await Names(host, "his")).ShouldBe([Hospitals]);
        (await Names(host, "Hi")).ShouldBe([Hospitals]);
    }

    [Fact]
    public async Task Phrases_names_providers_and_item_names_are_found()
    {
        await using var host = await CorpusAsync(await HostAsync());
        (await Names(host, "统一社会信用代码")).Order().ShouldBe(new[] { Enterprise, Household, Insurance, Hospitals }.Order());
        var registry = await Found(host, "企业法人库");
        registry.Items.Single().Name.ShouldBe(Enterprise);
        registry.Items[0].Code.ShouldBe("102003/1");
        registry.Items[0].Highlights.Name.ShouldBe("<mark>企业法人库</mark>");
        registry.Items[0].ClassificationPath.ShouldBe("基础信息资源 › 法人基础信息 › 企业单位法人");
        registry.Items[0].ClassLabel.ShouldBe("基础类");
        // The provider (the department's name) of the published HR resources.
        var hr = await Found(host, "人力资源和社会保障厅");
        hr.Items.Select(i => i.Name).Order().ShouldBe(new[] { Insurance, Unemployment }.Order());
        hr.Items.ShouldAllBe(i => i.Highlights.Provider == "山东省<mark>人力资源和社会保障厅</mark>（测试）");
        hr.Items.ShouldAllBe(i => i.DepartmentName == TestData.HumanResources.Name);
        // A name that occurs only among the information items.
        var items = await Found(host, "诊疗科目");
        items.Items.Single().Name.ShouldBe(Hospitals);
        items.Items[0].MatchedItems.ShouldBe(["诊疗科目"]);
        items.Items[0].Highlights.Items.ShouldBe(["<mark>诊疗科目</mark>"]);
        items.Items[0].ItemCount.ShouldBe(4);
        (await Names(host, "经营者姓名")).ShouldBe([Household]);
    }

    [Fact]
    public async Task Several_terms_must_all_match_and_unknown_words_find_nothing()
    {
        await using var host = await CorpusAsync(await HostAsync());
        (await Names(host, "统一社会信用代码 社保")).ShouldBe([Insurance]);
        (await Names(host, "社保　参保")).ShouldBe([Insurance]);          // full-width space
        (await Names(host, "法人 个体工商户")).ShouldBe([Household]);
        (await Names(host, "医疗机构 法人")).ShouldBeEmpty();
        var none = await Found(host, "量子纠缠");
        none.Total.ShouldBe(0);
        none.Items.ShouldBeEmpty();
        none.Facets.Classes.ShouldBeEmpty();
        none.Facets.ShareTypes.ShouldBeEmpty();
        (await Names(host, "社保卡")).ShouldBeEmpty();                   // only in the unpublished draft
    }

    [Fact]
    public async Task Query_syntax_characters_are_plain_separators_and_never_reach_the_engine()
    {
        await using var host = await CorpusAsync(await HostAsync());
        (await Names(host, "\"企业法人库\"")).ShouldBe([Enterprise]);
        (await Names(host, "企业法人库*")).ShouldBe([Enterprise]);
        (await Names(host, "(法人)")).ShouldBe([Enterprise, Household]);
        (await Names(host, "'社保'")).ShouldBe([Insurance, Unemployment]);
        (await Names(host, "社保\" OR \"1\"=\"1")).ShouldBeEmpty();         // terms 社保, or, 1 — all required
        (await Names(host, "NEAR(法人 企业)")).ShouldBeEmpty();
        (await Names(host, "法人 -企业 ^社保 {参保} :name")).ShouldBeEmpty();
        (await Names(host, "法人'; DROP TABLE catalog_entries; --")).ShouldBeEmpty();
        var onlySyntax = await Found(host, "\" * ( ) ' :");
        onlySyntax.Terms.ShouldBeEmpty();
        onlySyntax.Total.ShouldBe(0);
        (await Found(host, "社保\" OR \"1\"=\"1")).Terms.ShouldBe(["社保", "or", "1"]);
        (await host.Db(db => db.Entries.CountAsync())).ShouldBe(7);
    }

    [Fact]
    public async Task Highlighting_escapes_the_data_before_marking_hits()
    {
        await using var host = await CorpusAsync(await HostAsync());
        var hit = (await Found(host, "床位")).Items.Single();
        hit.Abstract.ShouldBe(HospitalAbstract);
        hit.Highlights.Abstract.ShouldBe("全市医疗机构执业登记信息，含&lt;b&gt;<mark>床位</mark>&lt;/b&gt;数 &amp; &quot;机构等级&quot;，供 HIS 系统对接。");
        hit.Highlights.Items.ShouldBe(["<mark>床位</mark>数"]);
        // A term made of markup characters never matches inside an entity.
        (await Found(host, "amp")).Total.ShouldBe(0);
        var lt = (await Found(host, "医疗机构 his")).Items.Single();
        lt.Highlights.Abstract.ShouldStartWith("全市<mark>医疗机构</mark>执业登记信息，含&lt;b&gt;床位&lt;/b&gt;");
        lt.Highlights.Abstract.ShouldContain("供 <mark>HIS</mark> 系统");
    }

    [Fact]
    public async Task Facets_count_every_value_with_the_other_filters_applied()
    {
        await using var host = await CorpusAsync(await HostAsync());
        var all = await Found(host, null);
        all.Total.ShouldBe(5);
        Dictionary<string, int> Counts(IReadOnlyList<FacetValueDto> values) => values.ToDictionary(v => v.Label, v => v.Count);
        Counts(all.Facets.Classes).ShouldBe(new Dictionary<string, int> { ["基础类"] = 2, ["主题类"] = 2, ["部门类"] = 1 });
        Counts(all.Facets.ShareTypes).ShouldBe(new Dictionary<string, int> { ["无条件共享"] = 3, ["有条件共享"] = 1, ["不予共享"] = 1 });
        Counts(all.Facets.OpenTypes).ShouldBe(new Dictionary<string, int> { ["无条件开放"] = 2, ["有条件开放"] = 1, ["不予开放"] = 2 });
        Counts(all.Facets.UpdateCycles).ShouldBe(new Dictionary<string, int> { ["每日"] = 2, ["每月"] = 3 });
        Counts(all.Facets.Formats).ShouldBe(new Dictionary<string, int> { ["电子表格"] = 1, ["数据库"] = 4 });
        all.Facets.Departments.Select(d => (d.Value, d.Label, d.Count)).ShouldBe(
        [
            (TestData.HumanResources.Id.ToString(), TestData.HumanResources.Name, 2),
            (TestData.Market.Id.ToString(), TestData.Market.Name, 2),
            (TestData.QingdaoHealth.Id.ToString(), TestData.QingdaoHealth.Name, 1),
        ], ignoreOrder: true);
        all.Facets.Departments[^1].Count.ShouldBe(1);

        // With a query: 统一社会信用代码 is an item of four resources.
        var code = await Found(host, "统一社会信用代码");
        Counts(code.Facets.Classes).ShouldBe(new Dictionary<string, int> { ["基础类"] = 2, ["主题类"] = 1, ["部门类"] = 1 });
        Counts(code.Facets.ShareTypes).ShouldBe(new Dictionary<string, int> { ["无条件共享"] = 3, ["有条件共享"] = 1 });

        // A filter narrows the hits and the other facets; its own facet still shows the alternatives.
        var filtered = (await Search(host, MarketCompiler, new SearchQuery("统一社会信用代码", ShareType: "无条件共享"))).Value!;
        filtered.Total.ShouldBe(3);
        filtered.Items.Select(i => i.Name).Order().ShouldBe(new[] { Enterprise, Household, Hospitals }.Order());
        Counts(filtered.Facets.ShareTypes).ShouldBe(new Dictionary<string, int> { ["无条件共享"] = 3, ["有条件共享"] = 1 });
        filtered.Facets.ShareTypes.Single(v => v.Selected).Value.ShouldBe("无条件共享");
        Counts(filtered.Facets.Classes).ShouldBe(new Dictionary<string, int> { ["基础类"] = 2, ["部门类"] = 1 });
        var two = (await Search(host, MarketCompiler, new SearchQuery("统一社会信用代码", ShareType: "无条件共享", ClassCode: "3", UpdateCycle: "每月", Format: "电子表格",
            DepartmentId: TestData.QingdaoHealth.Id, OpenType: "无条件开放"))).Value!;
        two.Items.Single().Name.ShouldBe(Hospitals);
        Counts(two.Facets.Classes).ShouldBe(new Dictionary<string, int> { ["部门类"] = 1 });
        (await Search(host, MarketCompiler, new SearchQuery(null, ClassificationCode: "102"))).Value!.Total.ShouldBe(2);

        var bad = await Search(host, MarketCompiler, new SearchQuery("法人", ShareType: "部分共享", ClassCode: "9", UpdateCycle: "每小时", Format: "纸质", Sort: "名称",
            ClassificationCode: "10x"));
        bad.Errors.ShouldNotBeNull().Keys.Order().ShouldBe(new[] { "classCode", "classificationCode", "format", "shareType", "sort", "updateCycle" }.Order());
        bad.Errors["shareType"][0].ShouldContain("无条件共享、有条件共享、不予共享");
        (await Search(host, MarketCompiler, new SearchQuery(new string('法', 201)))).Errors.ShouldNotBeNull()["q"][0].ShouldContain("200");
        (await Search(host, MarketCompiler, new SearchQuery(string.Join(' ', Enumerable.Range(1, 11).Select(i => "词" + i))))).Errors.ShouldNotBeNull()["q"][0].ShouldContain("最多10个");
    }

    [Fact]
    public async Task Each_catalog_and_the_workspace_search_only_what_the_caller_may_see()
    {
        await using var host = await CorpusAsync(await HostAsync());
        (await Names(host, "社保", scope: SearchScope.Shared)).ShouldBe([Insurance]);                 // 失业保险金 is 不予共享
        (await Names(host, "统一社会信用代码", actor: null, scope: SearchScope.Open)).Order().ShouldBe(new[] { Enterprise, Household, Hospitals }.Order());
        (await Search(host, null, new SearchQuery("法人"))).Forbidden.ShouldNotBeNull().ShouldContain("开放目录");
        // Compilers find their own department's drafts and offline entries, never other departments' unpublished ones.
        var own = await Found(host, "社保", HrCompiler, SearchScope.Workspace);
        own.Items.Select(i => i.Name).ShouldBe([CardDraft, Insurance, Unemployment]);   // name start 16 + keyword 6; keyword 6; abstract 2
        own.Items.Single(i => i.Name == CardDraft).Phase.ShouldBe("草稿");
        (await Names(host, "法人", HrCompiler, SearchScope.Workspace)).ShouldBe([Training]);
        (await Found(host, "法人", HrCompiler, SearchScope.Workspace)).Items[0].Phase.ShouldBe("已下线");
        (await Names(host, "社保", MarketCompiler, SearchScope.Workspace)).ShouldBeEmpty();
        (await Names(host, "法人", MarketCompiler, SearchScope.Workspace)).ShouldBe([Enterprise, Household]);
        // The provincial reviewer's scope covers the province and its cities.
        (await Found(host, null, ProvinceReviewer, SearchScope.Workspace)).Total.ShouldBe(7);
    }

    [Fact]
    public async Task The_index_follows_every_change_in_the_same_transaction()
    {
        await using var host = await HostAsync();
        var draft = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry() with { Name = "食品经营许可信息", Keywords = ["食品"] })));
        (await Names(host, "食品经营", MarketCompiler, SearchScope.Workspace)).ShouldBe(["食品经营许可信息"]);
        (await Names(host, "食品经营")).ShouldBeEmpty();
        var pending = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, draft.Code, draft.Version)));
        (await Found(host, "食品经营", MarketCompiler, SearchScope.Workspace)).Items.Single().Phase.ShouldBe("待审核");
        var published = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, pending.Code, pending.Version, null)));
        (await Names(host, "食品经营")).ShouldBe(["食品经营许可信息"]);

        // A revision under review leaves the published content searchable in the catalogs.
        var revision = Ok(await host.Resources(s => s.UpdateAsync(MarketCompiler, published.Code, published.Version,
            TestData.EnterpriseRegistry() with { Name = "食品生产经营许可信息", Keywords = ["食品", "许可证"] })));
        revision = Ok(await host.Resources(s => s.SubmitAsync(MarketCompiler, revision.Code, revision.Version)));
        (await Names(host, "食品")).ShouldBe(["食品经营许可信息"]);
        (await Names(host, "许可证")).ShouldBeEmpty();
        var ws = (await Found(host, "许可证", MarketCompiler, SearchScope.Workspace)).Items.Single();
        (ws.Name, ws.Phase).ShouldBe(("食品生产经营许可信息", "已发布（修订待审核）"));
        var replaced = Ok(await host.Resources(s => s.ApproveAsync(ProvinceReviewer, revision.Code, revision.Version, null)));
        (await Names(host, "食品")).ShouldBe(["食品生产经营许可信息"]);
        (await Names(host, "许可证")).ShouldBe(["食品生产经营许可信息"]);
        (await Names(host, "食品经营许可信息")).ShouldBeEmpty();

        // A stale edit is refused and leaves the index as it was.
        (await host.Resources(s => s.UpdateAsync(MarketCompiler, replaced.Code, published.Version, TestData.EnterpriseRegistry() with { Name = "不应出现" })))
            .Conflict.ShouldNotBeNull();
        (await Names(host, "不应出现", MarketCompiler, SearchScope.Workspace)).ShouldBeEmpty();

        var offline = Ok(await host.Resources(s => s.WithdrawAsync(MarketCompiler, replaced.Code, replaced.Version, "许可改革后停止更新")));
        (await Names(host, "食品")).ShouldBeEmpty();
        (await Found(host, "食品", MarketCompiler, SearchScope.Workspace)).Items.Single().Phase.ShouldBe("已下线");

        var other = Ok(await host.Resources(s => s.CreateAsync(MarketCompiler, TestData.EnterpriseRegistry() with { Name = "待删除的草稿" })));
        (await Names(host, "待删除", MarketCompiler, SearchScope.Workspace)).ShouldBe(["待删除的草稿"]);
        (await host.Resources(s => s.DeleteAsync(MarketCompiler, other.Code, other.Version))).Value.ShouldBeTrue();
        (await Names(host, "待删除", MarketCompiler, SearchScope.Workspace)).ShouldBeEmpty();
        await AssertIndexConsistent(host);
        offline.Status.ShouldBe("已下线");
    }

    [Fact]
    public async Task Imported_resources_are_indexed_by_the_import_transaction()
    {
        await using var source = await CorpusAsync(await HostAsync());
        var file = await source.Run(sp => sp.GetRequiredService<CatalogExport>().ExportAsync(MarketCompiler, null, false, TestContext.Current.CancellationToken));
        await using var target = await HostAsync();
        var result = await target.Run(sp => sp.GetRequiredService<CatalogImport>().ImportAsync(MarketCompiler, new MemoryStream(file.Content), "目录.xlsx",
            TestContext.Current.CancellationToken));
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.Created.ShouldBe(2);
        (await Names(target, "法人", MarketCompiler, SearchScope.Workspace)).ShouldBe([Enterprise, Household]);
        (await Names(target, "经营者姓名", MarketCompiler, SearchScope.Workspace)).ShouldBe([Household]);
        (await Names(target, "法人")).ShouldBeEmpty();          // imported entries are drafts until reviewed
        await AssertIndexConsistent(target);
    }

    [Fact]
    public async Task Paging_and_sorting_by_update_time()
    {
        await using var host = await CorpusAsync(await HostAsync());
        var byUpdate = (await Search(host, MarketCompiler, new SearchQuery(null, Sort: "updated"))).Value!;
        byUpdate.Items.Select(i => i.Name).ShouldBe([Hospitals, Unemployment, Insurance, Household, Enterprise]);
        byUpdate.Items.Select(i => i.UpdatedAt).ShouldBeInOrder(SortDirection.Descending);
        var second = (await Search(host, MarketCompiler, new SearchQuery(null, Sort: "updated", Page: 2, PageSize: 2))).Value!;
        (second.Total, second.Page, second.PageSize).ShouldBe((5, 2, 2));
        second.Items.Select(i => i.Name).ShouldBe([Insurance, Household]);
        (await Search(host, MarketCompiler, new SearchQuery(null, Page: 9, PageSize: 2))).Value!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_migration_backfill_builds_the_same_index_as_the_application()
    {
        await using var host = await CorpusAsync(await HostAsync());
        var written = await Snapshot(host);
        written.Count.ShouldBe(7);     // one row per entry: no revision is open; the draft has its working row, the offline entry its published row
        // Drop the search schema and run migrations 0003 and 0005 (PostgreSQL's gram expression index) again over the
        // existing catalog: the upgrade path of a database created before 0005.
        await host.Run(async sp =>
        {
            var database = sp.GetRequiredService<DatabaseSettings>();
            await using var connection = database.CreateConnection();
            await connection.OpenAsync();
            var drop = database.IsPostgres
                ? "DROP TABLE catalog_search_documents; DROP FUNCTION catalog_search_grams(text); DROP FUNCTION catalog_search_fold(text);"
                : "DROP TABLE catalog_search_documents; DROP TABLE catalog_search_trigram; DROP TABLE catalog_search_grams; DROP TABLE catalog_search_positions;";
            await connection.ExecuteAsync(drop + " DELETE FROM platform_schema_migrations WHERE module = 'catalog' AND version IN (3, 5);");
            var applied = await sp.GetRequiredService<SchemaMigrator>().MigrateAsync();
            applied.Select(m => m.Name).ShouldBe(["search", "search_gram_expression"]);
            return 0;
        });
        (await Snapshot(host)).ShouldBe(written);
        (await Names(host, "社保")).ShouldBe([Insurance, Unemployment]);
        (await Names(host, "统一社会信用代码 社保")).ShouldBe([Insurance]);
        await AssertIndexConsistent(host);
    }

    /// <summary>The documents without their surrogate ids, in a stable order.</summary>
    private static Task<List<string>> Snapshot(CatalogHost host) => host.Db(async db =>
    {
        await db.Database.OpenConnectionAsync();
        var rows = await db.Database.GetDbConnection().QueryAsync(
            "SELECT * FROM catalog_search_documents ORDER BY code, slot");
        await db.Database.CloseConnectionAsync();
        return rows.Select(r => string.Join(" | ", ((IDictionary<string, object?>)r).Where(kv => kv.Key != "id").Select(kv => $"{kv.Key}={Render(kv.Value)}"))).ToList();
    });

    private static string Render(object? value) => value switch
    {
        null or DBNull => "∅",
        bool b => b ? "1" : "0",
        string[] a => string.Join(",", a),
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss.fffffff"),
        DateOnly d => d.ToString("yyyy-MM-dd"),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Exactly the expected documents exist, and (SQLite) the FTS tables hold one row per document.</summary>
    private static async Task AssertIndexConsistent(CatalogHost host)
    {
        var expected = await host.Db(async db =>
        {
            var entries = await db.Entries.AsNoTracking().ToListAsync();
            return entries.Sum(e => (e.PublishedRevisionId is null ? 0 : 1) + (e.WorkingRevisionId is null ? 0 : 1));
        });
        await host.Db(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var c = db.Database.GetDbConnection();
            (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM catalog_search_documents")).ShouldBe(expected);
            if (!host.Database.IsPostgres)
            {
                // Contentless FTS5 tables: every document's rowid answers a full-table query, and nothing else does.
                (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM catalog_search_grams WHERE rowid NOT IN (SELECT id FROM catalog_search_documents)")).ShouldBe(0);
                (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM catalog_search_trigram WHERE rowid NOT IN (SELECT id FROM catalog_search_documents)")).ShouldBe(0);
                (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM catalog_search_grams")).ShouldBe(expected);
            }
            await db.Database.CloseConnectionAsync();
            return 0;
        });
    }
}

public sealed class SqliteSearchTests : SearchContract
{
    internal override Task<CatalogHost> HostAsync() => CatalogHost.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSearchTests(PostgresCluster cluster) : SearchContract
{
    internal override async Task<CatalogHost> HostAsync()
    {
        var (cs, drop) = await cluster.CreateDatabaseAsync();
        return await CatalogHost.PostgresAsync(cs, null, drop);
    }
}
