using System.Net;
using GovData.Tests.Common.Web;
using static GovData.Catalog.PageTests.CatalogPages;

namespace GovData.Catalog.PageTests;

/// <summary>
/// The reviewer's queue and review page over HTTP (no script) with the demo data, on both engines (the queue is the
/// pages' own query).
/// </summary>
public abstract class ReviewPageTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private async Task<(HttpClient Compiler, HttpClient Reviewer, Guid Id)> SubmittedAsync(string name)
    {
        var scjg = await App.LoginAsync("scjg_cataloger");
        var submit = await scjg.PostEntryFormAsync(NewPage, "Submit", CompleteForm(name));
        submit.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submit.Content.ReadAsStringAsync());
        var id = (await scjg.GetJsonAsync($"{Api}?keyword={Uri.EscapeDataString(name)}"))["items"]!.AsArray().Single()!["id"]!.GetValue<Guid>();
        return (scjg, await App.LoginAsync("reviewer"), id);
    }

    [Fact]
    public async Task Queue_lists_pending_entries_oldest_first_with_their_waiting_time()
    {
        var (_, reviewer, id) = await SubmittedAsync("队列排序测试资源");
        var first = await (await reviewer.GetAsync(Queue)).Content.ReadAsStringAsync();
        var total = (await reviewer.GetJsonAsync("/api/v1/catalog/review-queue?pageSize=1"))["total"]!.GetValue<int>();
        var ids = new List<Guid>();
        var texts = new Dictionary<Guid, string>();
        for (var n = 1; n <= (total + 19) / 20; n++)
        {
            var html = await (await reviewer.GetAsync($"{Queue}?pageNumber={n}")).Content.ReadAsStringAsync();
            foreach (var m in System.Text.RegularExpressions.Regex.Matches(html, "<tr id=\"queue-([0-9a-f-]{36})\"").Cast<System.Text.RegularExpressions.Match>())
            {
                var rowId = Guid.Parse(m.Groups[1].Value);
                ids.Add(rowId);
                texts[rowId] = TextOf(html, $"queue-{rowId}")!;
            }
        }
        ids.Count.ShouldBe(total);
        // Oldest first: the seeded pending entries were submitted months ago, this one just now.
        ids[^1].ShouldBe(id);
        texts[id].ShouldContain("不到1分钟");
        texts[id].ShouldContain("山东省市场监督管理局");
        texts[ids[0]].ShouldContain("天");
        TextOf(first, $"queue-{ids[0]}").ShouldNotBeNull();
    }

    [Fact]
    public async Task Reject_needs_a_reason_and_the_reason_reaches_the_compilers_form()
    {
        var (scjg, reviewer, id) = await SubmittedAsync("驳回理由测试资源");
        var page = await (await reviewer.GetAsync(ReviewPage(id))).Content.ReadAsStringAsync();
        var version = VersionOf(page);

        var empty = await reviewer.PostFormAsync(ReviewPage(id), [new("version", version), new("reasons[0].field", "abstract"), new("reasons[0].message", "  ")],
            $"{ReviewPage(id)}?handler=Reject");
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        TextOf(await empty.Content.ReadAsStringAsync(), "review-errors")!.ShouldContain("驳回时须至少针对一个字段填写理由");
        (await scjg.EntryAsync(id))["status"]!.GetValue<string>().ShouldBe("待审核");

        // Approving with a reason typed is taken for a slip: nothing happens.
        var mixed = await reviewer.PostFormAsync(ReviewPage(id), [new("version", version), new("reasons[0].field", "abstract"), new("reasons[0].message", "摘要过于简略")],
            $"{ReviewPage(id)}?handler=Approve");
        TextOf(await mixed.Content.ReadAsStringAsync(), "review-errors")!.ShouldContain("您填写了驳回理由");
        (await scjg.EntryAsync(id))["status"]!.GetValue<string>().ShouldBe("待审核");

        var reject = await reviewer.PostFormAsync(ReviewPage(id),
            [new("version", version), new("reasons[0].field", "abstract"), new("reasons[0].message", "摘要过于简略，请说明数据范围"),
             new("reasons[1].field", "items[2]"), new("reasons[1].message", "成立日期应为必填")],
            $"{ReviewPage(id)}?handler=Reject");
        reject.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await scjg.EntryAsync(id))["status"]!.GetValue<string>().ShouldBe("已驳回");

        var form = await (await scjg.GetAsync(EditPage(id))).Content.ReadAsStringAsync();
        TextOf(form, "rejection")!.ShouldContain("信息资源摘要：摘要过于简略，请说明数据范围");
        TextOf(form, "abstract-note").ShouldBe("驳回理由：摘要过于简略，请说明数据范围");
        TextOf(form, "item-row-2-messages")!.ShouldContain("驳回理由：成立日期应为必填");
    }

    [Fact]
    public async Task Stale_review_is_refused_and_an_entry_outside_the_queue_is_read_only()
    {
        var (scjg, reviewer, id) = await SubmittedAsync("审核并发测试资源");
        var version = VersionOf(await (await reviewer.GetAsync(ReviewPage(id))).Content.ReadAsStringAsync());
        // The compiler recalls it meanwhile.
        var recall = await scjg.PostFormAsync(EditPage(id), [new("version", (await scjg.EntryAsync(id))["version"]!.ToString())], $"{EditPage(id)}?handler=Recall");
        recall.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var approve = await reviewer.PostFormAsync(ReviewPage(id), [new("version", version)], $"{ReviewPage(id)}?handler=Approve");
        approve.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await approve.Content.ReadAsStringAsync();
        TextOf(html, "conflict")!.ShouldContain("该资源已被他人修改");
        TextOf(html, "not-pending")!.ShouldContain("不在待审核状态");
        html.ShouldNotContain("id=\"approve\"");
        (await scjg.EntryAsync(id))["status"]!.GetValue<string>().ShouldBe("草稿");
    }
}

public sealed class SqliteReviewPageTests(SqliteAppFactory app) : ReviewPageTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class PostgresReviewPageTests(PostgresAppFactory app) : ReviewPageTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
