using System.Net;
using System.Text.RegularExpressions;
using GovData.Exchange.Features.Demo;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Pages;

public sealed class SqliteExchangePageTests(SqliteExchangePagesApp app) : ExchangePageTests<SqliteExchangePagesApp>(app), IClassFixture<SqliteExchangePagesApp>;

public sealed class PostgresExchangePageTests(PostgresExchangePagesApp app) : ExchangePageTests<PostgresExchangePagesApp>(app), IClassFixture<PostgresExchangePagesApp>;

/// <summary>
/// The consumer, provider and competent-department pages over real HTTP without a browser (so they work without
/// JavaScript): demo data shown, happy paths through the forms (antiforgery, POST-redirect-GET), bad input answered with
/// Chinese field errors and nothing changed, and role checks.
/// </summary>
public abstract partial class ExchangePageTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : ExchangePagesApp
{
    private const string Pages = "/console/exchange";
    private const string Api = ExchangeApi.Root;

    private static KeyValuePair<string, string> F(string key, string value) => new(key, value);

    private static void ShouldRedirectTo(HttpResponseMessage r, string path)
    {
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().ShouldContain(path);
    }

    [GeneratedRegex("/console/exchange/requests/([0-9a-f-]{36})")]
    private static partial Regex RequestLink();

    [Fact]
    public async Task The_demo_data_fills_the_pages_of_each_side_and_the_navigation_follows_the_roles()
    {
        using var rst = await App.LoginAsync("rst_user");
        var console = await rst.GetStringAsync("/console");
        foreach (var link in new[] { "/catalog", "/requests", "/grants", "/apps", "/usage", "/disputes" }) console.ShouldContain($"href=\"{Pages}{link}\"");
        console.ShouldNotContain($"href=\"{Pages}/review\"");
        console.ShouldNotContain($"href=\"{Pages}/competent\"");

        var requests = await rst.GetStringAsync($"{Pages}/requests?status=all");
        requests.ShouldContain("企业法人库", customMessage: App.ServerLog.ToString());
        requests.ShouldContain("已批准");
        requests.ShouldContain("待合规审查");
        requests.ShouldContain("已拒绝");
        var grants = await rst.GetStringAsync($"{Pages}/grants");
        grants.ShouldContain("企业法人库");
        grants.ShouldContain("有效");
        (await rst.GetStringAsync($"{Pages}/apps")).ShouldContain(ExchangeDemoSeeder.AppName);
        (await rst.GetStringAsync($"{Pages}/disputes")).ShouldContain("企业法人库");
        var usage = await rst.GetStringAsync($"{Pages}/usage");
        usage.ShouldContain("id=\"usage-grants\"");
        usage.ShouldContain("企业法人库");

        using var scjg = await App.LoginAsync("scjg_admin");
        var scjgConsole = await scjg.GetStringAsync("/console");
        scjgConsole.ShouldContain($"href=\"{Pages}/review\"");
        scjgConsole.ShouldContain($"href=\"{Pages}/issued\"");
        var review = await scjg.GetStringAsync($"{Pages}/review");
        review.ShouldContain("待提供方审批");
        review.ShouldContain("剩余");
        review.ShouldContain("人力资源和社会保障厅");
        (await scjg.GetStringAsync($"{Pages}/issued")).ShouldContain("企业法人库");
        (await scjg.GetStringAsync($"{Pages}/disputes?as=provider")).ShouldContain("待核实");

        using var reviewer = await App.LoginAsync("reviewer");
        (await reviewer.GetStringAsync("/console")).ShouldContain($"href=\"{Pages}/competent\"");
        var queue = await reviewer.GetStringAsync($"{Pages}/competent");
        queue.ShouldContain("待合规审查");
        var overview = await reviewer.GetStringAsync($"{Pages}/overview");
        overview.ShouldContain("id=\"by-status\"");
        overview.ShouldContain("待合规审查");
    }

