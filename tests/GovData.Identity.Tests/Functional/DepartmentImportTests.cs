using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Spreadsheets;
using GovData.Tests.Common.Web;
using Shouldly;
using Xunit;
using static GovData.Identity.Tests.Functional.IdentityApi;

namespace GovData.Identity.Tests.Functional;

/// <summary>Department import from CSV/XLSX is all-or-nothing and reports every error by row and column.</summary>
public abstract class DepartmentImportTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private const string Header = "部门名称,简称,统一社会信用代码,部门类别,上级部门统一社会信用代码,行政区划代码,是否主管部门,领域,排序";
    private const string Import = Departments + "/import";

    private static string NewCode(string region = "370000") =>
        CreditCode.Create('1', '1', region, Random.Shared.Next(10_000_000, 99_999_999).ToString()).Value;

    private static string WrongCheck(string code) =>
        code[..17] + CreditCode.Alphabet[(CreditCode.Alphabet.IndexOf(code[17]) + 1) % CreditCode.Alphabet.Length];

    private static MultipartFormDataContent File(byte[] bytes, string fileName)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static MultipartFormDataContent Csv(params string[] lines) =>
        File(Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. lines]) + "\r\n"), "departments.csv");

    [Fact]
    public async Task File_with_several_bad_rows_reports_every_error_and_stores_nothing()
    {
        var admin = await App.LoginAsync("admin");
        var before = await DepartmentCountAsync(admin);
        var good = NewCode();
        var suffix = ShortId();

        var response = await admin.PostAsync(Import, Csv(
            $"山东省导入测试局{suffix}（演示）,导入局,{good},政府,,370000,否,科技,10",            // row 2: valid
            $"校验位错误局{suffix},,{WrongCheck(NewCode())},政府,,370000,否,,20",                 // row 3
            $"区划错误局{suffix},,{NewCode()},政府,,379999,否,,30",                               // row 4
            $"类别错误局{suffix},,{NewCode()},部委,,370000,否,,40",                               // row 5
            $"重复代码局{suffix},,{good},政府,,370000,否,,50",                                    // row 6
            $"主管错误局{suffix},,{NewCode()},政府,,370000,也许,,十",                             // row 7 (two errors)
            $"上级错误局{suffix},,{NewCode()},政府,{NewCode("370100")},370000,否,,70"));          // row 8

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["detail"]!.GetValue<string>().ShouldBe("文件中有7处错误，未导入任何数据。");
        var errors = problem["errors"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(m => m!.GetValue<string>()).ToList());
        errors.Keys.ShouldBe(
        [
            "第3行/统一社会信用代码", "第4行/行政区划代码", "第5行/部门类别", "第6行/统一社会信用代码",
            "第7行/是否主管部门", "第7行/排序", "第8行/上级部门统一社会信用代码",
        ], ignoreOrder: true);
        errors["第3行/统一社会信用代码"].ShouldHaveSingleItem().ShouldContain("校验位错误");
        errors["第4行/行政区划代码"].ShouldHaveSingleItem().ShouldContain("379999");
        errors["第6行/统一社会信用代码"].ShouldHaveSingleItem().ShouldContain("与第2行重复");
        errors["第7行/是否主管部门"].ShouldHaveSingleItem().ShouldContain("也许");
        errors["第7行/排序"].ShouldHaveSingleItem().ShouldContain("十");

        // All or nothing: not even the valid row 2 was stored.
        (await DepartmentCountAsync(admin)).ShouldBe(before);
        (await admin.GetJsonAsync(Departments)).AsArray().ShouldNotContain(d => d!["creditCode"]!.GetValue<string>() == good);
    }

    [Fact]
    public async Task Valid_file_creates_then_updates_with_parents_from_the_same_file()
    {
        var admin = await App.LoginAsync("admin");
        var before = await DepartmentCountAsync(admin);
        var parent = NewCode();
        var child = NewCode("371300");
        var suffix = ShortId();
        string[] lines =
        [
            $"山东省导入上级局{suffix}（演示）,上级局,{parent},政府,,370000,否,\"科技、教育\",10",
            $"临沂市导入下属中心{suffix}（演示）,,{child.ToLowerInvariant()},事业单位,{parent},371300,否,,20",
        ];

        var first = await admin.PostAsync(Import, Csv(lines));
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var result = await first.ReadJsonAsync();
        result["created"]!.GetValue<int>().ShouldBe(2);
        result["updated"]!.GetValue<int>().ShouldBe(0);
        (await DepartmentCountAsync(admin)).ShouldBe(before + 2);

        var all = (await admin.GetJsonAsync(Departments)).AsArray();
        var p = all.Single(d => d!["creditCode"]!.GetValue<string>() == parent)!;
        var c = all.Single(d => d!["creditCode"]!.GetValue<string>() == child)!;
        c["parentId"]!.GetValue<Guid>().ShouldBe(p["id"]!.GetValue<Guid>());
        c["kindName"]!.GetValue<string>().ShouldBe("事业单位");
        p["domains"]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["科技", "教育"]);

        // Importing the same file again updates by credit code instead of duplicating.
        var second = await admin.PostAsync(Import, Csv(lines));
        var again = await second.ReadJsonAsync();
        again["created"]!.GetValue<int>().ShouldBe(0);
        again["updated"]!.GetValue<int>().ShouldBe(2);
        (await DepartmentCountAsync(admin)).ShouldBe(before + 2);
    }

    [Fact]
    public async Task Xlsx_files_are_checked_the_same_way()
    {
        var admin = await App.LoginAsync("admin");
        var before = await DepartmentCountAsync(admin);
        using var ms = new MemoryStream();
        TabularFile.WriteXlsx(ms, [("部门", new List<IReadOnlyList<string>>
        {
            Header.Split(','),
            new[] { "表格导入局（演示）" + ShortId(), "", NewCode(), "政府", "", "370000", "否", "", "1" },
            new[] { "", "", "123", "政府", "", "370000", "", "", "" },
        })]);
        var response = await admin.PostAsync(Import, File(ms.ToArray(), "departments.xlsx"));
        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["第3行/部门名称", "第3行/统一社会信用代码"], ignoreOrder: true);
        (await DepartmentCountAsync(admin)).ShouldBe(before);
    }

    [Fact]
    public async Task Missing_columns_and_wrong_file_types_are_explained()
    {
        var admin = await App.LoginAsync("admin");
        var noColumns = await admin.PostAsync(Import, File(Encoding.UTF8.GetBytes("部门名称,简称\r\n某局,某\r\n"), "departments.csv"));
        var errors = (await noColumns.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["第1行/统一社会信用代码", "第1行/部门类别", "第1行/行政区划代码"], ignoreOrder: true);

        var text = await admin.PostAsync(Import, File(Encoding.UTF8.GetBytes("hello"), "departments.txt"));
        (await text.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["file"]![0]!.GetValue<string>().ShouldContain(".txt");
    }

    [Fact]
    public async Task Only_platform_administrators_import()
    {
        var scjg = await App.LoginAsync("scjg_admin");
        var response = await scjg.PostAsync(Import, Csv($"越权导入局{ShortId()},,{NewCode()},政府,,370000,否,,1"));
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class DepartmentImportTestsSqlite(SqliteAppFactory app) : DepartmentImportTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class DepartmentImportTestsPostgres(PostgresAppFactory app) : DepartmentImportTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
