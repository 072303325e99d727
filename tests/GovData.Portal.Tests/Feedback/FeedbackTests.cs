using System.Net;
using System.Text.RegularExpressions;
using GovData.Portal.Tests.Infrastructure;
using GovData.Tests.Common.Web;

namespace GovData.Portal.Tests.Feedback;

/// <summary>
/// Public accounts (Identity) and the portal's feedback loops over the real host, on SQLite and PostgreSQL: register →
/// verification link from the outbox → verify → sign in → comment; the refusals (unverified, duplicate, weak password,
/// bad and expired tokens, sensitive words, hourly limits) with their Chinese messages and nothing stored; XSS inert in
/// the served HTML; 纠错 and 数据需求 answered by the providing department and shown publicly; moderation.
/// </summary>
public abstract partial class FeedbackTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private static async Task<string> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 4000 ? text[..4000] : text);
        return text;
    }

    private static string Page(FiledEntry entry) => "/portal/datasets/" + entry.Package;

    private static string Post(FiledEntry entry, string handler) => $"/portal/datasets/{entry.Package}/feedback?handler={handler}";

    private static Task<HttpResponseMessage> CommentAsync(HttpClient client, FiledEntry entry, string body) =>
        client.PostFormAsync(Page(entry), [new("body", body)], Post(entry, "comment"));

    private Task<FiledEntry> PublishAsync(string name) => PortalTestKit.PublishAsync(App, PortalTestKit.Resource(name));

    private Task<long> CommentsOnAsync(string body) =>
        Accounts.CountAsync(App, "SELECT COUNT(*) FROM portal_comments WHERE body = @b", new { b = body });

    [Fact]
    public async Task Register_verify_by_the_mailed_link_sign_in_and_comment()
    {
        var entry = await PublishAsync("反馈测试：注册评论");
        var email = Accounts.NewEmail("Reg");
        var anonymous = App.CreateBrowserClient();
        var done = await Body(await Accounts.RegisterAsync(anonymous, email, developer: true), HttpStatusCode.OK);
        done.ShouldContain("注册成功");
        done.ShouldContain(email.ToLowerInvariant());

        // The account has the public and developer roles, is unverified, and the mail is in the outbox.
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users u JOIN identity_user_roles r ON r.user_id = u.id WHERE u.user_name = @e AND r.role IN ('public','developer')",
            new { e = email.ToLowerInvariant() })).ShouldBe(2);
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users WHERE user_name = @e AND email_verified_at IS NULL", new { e = email.ToLowerInvariant() })).ShouldBe(1);
        var token = await Accounts.TokenFromOutboxAsync(App, email);
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_email_tokens WHERE token_hash = @t", new { t = token })).ShouldBe(0, "only the hash of the token is stored");

        // GET shows a confirmation button and changes nothing (mail scanners prefetch links); POST verifies.
        (await Body(await anonymous.GetAsync("/account/verify?token=" + token), HttpStatusCode.OK)).ShouldContain("确认验证");
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users WHERE user_name = @e AND email_verified_at IS NULL", new { e = email.ToLowerInvariant() })).ShouldBe(1);
        (await Body(await Accounts.VerifyAsync(anonymous, token), HttpStatusCode.OK)).ShouldContain("邮箱验证成功");
        (await Body(await anonymous.GetAsync("/account/verify?token=" + token), HttpStatusCode.OK)).ShouldContain("已经使用过");

        // Sign in through the existing login (e-mail as user name): a public account lands in the user centre.
        var client = App.CreateBrowserClient();
        var login = await client.PostLoginAsync(email.ToUpperInvariant(), Accounts.Password);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        login.Headers.Location!.OriginalString.ShouldBe("/portal/me");
        var me = await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK);
        me.ShouldContain("热心市民");
        me.ShouldContain("id=\"me-verified\"");

        var comment = "数据很有用，希望增加按区县的统计。";
        var posted = await CommentAsync(client, entry, comment);
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        posted.Headers.Location!.OriginalString.ShouldBe(Page(entry) + "#comments");
        var page = await Body(await client.GetAsync(Page(entry)), HttpStatusCode.OK);
        page.ShouldContain("评论已发表");
        page.ShouldContain(comment);
        page.ShouldContain("评论（1）");
        (await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK)).ShouldContain(comment);
        // Anyone sees it, without signing in.
        (await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK)).ShouldContain(comment);
    }

    [Fact]
    public async Task Registration_errors_are_chinese_name_the_field_and_store_nothing()
    {
        var client = App.CreateBrowserClient();
        var first = Accounts.NewEmail("dup");
        (await Accounts.RegisterAsync(client, first)).StatusCode.ShouldBe(HttpStatusCode.OK);

        async Task Refused(string email, string password, string? confirm, string message, string field, string displayName = "热心市民")
        {
            var users = await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users");
            var mails = await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_email_outbox");
            var html = await Body(await Accounts.RegisterAsync(client, email, password, confirm, displayName), HttpStatusCode.BadRequest);
            html.ShouldContain(message);
            html.ShouldContain($"id=\"{field}-error\"");
            html.ShouldContain($"aria-invalid=\"true\" aria-describedby=\"{field}-error\"");
            (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users")).ShouldBe(users);
            (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_email_outbox")).ShouldBe(mails);
        }

        await Refused(first.ToUpperInvariant(), Accounts.Password, null, "该电子邮箱已注册", "email");
        await Refused(Accounts.NewEmail(), "password", null, "密码需包含大写字母、小写字母、数字、符号中的至少三类", "password");
        await Refused(Accounts.NewEmail(), "Ab1!", null, "密码至少需要8位", "password");
        await Refused(Accounts.NewEmail(), Accounts.Password, "Other#2026x", "两次输入的密码不一致", "confirmPassword");
        await Refused("not-an-email", Accounts.Password, null, "电子邮箱格式不正确", "email");
        await Refused(Accounts.NewEmail(), Accounts.Password, null, "昵称长度须为2至20个字符", "displayName", displayName: "张");
        await Refused(Accounts.NewEmail(), Accounts.Password, null, "昵称不能包含", "displayName", displayName: "<b>坏人</b>");
    }

    [Fact]
    public async Task Bad_and_expired_tokens_are_refused_and_resend_voids_the_old_link()
    {
        var email = Accounts.NewEmail("tok");
        var client = App.CreateBrowserClient();
        (await Accounts.RegisterAsync(client, email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var first = await Accounts.TokenFromOutboxAsync(App, email);

        // Unknown token: 400 and a clear message, on GET and on POST (antiforgery token from another page).
        (await Body(await client.GetAsync("/account/verify?token=abcdef"), HttpStatusCode.BadRequest)).ShouldContain("验证链接无效");
        (await Body(await client.PostFormAsync("/account/register", [new("token", "abcdef")], "/account/verify"), HttpStatusCode.BadRequest)).ShouldContain("验证链接无效");

        // Expired: 400, the account stays unverified.
        await Accounts.ExecuteAsync(App, "UPDATE identity_email_tokens SET expires_at = @t WHERE user_id = (SELECT id FROM identity_users WHERE user_name = @e)",
            new { t = DateTime.UtcNow.AddMinutes(-1), e = email });
        (await Body(await client.GetAsync("/account/verify?token=" + first), HttpStatusCode.BadRequest)).ShouldContain("验证链接已过期");
        (await Body(await client.PostFormAsync("/account/register", [new("token", first)], "/account/verify"), HttpStatusCode.BadRequest)).ShouldContain("验证链接已过期");
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users WHERE user_name = @e AND email_verified_at IS NULL", new { e = email })).ShouldBe(1);

        // Resend: a new link works; the answer does not tell whether an address exists.
        var unknown = await Body(await client.PostFormAsync(AccountPathsResend, [new("email", Accounts.NewEmail("nobody"))]), HttpStatusCode.OK);
        unknown.ShouldContain("如果该邮箱已注册且尚未验证");
        (await Body(await client.PostFormAsync(AccountPathsResend, [new("email", email)]), HttpStatusCode.OK)).ShouldContain("如果该邮箱已注册且尚未验证");
        var second = await Accounts.TokenFromOutboxAsync(App, email);
        second.ShouldNotBe(first);
        (await Body(await Accounts.VerifyAsync(client, second), HttpStatusCode.OK)).ShouldContain("邮箱验证成功");
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users WHERE user_name = @e AND email_verified_at IS NOT NULL", new { e = email })).ShouldBe(1);
    }

    private const string AccountPathsResend = "/account/verify/resend";

    [Fact]
    public async Task Unverified_and_anonymous_callers_cannot_post()
    {
        var entry = await PublishAsync("反馈测试：未验证");
        var email = Accounts.NewEmail("unv");
        (await Accounts.RegisterAsync(App.CreateBrowserClient(), email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var client = await App.LoginAsync(email, Accounts.Password);
        var page = await Body(await client.GetAsync(Page(entry)), HttpStatusCode.OK);
        page.ShouldContain("id=\"feedback-unverified\"");
        page.ShouldNotContain("id=\"comment-body\"");
        (await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK)).ShouldContain("id=\"me-unverified\"");

        var body = "未验证账号的评论" + Guid.NewGuid().ToString("N")[..6];
        (await Body(await CommentAsync(client, entry, body), HttpStatusCode.Forbidden)).ShouldContain("您的电子邮箱尚未验证");
        (await Body(await client.PostFormAsync(Page(entry), [new("description", "数据有误，请核实后更正。")], Post(entry, "correction")), HttpStatusCode.Forbidden))
            .ShouldContain("您的电子邮箱尚未验证");
        (await Body(await client.PostFormAsync(Page(entry), [new("score", "5")], Post(entry, "rate")), HttpStatusCode.Forbidden)).ShouldContain("您的电子邮箱尚未验证");
        (await CommentsOnAsync(body)).ShouldBe(0);
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM portal_corrections WHERE description = '数据有误，请核实后更正。'")).ShouldBe(0);

        // Anonymous: 401 with a sign-in link (antiforgery token of an anonymous page).
        var anonymous = App.CreateBrowserClient();
        var refused = await Body(await anonymous.PostFormAsync("/account/login", [new("body", body)], Post(entry, "comment")), HttpStatusCode.Unauthorized);
        refused.ShouldContain("请先登录后再提交");
        (await CommentsOnAsync(body)).ShouldBe(0);
    }

    [Fact]
    public async Task Script_in_a_comment_is_served_inert()
    {
        var entry = await PublishAsync("反馈测试：XSS");
        var (client, _) = await Accounts.VerifiedUserAsync(App, "测试用户");
        var attack = "<script>alert('xss')</script><img src=x onerror=alert(1)> \"onmouseover=\"alert(2) <a href=\"javascript:alert(3)\">点我</a>";
        (await CommentAsync(client, entry, attack)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        foreach (var html in new[]
                 {
                     await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK),
                     await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK),
                     await Body(await (await App.LoginAsync("admin")).GetAsync("/console/portal/moderation"), HttpStatusCode.OK),
                 })
        {
            html.ShouldNotContain("<script>alert");
            html.ShouldNotContain("<img src=x");
            html.ShouldNotContain("<a href=\"javascript:");
            html.ShouldContain("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
        }
    }

    [Fact]
    public async Task Sensitive_words_from_configuration_and_from_the_admin_list_are_refused()
    {
        var entry = await PublishAsync("反馈测试：敏感词");
        var (client, _) = await Accounts.VerifiedUserAsync(App);
        var configured = "这里有违 禁 测 试 词，应被拒绝";
        var refused = await Body(await CommentAsync(client, entry, configured), HttpStatusCode.UnprocessableEntity);
        refused.ShouldContain($"内容含有不宜发布的词语“{FeedbackSettings.ConfiguredWord}”");
        refused.ShouldContain(">这里有违 禁 测 试 词，应被拒绝</textarea>");  // the text is kept in the form
        (await CommentsOnAsync(configured)).ShouldBe(0);

        // The platform administrator adds a word; full-width letters still match it.
        var admin = await App.LoginAsync("admin");
        var word = "ＢＡＤ词" + Random.Shared.Next(1000, 9999);
        (await admin.PostFormAsync("/console/portal/moderation", [new("word", word)], "/console/portal/moderation?handler=AddWord")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await admin.GetAsync("/console/portal/moderation"), HttpStatusCode.OK)).ShouldContain(word);
        var text = "内容包含 bad词" + word[^4..] + " 的评论";
        (await Body(await CommentAsync(client, entry, text), HttpStatusCode.UnprocessableEntity)).ShouldContain("内容含有不宜发布的词语");
        (await CommentsOnAsync(text)).ShouldBe(0);
        // 纠错 passes the same filter.
        (await Body(await client.PostFormAsync(Page(entry), [new("description", "记录中出现了" + FeedbackSettings.ConfiguredWord)], Post(entry, "correction")),
            HttpStatusCode.UnprocessableEntity)).ShouldContain("内容含有不宜发布的词语");
        // A staff account (not platform_admin) cannot open the moderation page.
        (await (await App.LoginAsync("scjg_admin")).GetAsync("/console/portal/moderation")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Posting_is_limited_per_account_and_hour()
    {
        var entry = await PublishAsync("反馈测试：频率");
        var (client, _) = await Accounts.VerifiedUserAsync(App);
        for (var i = 1; i <= FeedbackSettings.PostsPerHour; i++)
            (await CommentAsync(client, entry, $"第{i}条评论，频率测试")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var refused = await Body(await CommentAsync(client, entry, "超出限制的评论"), HttpStatusCode.TooManyRequests);
        refused.ShouldContain($"每个账号每小时最多提交 {FeedbackSettings.PostsPerHour} 条");
        (await CommentsOnAsync("超出限制的评论")).ShouldBe(0);
        // The limit counts in the database: another account is not affected.
        var (other, _) = await Accounts.VerifiedUserAsync(App);
        (await CommentAsync(other, entry, "另一个账号的评论")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Registration_attempts_are_limited_per_address_in_the_database()
    {
        var client = App.CreateBrowserClient();
        try
        {
            var recent = await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_registration_attempts WHERE kind = 'register'");
            var allowed = FeedbackSettings.RegistrationsPerHour - (int)recent;
            allowed.ShouldBeGreaterThan(0);
            for (var i = 0; i < allowed; i++)
                (await Accounts.RegisterAsync(client, Accounts.NewEmail("rl"), "weak")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var email = Accounts.NewEmail("rl");
            var refused = await Body(await Accounts.RegisterAsync(client, email), (HttpStatusCode)429);
            refused.ShouldContain("注册尝试过于频繁");
            (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM identity_users WHERE user_name = @e", new { e = email })).ShouldBe(0);
        }
        finally
        {
            // Other tests of this host register accounts too.
            await Accounts.ExecuteAsync(App, "DELETE FROM identity_registration_attempts");
        }
        (await Accounts.RegisterAsync(client, Accounts.NewEmail("rl"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [GeneratedRegex("href=\"/console/portal/feedback/corrections/([0-9a-f-]{36})\"")]
    private static partial Regex CorrectionLink();

    [Fact]
    public async Task Correction_goes_to_the_providing_department_which_answers_publicly()
    {
        var entry = await PublishAsync("反馈测试：纠错答复");   // filed by 省市场监管局
        var (client, email) = await Accounts.VerifiedUserAsync(App, "纠错人");
        var description = "第3行的法人名称与营业执照不一致，应为“某某有限公司”。";
        var posted = await client.PostFormAsync(Page(entry),
            [new("fieldName", "法人名称"), new("recordRef", "91370000MA3C0001X1"), new("description", description)], Post(entry, "correction"));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var page = await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK);
        page.ShouldContain(description);
        page.ShouldContain("待处理");
        page.ShouldContain("数据项：法人名称");

        // A field that is not a data item of the dataset is refused.
        (await Body(await client.PostFormAsync(Page(entry), [new("fieldName", "不存在的字段"), new("description", "字段不存在的纠错")], Post(entry, "correction")),
            HttpStatusCode.BadRequest)).ShouldContain("数据项“不存在的字段”不在本数据集的数据项中");

        // The department's queue: 10-day limit; overdue once past it.
        var provider = await App.LoginAsync("scjg_admin");
        var queue = await Body(await provider.GetAsync("/console/portal/feedback"), HttpStatusCode.OK);
        queue.ShouldContain(entry.Name);
        var id = CorrectionLink().Match(queue, queue.IndexOf(entry.Name, StringComparison.Ordinal)).Groups[1].Value;
        id.ShouldNotBeNullOrEmpty();
        await Accounts.ExecuteAsync(App, "UPDATE portal_corrections SET due_at = @t WHERE description = @d", new { t = DateTime.UtcNow.AddDays(-1), d = description });
        (await Body(await provider.GetAsync("/console/portal/feedback"), HttpStatusCode.OK)).ShouldContain("逾期</span>");
        (await Body(await provider.GetAsync("/console"), HttpStatusCode.OK)).ShouldContain("逾期未答复");

        // Another department's administrator sees nothing of it and cannot answer: 403.
        var other = await App.LoginAsync("rst_admin");
        (await Body(await other.GetAsync("/console/portal/feedback"), HttpStatusCode.OK)).ShouldNotContain(entry.Name);
        (await other.GetAsync($"/console/portal/feedback/corrections/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var denied = await other.PostFormAsync("/console/portal/feedback", [new("status", "Accepted"), new("answer", "越权答复")], $"/console/portal/feedback/corrections/{id}");
        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Accounts.CountAsync(App, "SELECT COUNT(*) FROM portal_corrections WHERE answer IS NOT NULL AND description = @d", new { d = description })).ShouldBe(0);
        // The platform administrator may look but not answer.
        var adminView = await Body(await (await App.LoginAsync("admin")).GetAsync($"/console/portal/feedback/corrections/{id}"), HttpStatusCode.OK);
        adminView.ShouldNotContain("id=\"answer-form\"");

        // Missing answer text → Chinese error; then the answer.
        (await Body(await provider.PostFormAsync($"/console/portal/feedback/corrections/{id}", [new("status", "Accepted"), new("answer", " ")]), HttpStatusCode.BadRequest))
            .ShouldContain("请填写答复内容");
        var answer = "经核实，已按营业执照更正该企业名称，下次更新时生效。";
        var answered = await provider.PostFormAsync($"/console/portal/feedback/corrections/{id}", [new("status", "Accepted"), new("answer", answer)]);
        answered.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answered.Content.ReadAsStringAsync());

        var after = await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK);
        after.ShouldContain(answer);
        after.ShouldContain("已采纳（已更正）");
        after.ShouldContain("部门答复");
        var me = await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK);
        me.ShouldContain(answer);
        me.ShouldContain("已采纳（已更正）");
        email.ShouldNotBeNullOrEmpty();
    }

    [GeneratedRegex("href=\"/console/portal/feedback/demands/([0-9a-f-]{36})\"")]
    private static partial Regex DemandLink();

    [Fact]
    public async Task Data_request_is_answered_publicly_by_the_chosen_department()
    {
        var (client, _) = await Accounts.VerifiedUserAsync(App, "需求人");
        var demandsPage = await Body(await client.GetAsync("/portal/demands"), HttpStatusCode.OK);
        var rst = Regex.Match(demandsPage, "<option value=\"([0-9a-f-]{36})\"[^>]*>([^<]*人力资源[^<]*)</option>");
        rst.Success.ShouldBeTrue("the 人社厅 is offered");
        var title = "开放职业技能培训机构名录" + Random.Shared.Next(1000, 9999);
        // Too short a description is refused with the field named.
        (await Body(await client.PostFormAsync("/portal/demands", [new("departmentId", rst.Groups[1].Value), new("title", title), new("description", "太短")]), HttpStatusCode.BadRequest))
            .ShouldContain("需求描述至少需要10个字");
        var posted = await client.PostFormAsync("/portal/demands",
            [new("departmentId", rst.Groups[1].Value), new("title", title), new("description", "希望开放全省职业技能培训机构的名称、地址、培训工种和联系电话。"), new("purpose", "就业服务小程序")]);
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        (await Body(await App.CreateBrowserClient().GetAsync("/portal/demands"), HttpStatusCode.OK)).ShouldContain(title);

        var provider = await App.LoginAsync("rst_admin");
        var queue = await Body(await provider.GetAsync("/console/portal/feedback?kind=demands&pending=true"), HttpStatusCode.OK);
        queue.ShouldContain(title);
        var id = DemandLink().Match(queue, queue.IndexOf(title, StringComparison.Ordinal)).Groups[1].Value;
        id.ShouldNotBeNullOrEmpty();
        (await (await App.LoginAsync("scjg_admin")).PostFormAsync("/console/portal/feedback", [new("status", "Answered"), new("answer", "x")], $"/console/portal/feedback/demands/{id}"))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var answer = "该名录计划于下季度随职业培训数据集一并开放。";
        (await provider.PostFormAsync($"/console/portal/feedback/demands/{id}", [new("status", "Accepted"), new("answer", answer)])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await Body(await App.CreateBrowserClient().GetAsync("/portal/demands"), HttpStatusCode.OK);
        page.ShouldContain(answer);
        page.ShouldContain("已采纳（计划开放）");
        (await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK)).ShouldContain(answer);

        // Moderation can hide a request from the public list.
        var admin = await App.LoginAsync("admin");
        (await admin.PostFormAsync("/console/portal/moderation", [new("id", id), new("hide", "true"), new("note", "测试隐藏")], "/console/portal/moderation?handler=Demand"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await App.CreateBrowserClient().GetAsync("/portal/demands"), HttpStatusCode.OK)).ShouldNotContain(title);
    }

    [GeneratedRegex("<tr id=\"comment-([0-9a-f]{32})\">")]
    private static partial Regex ModerationRow();

    [Fact]
    public async Task Moderation_hides_and_restores_a_comment()
    {
        var entry = await PublishAsync("反馈测试：审核");
        var (client, _) = await Accounts.VerifiedUserAsync(App);
        var text = "不当评论内容" + Guid.NewGuid().ToString("N")[..8];
        (await CommentAsync(client, entry, text)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var admin = await App.LoginAsync("admin");
        var moderation = await Body(await admin.GetAsync("/console/portal/moderation"), HttpStatusCode.OK);
        var row = moderation.IndexOf(text, StringComparison.Ordinal);
        row.ShouldBeGreaterThan(0);
        var id = ModerationRow().Matches(moderation[..row]).Last().Groups[1].Value;
        (await admin.PostFormAsync("/console/portal/moderation", [new("id", Guid.ParseExact(id, "N").ToString()), new("hide", "true"), new("note", "人身攻击")],
            "/console/portal/moderation?handler=Comment")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK)).ShouldNotContain(text);
        var me = await Body(await client.GetAsync("/portal/me"), HttpStatusCode.OK);
        me.ShouldContain(text);
        me.ShouldContain("已被管理员隐藏");
        (await admin.PostFormAsync("/console/portal/moderation", [new("id", Guid.ParseExact(id, "N").ToString()), new("hide", "false")],
            "/console/portal/moderation?handler=Comment")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK)).ShouldContain(text);
    }

    [Fact]
    public async Task Favourite_toggle_and_one_rating_per_account_with_the_average()
    {
        var entry = await PublishAsync("反馈测试：收藏评分");
        var (a, _) = await Accounts.VerifiedUserAsync(App);
        var (b, _) = await Accounts.VerifiedUserAsync(App);
        (await a.PostFormAsync(Page(entry), [], Post(entry, "favorite"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await Body(await a.GetAsync(Page(entry)), HttpStatusCode.OK);
        page.ShouldContain("收藏 1 次");
        page.ShouldContain("取消收藏");
        (await Body(await a.GetAsync("/portal/me"), HttpStatusCode.OK)).ShouldContain(entry.Name);

        (await a.PostFormAsync(Page(entry), [new("score", "5")], Post(entry, "rate"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await a.PostFormAsync(Page(entry), [new("score", "4")], Post(entry, "rate"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);  // replaces 5
        (await b.PostFormAsync(Page(entry), [new("score", "1")], Post(entry, "rate"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await b.PostFormAsync(Page(entry), [new("score", "9")], Post(entry, "rate")), HttpStatusCode.BadRequest)).ShouldContain("请选择 1 至 5 星的评分");
        (await Body(await App.CreateBrowserClient().GetAsync(Page(entry)), HttpStatusCode.OK)).ShouldContain("平均评分 <strong>2.5</strong> / 5（2 人评分）");

        (await a.PostFormAsync(Page(entry), [], Post(entry, "favorite"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await a.GetAsync(Page(entry)), HttpStatusCode.OK)).ShouldContain("收藏 0 次");
    }
}

public sealed class SqliteFeedbackTests(FeedbackSqliteAppFactory app) : FeedbackTests<FeedbackSqliteAppFactory>(app), IClassFixture<FeedbackSqliteAppFactory>;

public sealed class PostgresFeedbackTests(FeedbackPostgresAppFactory app) : FeedbackTests<FeedbackPostgresAppFactory>(app), IClassFixture<FeedbackPostgresAppFactory>;