    [Fact]
    public async Task Pages_of_another_role_send_to_the_access_denied_page()
    {
        using var rst = await App.LoginAsync("rst_user");
        foreach (var url in new[] { "/review", "/issued", "/competent", "/overview", "/calendar" })
            ShouldRedirectTo(await rst.GetAsync(Pages + url), "/account/denied");
        using var reviewer = await App.LoginAsync("reviewer");
        foreach (var url in new[] { "/requests", "/apps", "/usage" })
            ShouldRedirectTo(await reviewer.GetAsync(Pages + url), "/account/denied");
        using var anonymous = App.CreateBrowserClient();
        ShouldRedirectTo(await anonymous.GetAsync($"{Pages}/catalog"), "/account/login");

        // A consumer cannot approve: the form post is refused and the request is unchanged.
        using var scjg = await App.LoginAsync("scjg_admin");
        var pending = (await scjg.ItemsAsync($"{Api}/requests/to-decide"))[0]!;
        var id = pending.Str("id");
        using var rstAdmin = await App.LoginAsync("rst_admin");
        var response = await rstAdmin.PostFormAsync($"{Pages}/requests/{id}", [F("version", "1")], $"{Pages}/requests/{id}?handler=Approve");
        ShouldRedirectTo(response, "/account/denied");
        (await scjg.JsonAsync($"{Api}/requests/{id}")).Str("status").ShouldBe("pending_provider");
        // Another department's request is not found.
        using var wjw = await App.LoginAsync("wjw_cataloger");
        (await wjw.GetAsync($"{Pages}/requests/{id}")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_share_catalog_filters_and_shows_not_shared_resources_without_a_request_button()
    {
        using var rst = await App.LoginAsync("rst_user");
        var html = await rst.GetStringAsync($"{Pages}/catalog?keyword={Uri.EscapeDataString("企业法人库")}");
        html.ShouldContain("企业法人库");
        html.ShouldContain("/console/exchange/catalog/request?code=");
        var notShared = await rst.GetStringAsync($"{Pages}/catalog?shareType={Uri.EscapeDataString("不予共享")}");
        notShared.ShouldContain("门诊就诊记录");
        notShared.ShouldContain("不予共享（依据");
        notShared.ShouldNotContain("/console/exchange/catalog/request?code=");
        (await rst.GetStringAsync($"{Pages}/catalog?shareType=bad")).ShouldContain("以下筛选条件无效");

        // The detail of a 不予共享 resource has no form, and posting one anyway is refused with the reason.
        var code = (await rst.CatalogEntryAsync("门诊就诊记录")).Str("code");
        var url = $"{Pages}/catalog/request?code={Uri.EscapeDataString(code)}";
        var page = await rst.GetStringAsync(url);
        page.ShouldContain("id=\"not-requestable\"");
        page.ShouldNotContain("id=\"request-form\"");
        var before = await rst.TotalAsync($"{Api}/requests?status=all");
        var refused = await rst.PostFormAsync(url, [F("code", code), F("purpose", "用途"), F("legalBasis", "依据"), F("businessCase", "事项"),
            F("items", "xm"), F("accessModes", "api"), F("durationDays", "30")]);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await refused.Content.ReadAsStringAsync();
        body.ShouldContain("id=\"form-errors\"");
        body.ShouldContain("不能申请：不予共享");
        (await rst.TotalAsync($"{Api}/requests?status=all")).ShouldBe(before);
    }

    [Fact]
    public async Task A_request_is_submitted_through_the_form_and_bad_input_names_the_fields()
    {
        using var rst = await App.LoginAsync("rst_user");
        var (name, code, items) = await ExchangeApi.ConditionalScjgAsync(rst);
        var url = $"{Pages}/catalog/request?code={Uri.EscapeDataString(code)}";
        (await rst.GetStringAsync(url)).ShouldContain("id=\"request-form\"");
        var before = await rst.TotalAsync($"{Api}/requests?status=all");

        var bad = await rst.PostFormAsync(url, [F("code", code), F("purpose", ""), F("legalBasis", "依据"), F("businessCase", "事项"),
            F("accessModes", "api"), F("durationDays", "abc")]);
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await bad.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"durationDays-error\"");
        html.ShouldContain("申请期限（天）应为");
        bad = await rst.PostFormAsync(url, [F("code", code), F("purpose", ""), F("legalBasis", "依据"), F("businessCase", "事项"),
            F("accessModes", "api"), F("durationDays", "30"), F("scopeField", items[0]), F("scopeOp", "like"), F("scopeValues", "x")]);
        html = await bad.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"purpose-error\"");
        html.ShouldContain("id=\"items-error\"");
        html.ShouldContain("id=\"rowScope-error\"");
        (await rst.TotalAsync($"{Api}/requests?status=all")).ShouldBe(before);

        var ok = await rst.PostFormAsync(url, [F("code", code), F("purpose", "工伤认定时核对用人单位"), F("legalBasis", "《工伤保险条例》"),
            F("businessCase", "工伤认定"), F("items", items[0]), F("items", items[1]), F("accessModes", "api"), F("accessModes", "verify"),
            F("durationDays", "90"), F("scopeField", items[0]), F("scopeOp", "prefix"), F("scopeValues", "9137")]);
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var detailUrl = ok.Headers.Location!.ToString();
        RequestLink().IsMatch(detailUrl).ShouldBeTrue(detailUrl);
        var detail = await rst.GetStringAsync(detailUrl);
        detail.ShouldContain("已提交对“" + name + "”的共享申请");
        detail.ShouldContain("待合规审查");
        detail.ShouldContain("合规审查剩余");
        detail.ShouldContain("id=\"withdraw-form\"");
        detail.ShouldContain("以…开头 9137");
        (await rst.TotalAsync($"{Api}/requests?status=all")).ShouldBe(before + 1);

        // Withdraw through the page.
        var id = RequestLink().Match(detailUrl).Groups[1].Value;
        var withdrawn = await rst.PostFormAsync(detailUrl, [F("version", "2"), F("reason", "改用其他渠道")], $"{detailUrl}?handler=Withdraw");
        ShouldRedirectTo(withdrawn, $"/console/exchange/requests/{id}");
        (await rst.JsonAsync($"{Api}/requests/{id}")).Str("status").ShouldBe("withdrawn");
    }

