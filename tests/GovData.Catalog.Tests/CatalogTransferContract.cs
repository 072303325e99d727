using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Transfer;
using GovData.Catalog.Tests.Infrastructure;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Tests;

/// <summary>Export, template and all-or-nothing import of the exchange file, on SQLite and PostgreSQL.</summary>
public abstract class CatalogTransferContract
{
    internal abstract Task<CatalogHost> HostAsync();

    private static readonly CatalogActor Market = CatalogHost.Compiler(TestData.Market, "市场监管编目员");
    private static readonly CatalogActor Reviewer = CatalogHost.Reviewer(TestData.BigData, "审核员");
    private static readonly string[] ExportOnly = ["分类名称", "发布日期", "元数据标识符", "元数据更新日期", "状态"];

    private static Task<CatalogFile> Export(CatalogHost host, CatalogActor actor, bool csv = false) =>
        host.Run(sp => sp.GetRequiredService<CatalogExport>().ExportAsync(actor, null, csv, TestContext.Current.CancellationToken));

    private static Task<ImportResult> Import(CatalogHost host, CatalogActor actor, byte[] file, string name = "目录.xlsx") =>
        host.Run(sp => sp.GetRequiredService<CatalogImport>().ImportAsync(actor, new MemoryStream(file), name, TestContext.Current.CancellationToken));

    internal static (List<List<string>> Resources, List<List<string>> Items) Sheets(byte[] file, string name = "目录.xlsx")
    {
        var (r, i, error) = CatalogWorkbook.Read(new MemoryStream(file), name);
        error.ShouldBeNull();
        return (r!.Select(x => x.Cells.ToList()).ToList(), i!.Select(x => x.Cells.ToList()).ToList());
    }

    private static byte[] Xlsx(IEnumerable<IReadOnlyList<string>> resources, IEnumerable<IReadOnlyList<string>> items)
    {
        using var ms = new MemoryStream();
        TabularFile.WriteXlsx(ms, [(CatalogWorkbook.ResourceSheet, resources), (CatalogWorkbook.ItemSheet, items)]);
        return ms.ToArray();
    }

    /// <summary>The content columns only (export-only columns blanked), for comparing catalogs.</summary>
    private static List<string> Content(List<string> header, List<string> row) =>
        header.Select((h, i) => ExportOnly.Contains(h) ? "" : i < row.Count ? row[i] : "").ToList();

