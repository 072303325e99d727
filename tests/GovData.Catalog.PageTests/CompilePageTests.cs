using System.Net;
using GovData.Tests.Common.Web;
using static GovData.Catalog.PageTests.CatalogPages;

namespace GovData.Catalog.PageTests;

/// <summary>
/// The compiler's pages over HTTP, posting the forms exactly as a browser without JavaScript does, against the real
/// host on SQLite with the demo data (scjg_cataloger = 省市场监管局, rst_cataloger = 人社厅, reviewer = 大数据局).
/// </summary>
public sealed class CompilePageTests(SqliteAppFactory app) : AppTestBase<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task A_compiler_gets_404_for_another_departments_entries_and_cannot_change_them()
    {
        var rst = await App.LoginAsync("rst_cataloger");
        var rstEntries = (await rst.GetJsonAsync($"{Api}?pageSize=50"))["items"]!.AsArray();
        var published = rstEntries.First(e => e!["status"]!.GetValue<string>() == "已发布")!;
        var draft = rstEntries.First(e => e!["status"]!.GetValue<string>() == "草稿")!;
        var scjg = await App.LoginAsync("scjg_cataloger");

        foreach (var entry in new[] { published, draft })
        {
            var id = entry["id"]!.GetValue<Guid>();
            (await scjg.GetAsync(EditPage(id))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await scjg.GetAsync(HistoryPage(id))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            // Posting to the page (with a token from the compiler's own new-entry form) changes nothing either.
            var post = await scjg.PostFormAsync(NewPage, CompleteForm("篡改他部门资源"), $"{EditPage(id)}?handler=Save");
            post.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await rst.EntryAsync(id))["version"]!.GetValue<int>().ShouldBe(entry["version"]!.GetValue<int>());
        }

        var workspace = await (await scjg.GetAsync(Workspace)).Content.ReadAsStringAsync();
        workspace.ShouldNotContain(draft["name"]!.GetValue<string>());
        // The owner sees its entry.
        (await rst.GetAsync(EditPage(draft["id"]!.GetValue<Guid>()))).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A compiler has no review pages: the role check sends it to the access-denied page.
        var queue = await scjg.GetAsync(Queue);
        queue.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        queue.Headers.Location!.ToString().ShouldContain("/account/denied");
    }

    [Fact]
    public async Task Invalid_form_shows_Chinese_errors_next_to_the_fields_and_stores_nothing()
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var before = await scjg.WorkspaceTotalAsync();
        var fields = CompleteForm("")
            .With("items[0].length", "20")   // 统一社会信用代码 must be C,18 (GB 32100)
            .With("items[2].length", "abc")  // not a number
            .With("shareType", "有条件共享"); // without 共享条件; and 法人基础信息 must be 无条件共享

        var save = await scjg.PostEntryFormAsync(NewPage, "Save", fields);
        save.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await save.Content.ReadAsStringAsync();
        TextOf(html, "name-error").ShouldBe("信息资源名称不能为空");
        IsInvalid(html, "name").ShouldBeTrue();
        TextOf(html, "item-row-0-messages")!.ShouldContain("第1个信息项“统一社会信用代码”：按 GB 32100 应为 C,18，实际为 C,20");
        IsInvalid(html, "items-0-dataType").ShouldBeTrue();
        TextOf(html, "item-row-2-messages")!.ShouldContain("第3个信息项的数据长度“abc”应为不超过100000的非负整数");
        IsInvalid(html, "items-2-length").ShouldBeTrue();
        TextOf(html, "form-errors")!.ShouldContain("请修正以下");
        // What was typed comes back.
        ValueOf(html, "items-2-length").ShouldBe("abc");
        ValueOf(html, "items-1-name").ShouldBe("企业名称");
        (await scjg.WorkspaceTotalAsync()).ShouldBe(before);

        // 提交审核 checks every rule first: a nameable draft with submission errors is not stored either.
        var submit = await scjg.PostEntryFormAsync(NewPage, "Submit", CompleteForm("仅有名称的资源").With("shareType", "有条件共享").With("abstract", ""));
        submit.StatusCode.ShouldBe(HttpStatusCode.OK);
        html = await submit.Content.ReadAsStringAsync();
        TextOf(html, "abstract-error").ShouldBe("信息资源摘要不能为空");
        TextOf(html, "shareCondition-error").ShouldBe("共享类型为“有条件共享”时必须填写共享条件");
        TextOf(html, "shareType-error")!.ShouldContain("属于基础信息资源，共享类型应为“无条件共享”");
        (await scjg.WorkspaceTotalAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Check_previews_the_code_and_reports_the_submission_rules_without_storing()
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var before = await scjg.WorkspaceTotalAsync();
        var ok = await scjg.PostEntryFormAsync(NewPage, "Check", CompleteForm("校验预览资源"));
        var html = await ok.Content.ReadAsStringAsync();
        TextOf(html, "check-passed")!.ShouldContain("校验通过");
        TextOf(html, "code-preview")!.ShouldMatch(@"^102003/\d+$");
        (await scjg.WorkspaceTotalAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Stale_version_shows_the_conflict_message_and_overwrites_nothing()
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var id = await scjg.CreateDraftAsync(CompleteForm("并发编辑测试资源"));
        var mine = await (await scjg.GetAsync(EditPage(id))).Content.ReadAsStringAsync();
        var readVersion = VersionOf(mine);

        // A colleague saves first (another session of the department's compilers).
        var colleague = await App.LoginAsync("scjg_cataloger");
        var theirs = await colleague.PostEntryFormAsync(EditPage(id), "Save", CompleteForm("并发编辑测试资源（同事修改）", VersionOf(await (await colleague.GetAsync(EditPage(id))).Content.ReadAsStringAsync())));
        theirs.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var stale = await scjg.PostEntryFormAsync(EditPage(id), "Save", CompleteForm("并发编辑测试资源（我的修改）", readVersion));
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await stale.Content.ReadAsStringAsync();
        TextOf(html, "conflict")!.ShouldContain("该资源已被他人修改");
        TextOf(html, "conflict")!.ShouldContain("您的修改未保存");
        ValueOf(html, "name").ShouldBe("并发编辑测试资源（我的修改）"); // the typed text is still on screen
        (await scjg.EntryAsync(id))["working"]!["name"]!.GetValue<string>().ShouldBe("并发编辑测试资源（同事修改）");

        // Submitting with the stale version is refused the same way.
        var staleSubmit = await scjg.PostEntryFormAsync(EditPage(id), "Submit", CompleteForm("并发编辑测试资源（我的修改）", readVersion));
        TextOf(await staleSubmit.Content.ReadAsStringAsync(), "conflict")!.ShouldContain("该资源已被他人修改");
        (await scjg.EntryAsync(id))["status"]!.GetValue<string>().ShouldBe("草稿");

        // The history names both saves, with the change as a readable diff.
        var history = await (await scjg.GetAsync(HistoryPage(id))).Content.ReadAsStringAsync();
        TextOf(history, "history")!.ShouldContain("修改了信息资源名称");
        history.ShouldContain("并发编辑测试资源（同事修改）");
        history.ShouldContain("新建资源“并发编辑测试资源”");

        // Who else reads it: the reviewer in reach and the platform administrator, not another department.
        (await (await App.LoginAsync("reviewer")).GetAsync(HistoryPage(id))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var admin = await (await (await App.LoginAsync("admin")).GetAsync(HistoryPage(id))).Content.ReadAsStringAsync();
        admin.ShouldContain("并发编辑测试资源（同事修改）");
        (await (await App.LoginAsync("rst_cataloger")).GetAsync(HistoryPage(id))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rows_are_added_and_removed_without_script_keeping_what_was_entered()
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var before = await scjg.WorkspaceTotalAsync();
        var fields = CompleteForm("行操作测试");

        var added = await (await scjg.PostEntryFormAsync(NewPage, "AddRow", fields)).Content.ReadAsStringAsync();
        added.ShouldContain("id=\"items-3-name\"");
        ValueOf(added, "items-3-name").ShouldBeNull(); // the new row is empty
        ValueOf(added, "items-2-name").ShouldBe("成立日期");
        ValueOf(added, "name").ShouldBe("行操作测试");
        SelectedOf(added, "items-0-dataType").ShouldBe("C");

        var removed = await (await scjg.PostFormAsync(NewPage, fields, $"{NewPage}?handler=RemoveRow&row=0")).Content.ReadAsStringAsync();
        ValueOf(removed, "items-0-name").ShouldBe("企业名称");
        ValueOf(removed, "items-1-name").ShouldBe("成立日期");
        removed.ShouldNotContain("id=\"items-2-name\"");
        (await scjg.WorkspaceTotalAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_large_item_grid_is_accepted_beyond_the_default_form_value_limit()
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var fields = CompleteForm("大表测试资源").Where(f => !f.Key.StartsWith("items[")).ToList();
        for (var i = 0; i < 240; i++) fields.AddRange(Item(i, $"数据项{i + 1}", $"field_{i + 1}", "C", "20"));
        fields.Count.ShouldBeGreaterThan(1024); // ASP.NET Core's default FormOptions.ValueCountLimit

        var check = await scjg.PostEntryFormAsync(NewPage, "Check", fields);
        check.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await check.Content.ReadAsStringAsync();
        TextOf(html, "check-passed")!.ShouldContain("校验通过");
        ValueOf(html, "items-239-name").ShouldBe("数据项240");
    }

    [Fact]
    public async Task The_classification_picker_narrows_its_lists_without_script()
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var html = await (await scjg.PostEntryFormAsync(NewPage, "Pick", [new("classCode", "1")])).Content.ReadAsStringAsync();
        OptionsOf(html, "itemCode").ShouldContain("102");
        OptionsOf(html, "itemCode").ShouldAllBe(c => c.StartsWith('1'));
        OptionsOf(html, "categoryCode").ShouldBeEmpty();

        html = await (await scjg.PostEntryFormAsync(NewPage, "Pick", [new("classCode", "1"), new("itemCode", "102")])).Content.ReadAsStringAsync();
        OptionsOf(html, "categoryCode").ShouldContain("102003");
        OptionsOf(html, "categoryCode").ShouldAllBe(c => c.StartsWith("102"));

        // 部门类 offers only the department's own 目, picked automatically.
        html = await (await scjg.PostEntryFormAsync(NewPage, "Pick", [new("classCode", "3")])).Content.ReadAsStringAsync();
        OptionsOf(html, "categoryCode").Count.ShouldBe(1);
        SelectedOf(html, "categoryCode").ShouldBe(OptionsOf(html, "categoryCode")[0]);
        TextOf(html, "classification-path")!.ShouldContain("山东省市场监督管理局");
        TextOf(html, "code-preview")!.ShouldStartWith(OptionsOf(html, "categoryCode")[0] + "/");
    }
}