    [Fact]
    public async Task The_provider_refuses_only_with_a_reason_and_approves_with_grant_terms()
    {
        using var scjg = await App.LoginAsync("scjg_admin");
        using var rst = await App.LoginAsync("rst_user");
        var (_, _, items) = await ExchangeApi.ConditionalScjgAsync(rst);
        var first = await ExchangeApi.PendingProviderRequestAsync(App, (await ExchangeApi.ConditionalScjgAsync(rst)).Name, items[..2]);
        var url = $"{Pages}/requests/{first}";
        var page = await scjg.GetStringAsync(url);
        page.ShouldContain("id=\"approve-form\"");
        page.ShouldContain("id=\"refuse-form\"");
        page.ShouldContain("提供方审批剩余");

        var noReason = await scjg.PostFormAsync(url, [F("reason", " ")], $"{url}?handler=Refuse");
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await noReason.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"reason-error\"");
        html.ShouldContain("理由");
        (await scjg.JsonAsync($"{Api}/requests/{first}")).Str("status").ShouldBe("pending_provider");

        var badTerms = await scjg.PostFormAsync(url, [F("items", items[0]), F("dailyQuota", "很多"), F("expiresOn", "2020-01-01")], $"{url}?handler=Approve");
        html = await badTerms.Content.ReadAsStringAsync();
        html.ShouldContain("每日限额应为");
        (await scjg.JsonAsync($"{Api}/requests/{first}")).Str("status").ShouldBe("pending_provider");
        badTerms = await scjg.PostFormAsync(url, [F("items", items[0]), F("expiresOn", "2020-01-01")], $"{url}?handler=Approve");
        (await badTerms.Content.ReadAsStringAsync()).ShouldContain("id=\"expiresOn-error\"");
        (await scjg.JsonAsync($"{Api}/requests/{first}")).Str("status").ShouldBe("pending_provider");