    private static async Task<CatalogHost> WithCatalogAsync(CatalogHost host)
    {
        async Task<string> Publish(Domain.ResourceInput input)
        {
            var e = (await host.Resources(s => s.CreateAsync(Market, input))).Value!;
            e = (await host.Resources(s => s.SubmitAsync(Market, e.Code, e.Version))).Value!;
            return (await host.Resources(s => s.ApproveAsync(Reviewer, e.Code, e.Version, null))).Value!.Code;
        }
        await Publish(TestData.EnterpriseRegistry());
        await Publish(TestData.EnterpriseRegistry("104001") with { Name = "经营异常名录", ShareType = "有条件共享", ShareCondition = "用于信用监管", OpenType = "不予开放", OpenCondition = null, RelatedCodes = ["102003/1"] });
        (await host.Resources(s => s.CreateAsync(Market, TestData.EnterpriseRegistry("104001") with
        {
            Name = "市场监管统计年报", FormatCategory = "电子文件", FormatType = "pdf", Items = [], Keywords = ["统计", "年报"], UpdateCycle = "每年",
        }))).Ok.ShouldBeTrue();
        return host;
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_catalog_reproduces_it_with_the_same_codes()
    {
        await using var source = await WithCatalogAsync(await HostAsync());
        foreach (var csv in new[] { false, true })
        {
            var file = await Export(source, Market, csv);
            var name = csv ? "目录.zip" : "目录.xlsx";
            file.FileName.ShouldEndWith(csv ? ".zip" : ".xlsx");
            await using var target = await HostAsync();
            var result = await Import(target, Market, file.Content, name);
            result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
            result.Created.ShouldBe(3);

            var again = await Export(target, Market, csv);
            var (r1, i1) = Sheets(file.Content, name);
            var (r2, i2) = Sheets(again.Content, name);
            r2.Select(r => Content(r2[0], r)).ShouldBe(r1.Select(r => Content(r1[0], r)));
            i2.ShouldBe(i1);
            r2.Skip(1).Select(r => r[0]).ShouldBe(["102003/1", "104001/1", "104001/2"]);
            (await target.Db(db => db.Entries.CountAsync())).ShouldBe(3);

            // The same file again changes nothing.
            var second = await Import(target, Market, again.Content, name);
            second.Errors.ShouldBeEmpty();
            (second.Created, second.Updated, second.Unchanged).ShouldBe((0, 0, 3));
            // New entries continue after the imported codes.
            (await target.Resources(s => s.CreateAsync(Market, TestData.EnterpriseRegistry() with { Name = "新资源" }))).Value!.Code.ShouldBe("102003/2");
        }
    }

    [Fact]
    public async Task Importing_a_changed_file_revises_published_entries_and_creates_new_ones()
    {
        await using var host = await WithCatalogAsync(await HostAsync());
        var (resources, items) = Sheets((await Export(host, Market)).Content);
        var header = resources[0];
        int Col(string name) => header.IndexOf(name);
        resources[1][Col("信息资源摘要")] = "修订后的摘要：全省企业法人登记信息。";
        var added = Enumerable.Repeat("", header.Count).ToList();
        added[Col("信息资源分类")] = "102003";
        added[Col("信息资源名称")] = "个体工商户登记信息";
        added[Col("信息资源摘要")] = "个体工商户的登记基本信息。";
        added[Col("信息资源格式分类")] = "电子表格";
        added[Col("信息资源格式类型")] = "xlsx";
        added[Col("共享类型")] = "无条件共享";
        added[Col("共享方式分类")] = "共享平台方式";
        added[Col("共享方式类型")] = "文件(下载)";
        added[Col("是否开放")] = "否";
        added[Col("更新周期")] = "每月";
        resources.Add(added);
        items.Add(["", "个体工商户登记信息", "1", "统一社会信用代码", "credit_code", "C,18", "是", "是", "", "公开", "", ""]);
        items.Add(["", "个体工商户登记信息", "2", "经营者姓名", "operator_name", "C,50", "是", "否", "", "敏感", "姓名脱敏", ""]);

        var result = await Import(host, Market, Xlsx(resources, items));
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        (result.Created, result.Updated, result.Unchanged).ShouldBe((1, 1, 2));
        var revised = (await host.Resources(s => s.GetAsync(Market, "102003/1", default)))!;
        revised.Phase.ShouldBe("已发布（修订草稿）");
        revised.Published!.Abstract.ShouldNotBe("修订后的摘要：全省企业法人登记信息。");
        revised.Working!.Abstract.ShouldBe("修订后的摘要：全省企业法人登记信息。");
        var created = (await host.Resources(s => s.GetAsync(Market, "102003/2", default)))!;
        created.Status.ShouldBe("草稿");
        created.Working!.Items.Select(i => (i.Name, i.TypeText, i.Sensitivity, i.MaskingRule)).ShouldBe(
            [("统一社会信用代码", "C,18", "公开", "不脱敏"), ("经营者姓名", "C,50", "敏感", "姓名脱敏")]);
        created.Working.OpenType.ShouldBe("不予开放");
        (await host.Resources(s => s.HistoryAsync(Market, "102003/2"))).Value!.Single().Summary.ShouldContain("文件导入");
    }

    [Fact]
    public async Task A_file_full_of_errors_reports_every_one_by_sheet_row_and_column_and_stores_nothing()
    {
        await using var host = await WithCatalogAsync(await HostAsync());
        var deleted = (await host.Resources(s => s.CreateAsync(Market, TestData.EnterpriseRegistry() with { Name = "将删除" }))).Value!;
        (await host.Resources(s => s.DeleteAsync(Market, deleted.Code, deleted.Version))).Ok.ShouldBeTrue();
        var pending = (await host.Resources(s => s.GetAsync(Market, "104001/2", default)))!;
        (await host.Resources(s => s.SubmitAsync(Market, pending.Code, pending.Version))).Ok.ShouldBeTrue();
        var entriesBefore = await host.Db(db => db.Entries.CountAsync());
        var historyBefore = await host.Db(db => db.History.CountAsync());

        var header = CatalogWorkbook.ResourceColumns.Select(c => c.Header).ToList();
        List<string> Row(params (string Column, string Value)[] cells)
        {
            var row = Enumerable.Repeat("", header.Count).ToList();
            foreach (var (c, v) in cells) row[header.IndexOf(c)] = v;
            return row;
        }
        (string, string)[] Complete(string name, string classification = "104001") =>
        [
            ("信息资源分类", classification), ("信息资源名称", name), ("信息资源摘要", "摘要"), ("信息资源格式分类", "数据库"), ("信息资源格式类型", "oracle"),
            ("共享类型", "无条件共享"), ("共享方式分类", "共享平台方式"), ("共享方式类型", "接口(服务)"), ("开放类型", "不予开放"), ("更新周期", "每月"),
        ];
        IReadOnlyList<string>[] resources =
        [
            header,
            Row(("信息资源分类", "109999")),                                                           // row 2: unknown node, no name
            Row([.. Complete(new string('名', 51)), ("共享类型", "部分共享"), ("是否开放", "也许")]),          // row 3
            Row([.. Complete("代码错误"), ("信息资源代码", "104001/01")]),                                 // row 4
            Row([.. Complete("条件缺失"), ("共享类型", "有条件共享")]),                                     // row 5: items below
            Row(Complete("条件缺失")),                                                                  // row 6: duplicate name
            Row([.. Complete("复用代码", "102003"), ("信息资源代码", deleted.Code)]),                      // row 7: burnt code
            Row([.. Complete("人社的代码"), ("信息资源代码", "104001/9"), ("信息资源分类", "102003")]),       // row 8: prefix ≠ classification
            Row([.. Complete("待审核资源改名"), ("信息资源代码", "104001/2"), ("信息资源格式分类", "电子文件"), ("信息资源格式类型", "pdf")]), // row 9
            Row([.. Complete("基础信息", "102003"), ("共享类型", "有条件共享"), ("共享条件", "仅限本系统")]),  // row 10
        ];
        var itemHeader = CatalogWorkbook.ItemColumns.Select(c => c.Header).ToList();
        IReadOnlyList<string>[] items =
        [
            itemHeader,
            ["", "条件缺失", "1", "批准时间", "approval_date", "D,9", "否", "否", "", "公开", "", ""],          // row 2
            ["", "条件缺失", "2", "主键", "id", "C,10", "否", "maybe", "", "公开", "", ""],                    // row 3
            ["", "不存在的资源", "1", "名称", "name", "C,10", "否", "否", "", "", "", ""],                     // row 4
            ["104001/77", "", "1", "名称", "name", "C,10", "否", "否", "", "", "", ""],                       // row 5
            ["", "基础信息", "1", "身份证号", "id_no", "C,18", "否", "否", "", "公开", "", ""],                 // row 6
            ["", "代码错误", "1", "名称", "name", "C,10", "否", "否", "", "", "", ""],                        // row 7 (its resource has a code column value, so name lookup fails)
        ];
        var result = await Import(host, Market, Xlsx(resources, items));
        result.Succeeded.ShouldBeFalse();
        var found = result.Errors.Select(e => (e.Sheet, e.Row, e.Column)).ToHashSet();
        (string, int, string)[] expected =
        [
            ("信息资源", 2, "信息资源分类"), ("信息资源", 2, "信息资源名称"),
            ("信息资源", 3, "信息资源名称"), ("信息资源", 3, "共享类型"), ("信息资源", 3, "是否开放"),
            ("信息资源", 4, "信息资源代码"),
            ("信息资源", 5, "共享条件"), ("信息项", 2, "数据类型"), ("信息项", 3, "是否主键"),
            ("信息资源", 6, "信息资源名称"),
            ("信息资源", 7, "信息资源代码"),
            ("信息资源", 8, "信息资源代码"),
            ("信息资源", 9, "信息资源代码"),
            ("信息资源", 10, "共享类型"), ("信息项", 6, "敏感级别"),
            ("信息项", 4, "信息资源名称"), ("信息项", 5, "信息资源代码"), ("信息项", 7, "信息资源名称"),
        ];
        foreach (var e in expected) found.ShouldContain(e, string.Join("\n", result.Errors));
        result.Errors.ShouldAllBe(e => e.Message.Any(c => c >= 0x4e00 && c <= 0x9fa5));
        result.Errors.Single(e => e.Row == 7 && e.Sheet == "信息资源" && e.Column == "信息资源代码").Message.ShouldContain("不能复用");
        result.Errors.Single(e => e.Row == 9 && e.Sheet == "信息资源" && e.Column == "信息资源代码").Message.ShouldContain("待审核");
        result.Errors.First(e => e.Row == 2 && e.Column == "数据类型").ToString().ShouldStartWith("“信息项”表第2行“数据类型”：");
        (await host.Db(db => db.Entries.CountAsync())).ShouldBe(entriesBefore);
        (await host.Db(db => db.History.CountAsync())).ShouldBe(historyBefore);
    }

    [Fact]
    public async Task Unknown_or_missing_columns_and_unreadable_files_are_refused()
    {
        await using var host = await HostAsync();
        var bad = await Import(host, Market, Xlsx([["信息资源名称", "备注X"], ["某资源", "x"]], []));
        bad.Errors.Select(e => (e.Row, e.Column)).ShouldBe([(1, "备注X"), (1, "信息资源分类")], ignoreOrder: true);
        (await Import(host, Market, [1, 2, 3], "目录.xlsx")).Errors.Single().Message.ShouldContain("无法读取文件");
        (await Import(host, Market, [1, 2, 3], "目录.doc")).Errors.Single().Message.ShouldContain("不支持的文件类型");
        (await Import(host, CatalogHost.Reviewer(TestData.BigData), Xlsx([["信息资源名称"]], []))).Errors.Single().Message.ShouldContain("只有部门编目员");
    }

    [Fact]
    public async Task The_template_imports_once_its_example_is_kept()
    {
        await using var host = await HostAsync();
        var template = CatalogExport.Template(csv: false);
        var (resources, items) = Sheets(template.Content);
        resources.Count.ShouldBe(2);
        items.Skip(1).Select(i => i[5]).ShouldBe(["C,18", "C,50", "D,10", "C,6", "C,18"]);
        var result = await Import(host, Market, template.Content);
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.Created.ShouldBe(1);
        (await host.Resources(s => s.GetAsync(Market, "102003/1", default)))!.Working!.ProviderName.ShouldBe(TestData.Market.Name);
    }
}

public sealed class SqliteCatalogTransferTests : CatalogTransferContract
{
    internal override Task<CatalogHost> HostAsync() => CatalogHost.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogTransferTests(PostgresCluster cluster) : CatalogTransferContract
{
    internal override async Task<CatalogHost> HostAsync()
    {
        var (cs, drop) = await cluster.CreateDatabaseAsync();
        return await CatalogHost.PostgresAsync(cs, null, drop);
    }
}
