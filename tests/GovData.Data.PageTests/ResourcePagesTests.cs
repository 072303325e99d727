using System.Net;
using System.Text;
using GovData.Data.Features.Loading;
using GovData.Data.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.PageTests;

/// <summary>
/// The data pages over HTTP on both engines, as a browser without JavaScript uses them: upload → mapping (detected GB18030,
/// automatic matches, one correction, an unknown target refused) → load → report → 数据字典, 数据预览 (masking, filter,
/// keyset paging), 字段概况, 加载记录; a load with bad rows (report with row/column/value, rejected-rows file); versions
/// and rollback; cancelling; who may see and do what; files and links; the home-page counts.
/// </summary>
public abstract class ResourcePagesTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : DataPagesAppFactory
{
    private static readonly object[] SmallItems =
    [
        new { name = "日期", fieldCode = "day", dataType = "D,10", required = true, sensitivity = "公开" },
        new { name = "金额", fieldCode = "amount", dataType = "N,10,2", sensitivity = "公开" },
        new { name = "名称", fieldCode = "title", dataType = "C,10", required = true, sensitivity = "公开" },
    ];

    /// <summary>Uploads a file and confirms the mapping the page proposes (with <paramref name="corrections"/>); returns the load id.</summary>
    private async Task<Guid> LoadAsync(HttpClient client, string code, byte[] content, string fileName, IEnumerable<KeyValuePair<string, string>>? fields = null,
        IReadOnlyDictionary<int, string>? corrections = null)
    {
        var id = DataPageClient.LoadIdOf(await client.UploadAsync(code, content, fileName, fields ?? [new("mode", "full")]));
        var mappingPage = DataPageClient.Page(code, $"/loads/{id}/mapping");
        var html = await client.HtmlAsync(mappingPage);
        var targets = new List<KeyValuePair<string, string>>();
        for (var i = 0; DataPageClient.OptionsOf(html, $"target-{i}").Count > 0; i++)
            targets.Add(new($"targets[{i}]", corrections?.GetValueOrDefault(i) ?? DataPageClient.SelectedOf(html, $"target-{i}") ?? ""));
        var start = await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Start", targets);
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect, await start.Content.ReadAsStringAsync());
        start.Headers.Location!.ToString().ShouldBe(DataPageClient.Page(code, $"/loads/{id}"));
        return id;
    }

    [Fact]
    public async Task Shenzhen_upload_mapping_load_report_preview_and_profile()
    {
        var code = await App.ShenzhenAsync();
        var client = await App.LoginAsync("scjg_cataloger");

        // 数据清单 lists it, not yet loaded.
        var list = await client.HtmlAsync(DataPageClient.List + "?q=" + Uri.EscapeDataString("深圳通刷卡数据（页面测试）"));
        list.ShouldContain(code);
        list.ShouldContain("未加载");

        var upload = await client.UploadAsync(code, await File.ReadAllBytesAsync(DataPageClient.Fixture(DataPageClient.Shenzhen)), "深圳通刷卡数据.csv",
            [new("mode", "full")]);
        var id = DataPageClient.LoadIdOf(upload);
        var mappingPage = DataPageClient.Page(code, $"/loads/{id}/mapping");
        var html = await client.HtmlAsync(mappingPage);
        DataPageClient.TextOf(html, "detected")!.ShouldContain("GB18030");
        DataPageClient.RowsOf(html, "mapping-table").ShouldBe(11);
        DataPageClient.SelectedOf(html, "target-0").ShouldBe("deal_date");
        DataPageClient.SelectedOf(html, "target-7").ShouldBe("station");
        DataPageClient.TextOf(html, "source-7")!.ShouldContain("布吉");            // sample values decoded from GB18030
        DataPageClient.SelectedOf(html, "target-10").ShouldBe("");                   // equ_no has no automatic match: ignored
        DataPageClient.TextOf(html, "mapping-warnings")!.ShouldContain("文件中的列“equ_no”没有对应的数据项，将被忽略");

        var targets = Enumerable.Range(0, 11).Select(i => new KeyValuePair<string, string>($"targets[{i}]", DataPageClient.SelectedOf(html, $"target-{i}") ?? "")).ToList();
        // An unknown target is refused in Chinese, naming the column; the upload keeps waiting.
        var bad = targets.Select(t => t.Key == "targets[10]" ? new KeyValuePair<string, string>(t.Key, "no_such_field") : t).ToList();
        var refused = await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Start", bad);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        DataPageClient.TextOf(refusedHtml, "target-10-error").ShouldBe("第 11 列“equ_no”的映射目标“no_such_field”不是本资源的信息项，请从列表中选择或选“忽略此列”");
        (await App.LoadsOfAsync(code)).Single(l => l.Id == id).Status.ShouldBe(LoadStatus.Staged);
        // Mapping two columns to one item is a HeaderMapping error, shown as such.
        var twice = targets.Select(t => t.Key == "targets[10]" ? new KeyValuePair<string, string>(t.Key, "station") : t).ToList();
        var twiceHtml = await (await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Check", twice)).Content.ReadAsStringAsync();
        DataPageClient.TextOf(twiceHtml, "mapping-errors")!.ShouldContain("数据项“站点”被映射了两次");

        // The correction: equ_no → 设备编号 (device_no). 检查映射 passes, 开始加载 queues it.
        var good = targets.Select(t => t.Key == "targets[10]" ? new KeyValuePair<string, string>(t.Key, "device_no") : t).ToList();
        var checkedHtml = await (await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Check", good)).Content.ReadAsStringAsync();
        checkedHtml.ShouldContain("列映射检查通过");
        var start = await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Start", good);
        start.Headers.Location!.ToString().ShouldBe(DataPageClient.Page(code, $"/loads/{id}"));
        var load = await App.WaitForLoadAsync(id);
        load.Status.ShouldBe(LoadStatus.Succeeded, load.Message);
        load.RowsLoaded.ShouldBe(10_000);
        LoadOptions.FromJson(load.OptionsJson).Mapping!["equ_no"].ShouldBe("device_no");

        // The report.
        var report = await client.HtmlAsync(DataPageClient.Page(code, $"/loads/{id}"));
        DataPageClient.TextOf(report, "load-status").ShouldBe("已完成");
        DataPageClient.TextOf(report, "rows-loaded").ShouldBe("10,000");
        DataPageClient.TextOf(report, "load-message")!.ShouldContain("全量加载完成：10,000 行，生成第 1 版");
        report.ShouldNotContain("http-equiv=\"refresh\"");

        // 数据字典 of version 1.
        var dictionary = await client.HtmlAsync(DataPageClient.Page(code));
        DataPageClient.TextOf(dictionary, "current-version")!.ShouldStartWith("当前第 1 版，10,000 行");
        DataPageClient.TextOf(dictionary, "column-3")!.ShouldContain("卡号");
        DataPageClient.TextOf(dictionary, "column-3")!.ShouldContain("保留首尾");
        DataPageClient.TextOf(dictionary, "column-3")!.ShouldContain("c003");
        DataPageClient.TextOf(dictionary, "timeliness").ShouldBe("按时");

        // 数据预览: the department sees raw values, 50 rows, total, keyset next page.
        var preview = await client.HtmlAsync(DataPageClient.Page(code, "/preview"));
        DataPageClient.TextOf(preview, "preview-total").ShouldBe("10,000");
        DataPageClient.RowsOf(preview, "preview-table").ShouldBe(50);
        preview.ShouldContain("CBEHFCFCG");            // first card number, unmasked
        preview.ShouldContain("263032105");            // equ_no went into 设备编号
        var next = System.Text.RegularExpressions.Regex.Match(preview, "href=\"([^\"]*after=[^\"]*)\"[^>]*id=\"preview-next\"").Groups[1].Value;
        next.ShouldNotBeEmpty();
        var page2 = await client.HtmlAsync(WebUtility.HtmlDecode(next));
        DataPageClient.RowsOf(page2, "preview-table").ShouldBe(50);
        page2.ShouldContain("回到第一页");
        // A filter written as the API writes it.
        var filtered = await client.HtmlAsync(DataPageClient.Page(code, "/preview?field=station&op=eq&value=" + Uri.EscapeDataString("布吉")));
        var total = long.Parse(DataPageClient.TextOf(filtered, "preview-total")!.Replace(",", ""));
        total.ShouldBeGreaterThan(0);
        total.ShouldBeLessThan(10_000);
        var badFilter = await client.HtmlAsync(DataPageClient.Page(code, "/preview?field=deal_money&op=gt&value=abc"));
        DataPageClient.TextOf(badFilter, "filter-error")!.ShouldContain("“abc”");

        // The reviewer (another department) sees the page, with card numbers masked, and cannot filter on them.
        var reviewer = await App.LoginAsync("reviewer");
        var masked = await reviewer.HtmlAsync(DataPageClient.Page(code, "/preview"));
        masked.ShouldNotContain("CBEHFCFCG");
        masked.ShouldContain("C*******G");
        DataPageClient.OptionsOf(masked, "field").ShouldNotContain("card_no");
        (await reviewer.HtmlAsync(DataPageClient.Page(code, "/loads"))).ShouldContain("仅资源所属部门的人员和平台管理员可以查看");
        var reviewerReport = await reviewer.GetAsync(DataPageClient.Page(code, $"/loads/{id}"));
        reviewerReport.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        reviewerReport.Headers.Location!.ToString().ShouldContain("/account/denied");

        // 字段概况 on demand.
        var profilePage = await client.HtmlAsync(DataPageClient.Page(code, "/profile"));
        profilePage.ShouldContain("计算第 1 版的字段概况");
        profilePage.ShouldNotContain("id=\"profile-table\"");
        var profile = await client.HtmlAsync(DataPageClient.Page(code, "/profile?run=1"));
        // Capped at GovData:Data:Pages:ProfileRowLimit rows (5,000 in these hosts).
        DataPageClient.TextOf(profile, "profile-info")!.ShouldStartWith("基于前 5,000 行（共 10,000 行）");
        DataPageClient.TextOf(profile, "profile-deal_date")!.ShouldMatch(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}");   // min/max of the timestamps
        DataPageClient.TextOf(profile, "profile-station")!.ShouldContain("布吉");
        var maskedProfile = await reviewer.HtmlAsync(DataPageClient.Page(code, "/profile?run=1"));
        DataPageClient.TextOf(maskedProfile, "profile-card_no")!.ShouldContain("已脱敏");

        // 加载记录 and the list now show the load.
        var loads = await client.HtmlAsync(DataPageClient.Page(code, "/loads"));
        DataPageClient.TextOf(loads, $"load-{id}")!.ShouldContain("已完成");
        var listed = await client.HtmlAsync(DataPageClient.List + "?q=" + Uri.EscapeDataString("深圳通刷卡数据（页面测试）"));
        listed.ShouldContain("第 1 版");
        listed.ShouldContain("10,000");
        listed.ShouldContain("按时");
        var overdue = await client.HtmlAsync(DataPageClient.List + "?timeliness=overdue&q=" + Uri.EscapeDataString("深圳通刷卡数据（页面测试）"));
        overdue.ShouldContain("没有符合条件的信息资源");

        // Home-page counts of the department.
        var home = await client.HtmlAsync("/console");
        home.ShouldContain("本部门有数据的资源");
        home.ShouldContain("本部门数据总行数");
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_row_column_and_reason_and_the_rejected_rows_download()
    {
        var code = await App.PublishAsync("错误行报告（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var csv = "日期,金额,名称\n2024-01-02,12.5,甲\n2024-02-30,7,乙\n2024-01-04,3,丙\n2024-01-05,abc,丁\n2024-01-06,1,\n2024-01-07,2,戊\n";
        var id = await LoadAsync(client, code, Encoding.UTF8.GetBytes(csv), "有错误.csv", [new("mode", "full"), new("threshold", "50%")]);
        var load = await App.WaitForLoadAsync(id);
        load.Status.ShouldBe(LoadStatus.Succeeded, load.Message);
        (load.RowsRead, load.RowsLoaded, load.RowsRejected).ShouldBe((6L, 3L, 3L));

        var report = await client.HtmlAsync(DataPageClient.Page(code, $"/loads/{id}"));
        DataPageClient.TextOf(report, "rule-DATE")!.ShouldContain("日期格式");
        DataPageClient.TextOf(report, "rule-NUMBER")!.ShouldContain("数值格式");
        DataPageClient.TextOf(report, "rule-REQUIRED")!.ShouldContain("必填项为空");
        var errors = DataPageClient.TextOf(report, "error-table")!;
        errors.ShouldContain("3 日期 2024-02-30 日期格式");
        errors.ShouldContain("5 金额 abc 数值格式");
        errors.ShouldContain("6 名称");

        var href = System.Text.RegularExpressions.Regex.Match(report, "href=\"([^\"]+)\"[^>]*id=\"rejected-download\"").Groups[1].Value;
        href.ShouldBe($"/api/v1/data/loads/{id}/rejected");
        var download = await client.GetAsync(href);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rejected = Encoding.UTF8.GetString(await download.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = rejected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldContain("行号");
        lines[0].ShouldContain("错误原因");
        lines.Length.ShouldBe(4);
        rejected.ShouldContain("2024-02-30");
        rejected.ShouldContain("abc");
        // 字段概况 of the three rows that loaded (甲 2024-01-02 12.5, 丙 01-04 3, 戊 01-07 2).
        var profile = await client.HtmlAsync(DataPageClient.Page(code, "/profile?run=1"));
        DataPageClient.TextOf(profile, "profile-info")!.ShouldStartWith("基于全部 3 行");
        DataPageClient.TextOf(profile, "profile-amount").ShouldBe("金额 amount N(10,2) 0 3 2 12.5 2（1） 3（1） 12.5（1）");
        DataPageClient.TextOf(profile, "profile-day").ShouldBe("日期 day D(10) 0 3 2024-01-02 2024-01-07 2024-01-02（1） 2024-01-04（1） 2024-01-07（1）");
        // Another department cannot download it.
        var other = await App.LoginAsync("rst_cataloger");
        (await other.GetAsync(href)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_new_version_then_rollback_to_the_previous_one_changes_the_preview()
    {
        var code = await App.PublishAsync("版本回滚（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var v1 = await LoadAsync(client, code, Encoding.UTF8.GetBytes("日期,金额,名称\n2024-01-02,1,第一版甲\n2024-01-03,2,第一版乙\n"), "v1.csv");
        (await App.WaitForLoadAsync(v1)).Status.ShouldBe(LoadStatus.Succeeded);
        var v2 = await LoadAsync(client, code, Encoding.UTF8.GetBytes("日期,金额,名称\n2025-01-02,9,第二版\n"), "v2.csv");
        (await App.WaitForLoadAsync(v2)).Status.ShouldBe(LoadStatus.Succeeded);

        var preview = await client.HtmlAsync(DataPageClient.Page(code, "/preview"));
        preview.ShouldContain("第二版");
        DataPageClient.TextOf(preview, "preview-total").ShouldBe("1");
        // An older version can be previewed without switching.
        (await client.HtmlAsync(DataPageClient.Page(code, "/preview?version=1"))).ShouldContain("第一版甲");

        var versions = await client.HtmlAsync(DataPageClient.Page(code, "/versions"));
        DataPageClient.TextOf(versions, "version-2")!.ShouldContain("当前");
        versions.ShouldContain("id=\"activate-1\"");
        versions.ShouldNotContain("id=\"activate-2\"");

        // 设为当前 asks for confirmation first (a GET changes nothing).
        var confirmPage = DataPageClient.Page(code, "/versions/1/activate");
        var confirm = await client.HtmlAsync(confirmPage);
        confirm.ShouldContain("确认将第 1 版设为当前版本？");
        DataPageClient.TextOf(confirm, "target-version")!.ShouldStartWith("第 1 版，2 行");
        (await client.HtmlAsync(DataPageClient.Page(code, "/preview"))).ShouldContain("第二版");

        var done = await client.PostPageFormAsync(confirmPage, confirmPage, []);
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        done.Headers.Location!.ToString().ShouldBe(DataPageClient.Page(code, "/versions"));
        var after = await client.HtmlAsync(DataPageClient.Page(code, "/versions"));
        after.ShouldContain("已将第 1 版设为当前版本（2 行）");
        DataPageClient.TextOf(after, "switch-table")!.ShouldContain("回退 第 2 版 第 1 版");
        var rolledBack = await client.HtmlAsync(DataPageClient.Page(code, "/preview"));
        rolledBack.ShouldContain("第一版甲");
        rolledBack.ShouldNotContain("第二版");

        // Retention: a bad value is named, a good one saved.
        var badRetention = await client.PostPageFormAsync(DataPageClient.Page(code, "/versions"), DataPageClient.Page(code, "/versions?handler=Retention"),
            [new("retention", "0")]);
        DataPageClient.TextOf(await badRetention.Content.ReadAsStringAsync(), "retention-error")!.ShouldContain("1 到 100");
        var goodRetention = await client.PostPageFormAsync(DataPageClient.Page(code, "/versions"), DataPageClient.Page(code, "/versions?handler=Retention"),
            [new("retention", "3")]);
        goodRetention.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await App.WithDataDbAsync(db => db.Resources.AsNoTracking().FirstAsync(r => r.ResourceCode == code))).Retention.ShouldBe(3);

        // Only managers of the resource may switch: the reviewer gets 403.
        var reviewer = await App.LoginAsync("reviewer");
        var denied = await reviewer.GetAsync(confirmPage);
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.ToString().ShouldContain("/account/denied");
    }

    [Fact]
    public async Task A_running_load_shows_its_progress_and_can_be_cancelled()
    {
        var code = await App.PublishAsync("取消加载（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var csv = new StringBuilder("日期,金额,名称\n");
        for (var i = 0; i < 20_000; i++) csv.Append("2024-01-02,").Append(i % 1000).Append(".5,名称").Append(i % 97).Append('\n');
        // Read slowly (≥ 40 s in all): the load is surely still running when the page cancels it.
        var id = await LoadAsync(client, code, Encoding.UTF8.GetBytes(csv.ToString()), SlowReaderFactory.Prefix + "大文件.csv");
        for (var i = 0; i < 300; i++)
        {
            var running = await App.WithDataDbAsync(db => db.Loads.AsNoTracking().FirstAsync(l => l.Id == id));
            if (running.Status == LoadStatus.Running && running.RowsRead > 0) break;
            running.IsFinished.ShouldBeFalse(running.Message);
            await Task.Delay(100);
        }

        var page = await client.HtmlAsync(DataPageClient.Page(code, $"/loads/{id}"));
        DataPageClient.TextOf(page, "load-status").ShouldBe("加载中");
        page.ShouldContain("<meta http-equiv=\"refresh\" content=\"2\" />");
        page.ShouldContain("<progress id=\"load-progress\"");
        page.ShouldContain("id=\"cancel-load\"");
        var cancel = await client.PostPageFormAsync(DataPageClient.Page(code, $"/loads/{id}"), DataPageClient.Page(code, $"/loads/{id}?handler=Cancel"), []);
        cancel.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var load = await App.WaitForLoadAsync(id);
        load.Status.ShouldBe(LoadStatus.Cancelled, load.Message);
        load.RowsRead.ShouldBeLessThan(20_000);
        var report = await client.HtmlAsync(DataPageClient.Page(code, $"/loads/{id}"));
        DataPageClient.TextOf(report, "load-status").ShouldBe("已取消");
        report.ShouldNotContain("http-equiv=\"refresh\"");
        (await App.WithDataDbAsync(db => db.Versions.Where(v => v.Status == VersionStatus.Ready)
            .Join(db.Resources.Where(r => r.ResourceCode == code), v => v.ResourceId, r => r.Id, (v, r) => v).CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_staged_upload_can_be_discarded_and_expires_after_a_day()
    {
        var code = await App.PublishAsync("放弃上传（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var csv = Encoding.UTF8.GetBytes("日期,金额,名称\n2024-01-02,1,甲\n");
        var first = DataPageClient.LoadIdOf(await client.UploadAsync(code, csv, "a.csv", [new("mode", "full")]));
        var mappingPage = DataPageClient.Page(code, $"/loads/{first}/mapping");
        var discard = await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Cancel", []);
        discard.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var discarded = (await App.LoadsOfAsync(code)).Single(l => l.Id == first);
        discarded.Status.ShouldBe(LoadStatus.Cancelled);
        (await App.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Features.Storage.BlobStore>().Exists(discarded.BlobPath!)))).ShouldBeFalse();
        // The mapping page of a load that is no longer waiting goes to its report.
        (await client.GetAsync(mappingPage)).Headers.Location!.ToString().ShouldBe(DataPageClient.Page(code, $"/loads/{first}"));

        var second = DataPageClient.LoadIdOf(await client.UploadAsync(code, csv, "b.csv", [new("mode", "full")]));
        await App.WithDataDbAsync(db => db.Loads.Where(l => l.Id == second)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.CreatedAt, DateTime.UtcNow.AddHours(-25))));
        var expired = await App.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().ExpireStagedAsync());
        expired.ShouldBe(1);
        var load = (await App.LoadsOfAsync(code)).Single(l => l.Id == second);
        load.Status.ShouldBe(LoadStatus.Cancelled);
        load.Message!.ShouldContain("24 小时内未确认列映射");
        (await App.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Features.Storage.BlobStore>().Exists(load.BlobPath!)))).ShouldBeFalse();
    }

    [Fact]
    public async Task Who_may_see_the_pages()
    {
        var code = await App.PublishAsync("页面权限（页面测试）", SmallItems);
        // The providing department (any role), the reviewer and the platform administrator see it.
        foreach (var user in new[] { "scjg_cataloger", "scjg_admin", "reviewer", "admin" })
            (await (await App.LoginAsync(user)).HtmlAsync(DataPageClient.Page(code))).ShouldContain("数据字典");
        // Another department gets 403 through the access-denied page, on every tab.
        var other = await App.LoginAsync("rst_cataloger");
        foreach (var suffix in new[] { "", "/preview", "/profile", "/loads", "/versions", "/export", "/files", "/upload" })
        {
            var response = await other.GetAsync(DataPageClient.Page(code, suffix));
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, suffix);
            response.Headers.Location!.ToString().ShouldContain("/account/denied", customMessage: suffix);
        }
        // …and its list does not show the resource; the reviewer's does.
        (await other.HtmlAsync(DataPageClient.List + "?q=" + Uri.EscapeDataString("页面权限（页面测试）"))).ShouldContain("没有符合条件的信息资源");
        var reviewerList = await (await App.LoginAsync("reviewer")).HtmlAsync(DataPageClient.List + "?q=" + Uri.EscapeDataString("页面权限（页面测试）"));
        reviewerList.ShouldContain(code);
        reviewerList.ShouldContain("id=\"department\"");
        // Viewers who may not load see no upload button.
        (await (await App.LoginAsync("reviewer")).HtmlAsync(DataPageClient.Page(code))).ShouldNotContain("id=\"upload-link\"");
        (await (await App.LoginAsync("scjg_cataloger")).HtmlAsync(DataPageClient.Page(code))).ShouldContain("id=\"upload-link\"");
        // A developer (no department) may not use the data pages; anonymous users are sent to the login page.
        (await (await App.LoginAsync("developer")).GetAsync(DataPageClient.List)).Headers.Location!.ToString().ShouldContain("/account/denied");
        (await App.CreateBrowserClient().GetAsync(DataPageClient.Page(code))).Headers.Location!.ToString().ShouldContain("/account/login");
        // An unknown or malformed code is a 404.
        (await (await App.LoginAsync("admin")).GetAsync(DataPageClient.Page("999999/9"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Files_and_links()
    {
        var code = await App.PublishAsync("文件与接口（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var content = Encoding.UTF8.GetBytes("数据说明文档");
        var upload = await client.UploadAsync(code, content, "说明.txt", [new("description", "字段说明")], suffix: "/files/upload");
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await client.HtmlAsync(DataPageClient.Page(code, "/files"));
        page.ShouldContain("已上传文件“说明.txt”");
        var files = DataPageClient.TextOf(page, "file-table")!;
        files.ShouldContain("说明.txt");
        files.ShouldContain("字段说明");
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/api/v1/data/[^\"]+/files/[0-9a-f-]{36})\"").Groups[1].Value;
        var download = await client.GetAsync(href);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        download.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));

        var files2 = DataPageClient.Page(code, "/files");
        var badLink = await client.PostPageFormAsync(files2, files2 + "?handler=AddLink", [new("url", "ftp://example.org/x"), new("description", "说明")]);
        DataPageClient.TextOf(await badLink.Content.ReadAsStringAsync(), "url-error").ShouldBe("链接地址应为完整的 http:// 或 https:// 地址");
        var goodLink = await client.PostPageFormAsync(files2, files2 + "?handler=AddLink", [new("url", "https://example.org/api/cards"), new("description", "刷卡接口")]);
        goodLink.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        DataPageClient.TextOf(await client.HtmlAsync(files2), "link-table")!.ShouldContain("https://example.org/api/cards");
        // The reviewer sees the list but cannot download (files may hold raw data) and has no delete buttons.
        var reviewerPage = await (await App.LoginAsync("reviewer")).HtmlAsync(files2);
        reviewerPage.ShouldContain("说明.txt");
        reviewerPage.ShouldNotContain(href);
        reviewerPage.ShouldNotContain("handler=DeleteFile");
    }

    [Fact]
    public async Task Xlsx_and_json_files_go_through_the_same_mapping_step()
    {
        var code = await App.PublishAsync("表格与JSON（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        using var xlsx = new MemoryStream();
        GovData.SharedKernel.Spreadsheets.TabularFile.WriteXlsx(xlsx, [("数据", new List<IReadOnlyList<string>>
        {
            new[] { "日期", "金额（元）", "名称", "备注" }, new[] { "2024-03-01", "1.5", "表格甲", "x" }, new[] { "2024-03-02", "2", "表格乙", "y" },
        })]);
        var upload = await client.UploadAsync(code, xlsx.ToArray(), "数据.xlsx", [new("mode", "full")]);
        var id = DataPageClient.LoadIdOf(upload);
        var html = await client.HtmlAsync(DataPageClient.Page(code, $"/loads/{id}/mapping"));
        DataPageClient.TextOf(html, "detected")!.ShouldContain("XLSX");
        DataPageClient.SelectedOf(html, "target-1").ShouldBe("amount");          // 金额（元） matched loosely
        DataPageClient.TextOf(html, "source-1")!.ShouldContain("近似匹配");
        DataPageClient.SelectedOf(html, "target-3").ShouldBe("");               // 备注 ignored
        var mappingPage = DataPageClient.Page(code, $"/loads/{id}/mapping");
        var start = await client.PostPageFormAsync(mappingPage, mappingPage + "?handler=Start",
            [new("targets[0]", "day"), new("targets[1]", "amount"), new("targets[2]", "title"), new("targets[3]", "")]);
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await App.WaitForLoadAsync(id)).RowsLoaded.ShouldBe(2);

        var json = Encoding.UTF8.GetBytes("""[{"day":"2024-04-01","amount":3,"title":"对象甲"},{"day":"2024-04-02","amount":null,"title":"对象乙"}]""");
        var jsonId = await LoadAsync(client, code, json, "数据.json");
        var load = await App.WaitForLoadAsync(jsonId);
        load.Status.ShouldBe(LoadStatus.Succeeded, load.Message);
        load.Detected!.ShouldContain("JSON");
        (await client.HtmlAsync(DataPageClient.Page(code, "/preview"))).ShouldContain("对象乙");

        // A file the readers cannot read is explained on the mapping step, which offers to discard it.
        var broken = DataPageClient.LoadIdOf(await client.UploadAsync(code, Encoding.UTF8.GetBytes("[{\"day\":"), "坏.json", [new("mode", "full")]));
        var brokenHtml = await client.HtmlAsync(DataPageClient.Page(code, $"/loads/{broken}/mapping"));
        DataPageClient.TextOf(brokenHtml, "source-error").ShouldNotBeNullOrWhiteSpace();
        brokenHtml.ShouldContain("放弃本次上传");
        brokenHtml.ShouldNotContain("id=\"start-load\"");
    }

    [Fact]
    public async Task Export_tab_links_every_format()
    {
        var code = await App.PublishAsync("导出链接（页面测试）", SmallItems);
        var client = await App.LoginAsync("scjg_cataloger");
        var id = await LoadAsync(client, code, Encoding.UTF8.GetBytes("日期,金额,名称\n2024-01-02,1,甲\n"), "e.csv");
        (await App.WaitForLoadAsync(id)).Status.ShouldBe(LoadStatus.Succeeded);
        var page = await client.HtmlAsync(DataPageClient.Page(code, "/export"));
        var api = "/api/v1/data/" + Uri.EscapeDataString(code) + "/export?";
        foreach (var query in new[] { "format=csv", "format=csv&amp;bom=true", "format=csv&amp;encoding=gbk", "format=xlsx", "format=json", "format=ndjson", "format=xml" })
            page.ShouldContain(api + query);
        var gbk = await client.GetAsync(api + "format=csv&encoding=gbk");
        gbk.StatusCode.ShouldBe(HttpStatusCode.OK);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Encoding.GetEncoding("GB18030").GetString(await gbk.Content.ReadAsByteArrayAsync()).ShouldContain("甲");
    }
}

public sealed class ResourcePagesSqliteTests(DataPagesSqliteApp app) : ResourcePagesTests<DataPagesSqliteApp>(app), IClassFixture<DataPagesSqliteApp>;

public sealed class ResourcePagesPostgresTests(DataPagesPostgresApp app) : ResourcePagesTests<DataPagesPostgresApp>(app), IClassFixture<DataPagesPostgresApp>;