        var approved = await scjg.PostFormAsync(url, [F("items", items[0]), F("dailyQuota", "500"), F("quotaUnit", "calls"),
            F("rateLimitPerMinute", "20"), F("note", "同意")], $"{url}?handler=Approve");
        ShouldRedirectTo(approved, url);
        var detail = await scjg.GetStringAsync(url);
        detail.ShouldContain("已批准，授权已生效");
        var request = await scjg.JsonAsync($"{Api}/requests/{first}");
        request.Str("status").ShouldBe("approved");
        var grantId = request.Str("grantId");
        var grant = await scjg.GetStringAsync($"{Pages}/grants/{grantId}");
        grant.ShouldContain($"<dd class=\"mono\" id=\"grant-items\">{items[0]}</dd>");
        grant.ShouldContain("500 次/日");
        grant.ShouldContain("每分钟 20 次");

        // Refusal with a reason keeps the reason.
        var second = await ExchangeApi.PendingProviderRequestAsync(App, (await ExchangeApi.ConditionalScjgAsync(rst)).Name, items[..1]);
        var refused = await scjg.PostFormAsync($"{Pages}/requests/{second}", [F("reason", "与所述事项无关")], $"{Pages}/requests/{second}?handler=Refuse");
        ShouldRedirectTo(refused, $"{Pages}/requests/{second}");
        var refusedPage = await rst.GetStringAsync($"{Pages}/requests/{second}");
        refusedPage.ShouldContain("与所述事项无关");
        refusedPage.ShouldContain("id=\"escalate-form\"");

        // The consumer disputes the refusal (reason required), the competent department coordinates (note required).
        var secondUrl = $"{Pages}/requests/{second}";
        var noEscalateReason = await rst.PostFormAsync(secondUrl, [F("reason", "")], $"{secondUrl}?handler=Escalate");
        (await noEscalateReason.Content.ReadAsStringAsync()).ShouldContain("id=\"form-errors\"");
        (await rst.JsonAsync($"{Api}/requests/{second}"))["escalated"]!.GetValue<bool>().ShouldBeFalse();
        ShouldRedirectTo(await rst.PostFormAsync(secondUrl, [F("reason", "所申请信息项与工伤认定直接相关")], $"{secondUrl}?handler=Escalate"), secondUrl);
        using var reviewer = await App.LoginAsync("reviewer");
        (await reviewer.GetStringAsync($"{Pages}/competent")).ShouldContain(second);
        var coordinatePage = await reviewer.GetStringAsync(secondUrl);
        coordinatePage.ShouldContain("id=\"coordinate-form\"");
        var noNote = await reviewer.PostFormAsync(secondUrl, [F("note", "")], $"{secondUrl}?handler=Coordinate");
        (await noNote.Content.ReadAsStringAsync()).ShouldContain("id=\"form-errors\"");
        ShouldRedirectTo(await reviewer.PostFormAsync(secondUrl, [F("note", "已与提供部门沟通，请用数部门缩小信息项后重新申请")], $"{secondUrl}?handler=Coordinate"),
            secondUrl);
        (await rst.GetStringAsync(secondUrl)).ShouldContain("已与提供部门沟通");

        // The grant: the consumer asks for a renewal (bad days first), the provider revokes (reason required).
        var grantUrl = $"{Pages}/grants/{grantId}";
        var badRenewal = await rst.PostFormAsync(grantUrl, [F("durationDays", "-5"), F("reason", "继续使用")], $"{grantUrl}?handler=Renew");
        (await badRenewal.Content.ReadAsStringAsync()).ShouldContain("续期天数应为");
        var renewal = await rst.PostFormAsync(grantUrl, [F("durationDays", "30"), F("reason", "事项延续")], $"{grantUrl}?handler=Renew");
        renewal.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        RequestLink().IsMatch(renewal.Headers.Location!.ToString()).ShouldBeTrue();
        (await rst.GetStringAsync(grantUrl)).ShouldContain("id=\"pending-renewal\"");

