using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Transfer;
using GovData.Catalog.Persistence;
using GovData.Catalog.Tests.Infrastructure;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Tests;

/// <summary>
/// The console pages for browsing the three catalogs, the entry page, the statistics and import/export, requested
/// through the real host (seeded demo catalog) and checked against the database.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class CatalogPagesTests(CatalogWebFactory factory)
{
    [GeneratedRegex("<tr id=\"entry-([0-9a-f-]{36})\"")]
    private static partial Regex EntryRow();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private sealed record Published(Guid Id, string Code, Guid DepartmentId, ShareType? Share, OpenType? Open, int ClassCode);

    private async Task<List<Published>> PublishedAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
        return await (from e in db.Entries
                      join r in db.Revisions on e.PublishedRevisionId equals (Guid?)r.Id
                      where e.Status == EntryStatus.Published
                      select new Published(e.Id, e.Code, e.DepartmentId, r.ShareType, r.OpenType, e.ClassCode)).ToListAsync();
    }

    private async Task<DepartmentInfo> DepartmentAsync(string nameFragment)
    {
        using var scope = factory.Services.CreateScope();
        var all = await scope.ServiceProvider.GetRequiredService<IDepartmentDirectory>().ListAsync();
        return all.Single(d => d.Name.Contains(nameFragment));
    }

    private async Task<(int Entries, int Revisions, int Items, int History)> CountsAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
        return (await db.Entries.CountAsync(), await db.Revisions.CountAsync(), await db.Items.CountAsync(), await db.History.CountAsync());
    }

    private static async Task<string> Html(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 2000 ? text[..2000] : text);
        return text;
    }

    /// <summary>Every entry id listed by a browse URL, following the pager to the end.</summary>
    private static async Task<List<Guid>> AllListedAsync(HttpClient client, string url)
    {
        var ids = new List<Guid>();
        for (var page = 1; page < 100; page++)
        {
            var html = await Html(await client.GetAsync($"{url}&pageNumber={page}"));
            ids.AddRange(EntryRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)));
            if (!html.Contains("id=\"pager-next\"")) return ids;
        }
        throw new InvalidOperationException("pager never ended");
    }

    /// <summary>The number in the cell after the row header of <paramref name="key"/> in the table <paramref name="tableId"/>.</summary>
    private static int Cell(string html, string tableId, string key)
    {
        var table = Regex.Match(html, $"<table[^>]*id=\"{tableId}\".*?</table>", RegexOptions.Singleline);
        table.Success.ShouldBeTrue($"table {tableId} missing");
        var row = Regex.Match(table.Value, $"<tr data-key=\"{Regex.Escape(key)}\">.*?<td class=\"num\">(\\d+)</td>", RegexOptions.Singleline);
        row.Success.ShouldBeTrue($"row {key} missing in {tableId}");
        return int.Parse(row.Groups[1].Value);
    }

    [Fact]
    public async Task The_share_catalog_lists_exactly_the_published_shared_entries()
    {
        var published = await PublishedAsync();
        var shared = published.Where(p => p.Share is ShareType.Unconditional or ShareType.Conditional).Select(p => p.Id).ToHashSet();
        var notShared = published.First(p => p.Share == ShareType.NotShared);
        shared.Count.ShouldBeGreaterThan(20); // more than one page
        var user = await factory.LoginAsync("rst_user");

        var listed = await AllListedAsync(user, "/console/catalog/browse?catalog=share");
        listed.Count.ShouldBe(listed.Distinct().Count());
        listed.ToHashSet().SetEquals(shared).ShouldBeTrue("the share catalog lists exactly the published 无条件/有条件共享 entries");

        // A 不予共享 entry is in the business catalog but not in the share catalog.
        var code = Uri.EscapeDataString(notShared.Code);
        (await Html(await user.GetAsync($"/console/catalog/browse?catalog=business&q={code}"))).ShouldContain($"id=\"entry-{notShared.Id}\"");
        var share = await Html(await user.GetAsync($"/console/catalog/browse?catalog=share&q={code}"));
        share.ShouldNotContain($"id=\"entry-{notShared.Id}\"");
        share.ShouldContain("id=\"no-entries\"");
        share.ShouldNotContain("<option value=\"不予共享\"");

        // The open catalog leaves out what is not opened.
        var notOpen = published.First(p => p.Open == OpenType.NotOpen);
        (await Html(await user.GetAsync($"/console/catalog/browse?catalog=open&q={Uri.EscapeDataString(notOpen.Code)}"))).ShouldContain("id=\"no-entries\"");
        var open = await Html(await user.GetAsync("/console/catalog/browse?catalog=open"));
        open.ShouldContain($"共 {published.Count(p => p.Open is OpenType.Unconditional or OpenType.Conditional):N0} 条");
        Regex.IsMatch(open, "class=\"tab active\" aria-current=\"page\"\\s+id=\"tab-open\"").ShouldBeTrue();
    }

    [Fact]
    public async Task Browsing_by_classification_node_or_department_narrows_the_list()
    {
        var published = await PublishedAsync();
        var user = await factory.LoginAsync("rst_user");

        var underNode = published.Where(p => p.Code.StartsWith("102003", StringComparison.Ordinal)).Select(p => p.Id).ToHashSet();
        underNode.Count.ShouldBeGreaterThan(0);
        var byNode = await AllListedAsync(user, "/console/catalog/browse?catalog=business&node=102003");
        byNode.ToHashSet().SetEquals(underNode).ShouldBeTrue();
        var tree = await Html(await user.GetAsync("/console/catalog/browse?catalog=business&node=102003"));
        // The tree shows the node's count, opens its ancestors and marks it selected.
        Regex.IsMatch(tree, $"<li id=\"node-102003\">.*?<span class=\"count\" title=\"资源数\">{underNode.Count}</span>", RegexOptions.Singleline).ShouldBeTrue();
        Regex.IsMatch(tree, "<li id=\"node-102\">\\s*<details open=\"open\">").ShouldBeTrue();
        tree.ShouldContain("企业单位法人");

        var scjg = await DepartmentAsync("山东省市场监督管理局");
        var ofScjg = published.Where(p => p.DepartmentId == scjg.Id).Select(p => p.Id).ToHashSet();
        var byDept = await AllListedAsync(user, $"/console/catalog/browse?catalog=business&by=dept&dept={scjg.Id}");
        byDept.ToHashSet().SetEquals(ofScjg).ShouldBeTrue();
        var panel = await Html(await user.GetAsync($"/console/catalog/browse?catalog=business&by=dept&dept={scjg.Id}"));
        Regex.IsMatch(panel, $"<li id=\"dept-{scjg.Id}\">.*?<span class=\"count\">{ofScjg.Count}</span>", RegexOptions.Singleline).ShouldBeTrue();

        // Bad parameters are explained, not failed on.
        var bad = await Html(await user.GetAsync("/console/catalog/browse?catalog=secret&shareType=随便"));
        bad.ShouldContain("目录类型“secret”无效");
        bad.ShouldContain("共享类型“随便”无效");
    }

    [Fact]
    public async Task The_entry_page_shows_metadata_items_share_open_attributes_and_history()
    {
        var published = await PublishedAsync();
        var enterprise = published.Single(p => p.Code == "102003/1");
        var user = await factory.LoginAsync("rst_user");
        var html = await Html(await user.GetAsync($"/console/catalog/entries/{enterprise.Id}"));
        html.ShouldContain("企业法人库");
        html.ShouldContain("102003/1");
        foreach (var text in new[] { "统一社会信用代码", "C,18", "法人名称", "C,50", "批准时间", "D,10", "共享属性", "开放属性", "信息项", "扩展元数据", "元数据标识符", "变更历史", "审核通过" })
            html.ShouldContain(text);
        html.ShouldNotContain("id=\"edit-entry\"");
        // Its department's compiler gets a link to the edit form.
        var compiler = await factory.LoginAsync("scjg_cataloger");
        (await Html(await compiler.GetAsync($"/console/catalog/entries/{enterprise.Id}"))).ShouldContain($"href=\"/console/catalog/resources/{enterprise.Id}/edit\"");

        // Someone else's draft is not visible outside its department and reviewers.
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
        var rst = await DepartmentAsync("人力资源和社会保障厅");
        var draft = await db.Entries.FirstAsync(e => e.Status == EntryStatus.Draft && e.DepartmentId != rst.Id);
        (await user.GetAsync($"/console/catalog/entries/{draft.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var reviewer = await factory.LoginAsync("admin");
        (await Html(await reviewer.GetAsync($"/console/catalog/entries/{draft.Id}"))).ShouldContain("该资源尚未发布");
    }

    [Fact]
    public async Task The_statistics_page_shows_the_counts_in_tables_and_embeds_the_chart_data()
    {
        var published = await PublishedAsync();
        var user = await factory.LoginAsync("rst_user");
        var html = await Html(await user.GetAsync("/console/catalog/statistics"));

        Regex.Match(html, "id=\"stat-published\"><span class=\"stat-value\">([\\d,]+)</span>").Groups[1].Value.ShouldBe(published.Count.ToString("N0"));
        Cell(html, "share-table", "Unconditional").ShouldBe(published.Count(p => p.Share == ShareType.Unconditional));
        Cell(html, "share-table", "Conditional").ShouldBe(published.Count(p => p.Share == ShareType.Conditional));
        Cell(html, "share-table", "NotShared").ShouldBe(published.Count(p => p.Share == ShareType.NotShared));
        Cell(html, "open-table", "NotOpen").ShouldBe(published.Count(p => p.Open == OpenType.NotOpen));
        for (var c = 1; c <= 3; c++) Cell(html, "class-table", c.ToString()).ShouldBe(published.Count(p => p.ClassCode == c));
        var scjg = await DepartmentAsync("山东省市场监督管理局");
        Cell(html, "department-table", scjg.Id.ToString()).ShouldBe(published.Count(p => p.DepartmentId == scjg.Id));
        // 企业 is served by the provincial and the Jinan market regulators.
        var jnScjg = await DepartmentAsync("济南市市场监督管理局");
        var enterpriseDomain = published.Count(p => p.DepartmentId == scjg.Id || p.DepartmentId == jnScjg.Id);
        Regex.IsMatch(html, $"<tr data-domain=\"企业\">.*?<td class=\"num\">{enterpriseDomain}</td>", RegexOptions.Singleline).ShouldBeTrue();
        html.ShouldContain("id=\"domain-rate\">100%");

        // The charts read the same numbers from the page, and the chart library is built into wwwroot.
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"chart-data\">(.*?)</script>", RegexOptions.Singleline);
        json.Success.ShouldBeTrue();
        var data = JsonNode.Parse(json.Groups[1].Value)!;
        data["byShareType"]!.AsArray().Sum(x => x!["value"]!.GetValue<int>()).ShouldBe(published.Count);
        data["byDepartment"]!["categories"]!.AsArray().Count.ShouldBe(published.Select(p => p.DepartmentId).Distinct().Count());
        html.ShouldContain("/lib/echarts/echarts.min.js");
        var library = await factory.Anonymous().GetAsync("/lib/echarts/echarts.min.js");
        library.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await library.Content.ReadAsStringAsync()).ShouldContain("echarts");
        (await factory.Anonymous().GetAsync("/js/charts.js")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A region narrows the statistics to its departments; a bad one is explained.
        var jinan = await Html(await user.GetAsync("/console/catalog/statistics?region=370100"));
        jinan.ShouldContain("山东省济南市");
        Cell(jinan, "department-table", jnScjg.Id.ToString()).ShouldBe(published.Count(p => p.DepartmentId == jnScjg.Id));
        jinan.ShouldNotContain($"data-key=\"{scjg.Id}\"");
        (await Html(await user.GetAsync("/console/catalog/statistics?region=999999"))).ShouldContain("行政区划代码“999999”不存在");
    }

    [Fact]
    public async Task The_statistics_api_returns_the_same_figures()
    {
        var published = await PublishedAsync();
        var user = await factory.LoginAsync("rst_user");
        var all = JsonNode.Parse(await (await user.GetAsync("/api/v1/catalog/statistics")).Content.ReadAsStringAsync())!;
        all["published"]!.GetValue<int>().ShouldBe(published.Count);
        all["shared"]!.GetValue<int>().ShouldBe(published.Count(p => p.Share is ShareType.Unconditional or ShareType.Conditional));
        all["open"]!.GetValue<int>().ShouldBe(published.Count(p => p.Open is OpenType.Unconditional or OpenType.Conditional));
        all["coverage"]!["domainsTotal"]!.GetValue<int>().ShouldBe(12);
        all["coverage"]!["domains"]!.AsArray().Select(d => d!["domain"]!.GetValue<string>()).ShouldBe(
            ["企业", "人社", "教育", "医疗卫生", "民政", "建设", "交通运输", "文化", "科技", "农业", "安全生产", "环保"]);
        var bad = await user.GetAsync("/api/v1/catalog/statistics?region=12");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("行政区划代码");
        (await factory.Anonymous().GetAsync("/api/v1/catalog/statistics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName)
    {
        var page = await Html(await client.GetAsync("/console/catalog/transfer"));
        var form = new MultipartFormDataContent
        {
            { new StringContent(Token().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "file", fileName },
        };
        return await client.PostAsync("/console/catalog/transfer?handler=Import", form);
    }

    [Fact]
    public async Task An_import_with_errors_lists_every_error_by_sheet_row_and_column_and_stores_nothing()
    {
        using var ms = new MemoryStream();
        TabularFile.WriteXlsx(ms,
        [
            (CatalogWorkbook.ResourceSheet, new List<IReadOnlyList<string>>
            {
                new[] { "信息资源代码", "信息资源分类", "信息资源名称", "共享类型", "是否开放", "更新周期" },
                new[] { "", "102003", "页面导入测试库", "随便共享", "也许", "每日" },
                new[] { "", "999999", "", "无条件共享", "是", "每天" },
            }),
            (CatalogWorkbook.ItemSheet, new List<IReadOnlyList<string>>
            {
                new[] { "信息资源名称", "信息项名称", "字段代码", "数据类型" },
                new[] { "页面导入测试库", "统一社会信用代码", "credit_code", "X,99" },
            }),
        ]);
        var before = await CountsAsync();
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var html = await Html(await UploadAsync(compiler, ms.ToArray(), "坏文件.xlsx"));

        html.ShouldContain("未导入任何数据");
        var table = Regex.Match(html, "<table[^>]*id=\"import-error-table\".*?</table>", RegexOptions.Singleline).Value;
        var rows = Regex.Matches(table, "<tr>\\s*<td class=\"num\">\\d+</td>\\s*<td>(.*?)</td>\\s*<td>(.*?)</td>\\s*<td>(.*?)</td>\\s*<td>(.*?)</td>", RegexOptions.Singleline)
            .Select(m => (Sheet: m.Groups[1].Value, Row: m.Groups[2].Value, Column: m.Groups[3].Value, Message: m.Groups[4].Value)).ToList();
        rows.Count.ShouldBeGreaterThanOrEqualTo(6);
        rows.ShouldContain(r => r.Sheet == "信息资源" && r.Row == "第2行" && r.Column == "共享类型" && r.Message.Contains("随便共享"));
        rows.ShouldContain(r => r.Sheet == "信息资源" && r.Row == "第2行" && r.Column == "是否开放");
        rows.ShouldContain(r => r.Sheet == "信息资源" && r.Row == "第3行" && r.Column == "信息资源分类" && r.Message.Contains("999999"));
        rows.ShouldContain(r => r.Sheet == "信息资源" && r.Row == "第3行" && r.Column == "信息资源名称");
        rows.ShouldContain(r => r.Sheet == "信息项" && r.Row == "第2行" && r.Column == "数据类型");
        html.ShouldContain($"有 {rows.Count} 处错误");
        (await CountsAsync()).ShouldBe(before);

        // Not a workbook at all, and no file.
        (await Html(await UploadAsync(compiler, "not a workbook"u8.ToArray(), "x.xlsx"))).ShouldContain("未导入任何数据");
        (await CountsAsync()).ShouldBe(before);

        // Someone who is not a compiler cannot import.
        var reviewer = await factory.LoginAsync("reviewer");
        (await Html(await UploadAsync(reviewer, ms.ToArray(), "坏文件.xlsx"))).ShouldContain("只有部门编目员可以导入本部门的资源目录");
    }

    [Fact]
    public async Task The_template_imports_into_the_department_and_the_page_reports_the_counts()
    {
        var compiler = await factory.LoginAsync("wjw_cataloger");
        var template = await compiler.GetAsync("/console/catalog/transfer?handler=Template&format=xlsx");
        template.StatusCode.ShouldBe(HttpStatusCode.OK);
        template.Content.Headers.ContentType!.MediaType.ShouldBe(CatalogWorkbook.XlsxContentType);
        var before = await CountsAsync();
        var response = await UploadAsync(compiler, await template.Content.ReadAsByteArrayAsync(), "模板.xlsx");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var page = await Html(await compiler.GetAsync(response.Headers.Location!.OriginalString));
        page.ShouldContain("导入成功：新建 1 条（草稿）、更新 0 条、内容未变 0 条");
        (await CountsAsync()).Entries.ShouldBe(before.Entries + 1);
    }

    /// <summary>Department of every entry, by code.</summary>
    private async Task<Dictionary<string, Guid>> OwnersAsync()
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CatalogDb>().Entries.ToDictionaryAsync(e => e.Code, e => e.DepartmentId);
    }

    private static List<string> Codes(List<List<string>> resources)
    {
        var column = resources[0].IndexOf("信息资源代码");
        column.ShouldBeGreaterThanOrEqualTo(0);
        return resources.Skip(1).Select(r => r[column]).ToList();
    }

    [Fact]
    public async Task Exports_cover_the_own_department_or_for_reviewers_a_region()
    {
        var owners = await OwnersAsync();
        var scjg = await DepartmentAsync("山东省市场监督管理局");
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var own = await compiler.GetAsync("/console/catalog/transfer?handler=Export&content=workspace&scope=mine&format=xlsx");
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        own.Content.Headers.ContentType!.MediaType.ShouldBe(CatalogWorkbook.XlsxContentType);
        var ownCodes = Codes(CatalogTransferContract.Sheets(await own.Content.ReadAsByteArrayAsync()).Resources);
        ownCodes.Count.ShouldBeGreaterThan(2);
        ownCodes.ShouldAllBe(c => owners[c] == scjg.Id);
        (await PublishedAsync()).Where(p => p.DepartmentId == scjg.Id).Select(p => p.Code).ShouldBeSubsetOf(ownCodes);

        var refused = await Html(await compiler.GetAsync("/console/catalog/transfer?handler=Export&content=business&scope=all"));
        refused.ShouldContain("只有主管部门的目录审核员、平台管理员和安全审计员可以导出多个部门的资源目录");

        using var scope = factory.Services.CreateScope();
        var all = await scope.ServiceProvider.GetRequiredService<IDepartmentDirectory>().ListAsync();
        var inJinan = all.Where(d => d.RegionCode == "370100").Select(d => d.Id).ToHashSet();
        var inQingdao = all.Where(d => d.RegionCode == "370200").Select(d => d.Id).ToHashSet();
        var published = await PublishedAsync();

        var reviewer = await factory.LoginAsync("reviewer");
        var csv = await reviewer.GetAsync("/console/catalog/transfer?handler=Export&content=share&scope=region&region=370100&format=csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe(CatalogWorkbook.ZipContentType);
        var jinan = Codes(CatalogTransferContract.Sheets(await csv.Content.ReadAsByteArrayAsync(), "x.zip").Resources);
        jinan.Order().ShouldBe(published.Where(p => inJinan.Contains(p.DepartmentId) && p.Share is ShareType.Unconditional or ShareType.Conditional)
            .Select(p => p.Code).Order());

        // The API takes the same scope.
        var api = await reviewer.GetAsync("/api/v1/catalog/export?view=business&scope=region&region=370200");
        Codes(CatalogTransferContract.Sheets(await api.Content.ReadAsByteArrayAsync()).Resources).Order()
            .ShouldBe(published.Where(p => inQingdao.Contains(p.DepartmentId)).Select(p => p.Code).Order());
        (await compiler.GetAsync("/api/v1/catalog/export?scope=region&region=370000")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_console_navigation_offers_the_catalog_pages_by_role()
    {
        static async Task<string> Nav(HttpClient client)
        {
            var html = await Html(await client.GetAsync("/console"));
            return Regex.Match(html, "<nav class=\"sidenav\".*?</nav>", RegexOptions.Singleline).Value;
        }
        var user = await Nav(await factory.LoginAsync("rst_user"));
        user.ShouldContain("资源目录");
        user.ShouldContain("href=\"/console/catalog/browse\"");
        user.ShouldContain("href=\"/console/catalog/statistics\"");
        user.ShouldNotContain("href=\"/console/catalog/transfer\"");
        (await Nav(await factory.LoginAsync("rst_cataloger"))).ShouldContain("href=\"/console/catalog/transfer\"");
        (await Nav(await factory.LoginAsync("reviewer"))).ShouldContain("href=\"/console/catalog/transfer\"");
        var developer = await factory.LoginAsync("developer");
        (await Nav(developer)).ShouldNotContain("/console/catalog/");
        var denied = await developer.GetAsync("/console/catalog/browse");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.OriginalString.ShouldContain("denied", Case.Insensitive);
    }
}