        var noRevokeReason = await scjg.PostFormAsync(grantUrl, [F("reason", "")], $"{grantUrl}?handler=Revoke");
        (await noRevokeReason.Content.ReadAsStringAsync()).ShouldContain("id=\"form-errors\"");
        (await scjg.JsonAsync($"{Api}/grants/{grantId}")).Str("status").ShouldBe("active");
        ShouldRedirectTo(await scjg.PostFormAsync(grantUrl, [F("reason", "事项已办结")], $"{grantUrl}?handler=Revoke"), grantUrl);
        var revoked = await rst.GetStringAsync(grantUrl);
        revoked.ShouldContain("已撤销");
        revoked.ShouldContain("事项已办结");
    }

    [Fact]
    public async Task The_competent_department_checks_compliance_coordinates_and_keeps_the_calendar()
    {
        using var rst = await App.LoginAsync("rst_user");
        var (_, code, items) = await ExchangeApi.ConditionalScjgAsync(rst);
        using var reviewer = await App.LoginAsync("reviewer");
        // A new request waiting for the compliance check.
        var form = $"{Pages}/catalog/request?code={Uri.EscapeDataString(code)}";
        var created = await rst.PostFormAsync(form, [F("code", code), F("purpose", "用途"), F("legalBasis", "依据"), F("businessCase", "事项"),
            F("items", items[0]), F("accessModes", "api"), F("durationDays", "30")]);
        var url = created.Headers.Location!.ToString();
        var id = RequestLink().Match(url).Groups[1].Value;
        (await reviewer.GetStringAsync($"{Pages}/competent")).ShouldContain(id);
        var page = await reviewer.GetStringAsync(url);
        page.ShouldContain("id=\"pass-form\"");
        page.ShouldContain("id=\"fail-form\"");
        page.ShouldNotContain("id=\"approve-form\"");

        var noReason = await reviewer.PostFormAsync(url, [F("reason", "")], $"{url}?handler=Fail");
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("id=\"reason-error\"");
        (await reviewer.JsonAsync($"{Api}/requests/{id}")).Str("status").ShouldBe("pending_compliance");
        ShouldRedirectTo(await reviewer.PostFormAsync(url, [F("note", "依据充分")], $"{url}?handler=Pass"), url);
        (await reviewer.JsonAsync($"{Api}/requests/{id}")).Str("status").ShouldBe("pending_provider");

        // The calendar: the reviewer reads it, the platform administrator edits it.
        var calendar = await reviewer.GetStringAsync($"{Pages}/calendar?year=2031");
        calendar.ShouldContain("id=\"working-days\"");
        calendar.ShouldNotContain("id=\"add-day-form\"");
        using var admin = await App.LoginAsync("admin");
        var calUrl = $"{Pages}/calendar?year=2031";
        var badDay = await admin.PostFormAsync(calUrl, [F("day", "2031-10-01"), F("kind", "workday"), F("name", "国庆")], $"{Pages}/calendar?handler=Add");
        (await badDay.Content.ReadAsStringAsync()).ShouldContain("本来就是工作日");
        var before = await admin.GetStringAsync(calUrl);
        before.ShouldContain("2031 年共 <strong id=\"working-days\">");
        ShouldRedirectTo(await admin.PostFormAsync(calUrl, [F("day", "2031-10-01"), F("kind", "holiday"), F("name", "国庆节")], $"{Pages}/calendar?handler=Add"),
            "/console/exchange/calendar?year=2031");
        var after = await admin.GetStringAsync(calUrl);
        after.ShouldContain("国庆节");
        WorkingDays(after).ShouldBe(WorkingDays(before) - 1);
        ShouldRedirectTo(await admin.PostFormAsync(calUrl, [], $"{Pages}/calendar?handler=Remove&day=2031-10-01"), "/console/exchange/calendar");
        WorkingDays(await admin.GetStringAsync(calUrl)).ShouldBe(WorkingDays(before));
        // The reviewer cannot post to the calendar.
        ShouldRedirectTo(await reviewer.PostFormAsync($"{Pages}/calendar", [F("day", "2031-10-02"), F("kind", "holiday"), F("name", "x")], $"{Pages}/calendar?handler=Add"),
            "/account/denied");
    }

    private static int WorkingDays(string html) => int.Parse(Regex.Match(html, "id=\"working-days\">(\\d+)<").Groups[1].Value);

    [Fact]
    public async Task Applications_are_registered_with_the_secret_shown_once_rotated_and_revoked_only_with_a_reason()
    {
        using var rst = await App.LoginAsync("rst_user");
        var url = $"{Pages}/apps";
        var empty = await rst.PostFormAsync(url, [F("name", " ")], $"{url}?handler=Create");
        (await empty.Content.ReadAsStringAsync()).ShouldContain("应用名称不能为空");
        var created = await rst.PostFormAsync(url, [F("name", "就业补贴审核系统"), F("description", "页面测试")], $"{url}?handler=Create");
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        created.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var html = await created.Content.ReadAsStringAsync();
        var secret = Regex.Match(html, "<code id=\"secret\">(gds_[^<]+)</code>").Groups[1].Value;
        secret.ShouldNotBeEmpty();
        var list = await rst.GetStringAsync(url);
        list.ShouldContain("就业补贴审核系统");
        list.ShouldNotContain(secret);
        list.ShouldContain("…" + secret[^4..]);

        var apps = await rst.JsonAsync($"{Api}/apps");
        var id = apps.AsArray().First(a => a.Str("name") == "就业补贴审核系统")!.Str("id");
        var rotated = await rst.PostFormAsync(url, [], $"{url}?handler=Rotate&id={id}");
        var newSecret = Regex.Match(await rotated.Content.ReadAsStringAsync(), "<code id=\"secret\">(gds_[^<]+)</code>").Groups[1].Value;
        newSecret.ShouldNotBeEmpty();
        newSecret.ShouldNotBe(secret);

        var noReason = await rst.PostFormAsync(url, [F("reason", "")], $"{url}?handler=Revoke&id={id}");
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("吊销应用必须说明原因");
        (await rst.JsonAsync($"{Api}/apps/{id}")).Str("status").ShouldBe("active");
        ShouldRedirectTo(await rst.PostFormAsync(url, [F("reason", "系统下线")], $"{url}?handler=Revoke&id={id}"), url);
        (await rst.JsonAsync($"{Api}/apps/{id}")).Str("status").ShouldBe("revoked");
        (await rst.GetStringAsync(url)).ShouldContain("系统下线");
    }

    [Fact]
    public async Task The_provider_answers_a_dispute_with_a_reason_or_a_corrected_version()
    {
        using var scjg = await App.LoginAsync("scjg_admin");
        var dispute = (await scjg.ItemsAsync($"{Api}/disputes?as=provider&status=open"))[0]!;
        var id = dispute.Str("id");
        var url = $"{Pages}/disputes/{id}";
        var page = await scjg.GetStringAsync(url);
        page.ShouldContain("id=\"correct-form\"");
        page.ShouldContain("id=\"reject-form\"");
        var noReason = await scjg.PostFormAsync(url, [F("reason", "")], $"{url}?handler=Reject");
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("id=\"reason-error\"");
        var badVersion = await scjg.PostFormAsync(url, [F("note", "已更正"), F("correctedVersion", "第二版")], $"{url}?handler=Correct");
        (await badVersion.Content.ReadAsStringAsync()).ShouldContain("更正后的数据版本应为");
        (await scjg.JsonAsync($"{Api}/disputes/{id}")).Str("status").ShouldBe("open");
        ShouldRedirectTo(await scjg.PostFormAsync(url, [F("note", "已按营业执照更正法人名称"), F("correctedVersion", "2")], $"{url}?handler=Correct"), url);
        using var rst = await App.LoginAsync("rst_user");
        var seen = await rst.GetStringAsync(url);
        seen.ShouldContain("已更正");
        seen.ShouldContain("已按营业执照更正法人名称");
    }
}
