using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Tests.Feedback;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests.OpenApply;

/// <summary>A 有条件开放 dataset of the demo data with loaded rows, a masked field and a demo 部门管理员 of its department.</summary>
public sealed record ConditionalSample(OpenDataset Dataset, string Name, string Admin, string OtherAdmin, string MaskedField, string PlainField);

public static partial class OpenApplyKit
{
    public static readonly string[] DemoAdmins = ["scjg_admin", "rst_admin"];

    /// <summary>Found through the contracts (catalog, data, users), as the open data tests find their samples.</summary>
    public static Task<ConditionalSample> SampleAsync(GovDataAppFactory app) => app.WithScopeAsync(async sp =>
    {
        var catalog = sp.GetRequiredService<IOpenCatalog>();
        var data = sp.GetRequiredService<IGovernedDataAccess>();
        var users = sp.GetRequiredService<IUserDirectory>();
        var admins = new Dictionary<Guid, string>();
        foreach (var u in await users.InRoleAsync(Roles.DepartmentAdmin))
            if (DemoAdmins.Contains(u.UserName) && u.DepartmentId is { } d) admins[d] = u.UserName;
        var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Conditional, Limit = 500 })).Page!.Items;
        foreach (var hit in hits.OrderBy(h => h.Dataset.Code.ToString(), StringComparer.Ordinal))
        {
            if (!admins.TryGetValue(hit.Dataset.DepartmentId, out var admin)) continue;
            var described = await data.DescribeAsync(hit.Dataset.Code, AccessPolicy.Everything(false));
            if (described is null || described.RowCount < 3) continue;
            var masked = described.Fields.FirstOrDefault(f => f.Masked);
            var plain = described.Fields.FirstOrDefault(f => !f.Masked);
            if (masked is null || plain is null || described.Fields.Count < 3) continue;
            return new ConditionalSample(hit.Dataset, hit.Dataset.Code.Prefix + "-" + hit.Dataset.Code.Suffix, admin,
                DemoAdmins.First(a => a != admin), masked.Name, plain.Name);
        }
        throw new InvalidOperationException("The demo data has no 有条件开放 dataset with data and a masked field at scjg/rst");
    });

    /// <summary>An unconditional open dataset (no application needed).</summary>
    public static Task<string> UnconditionalAsync(GovDataAppFactory app) => app.WithScopeAsync(async sp =>
    {
        var hit = (await sp.GetRequiredService<IOpenCatalog>().SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 1 })).Page!.Items[0];
        return hit.Dataset.Code.Prefix + "-" + hit.Dataset.Code.Suffix;
    });

    public static List<KeyValuePair<string, string>> Form(IEnumerable<string> items, string purpose = "开发企业信用查询小程序，为中小企业提供合作方资质核验服务。",
        bool pledge = true, bool agreement = true, string type = "企业", string organization = "示例科技有限公司", string contact = "0531-12345678",
        string scenario = "企业合作方资质核验小程序", string period = "90")
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("applicantType", type), new("organization", organization), new("contact", contact), new("purpose", purpose), new("scenario", scenario),
            new("periodDays", period), new("pledgeVersion", "2026.1"), new("agreementVersion", "2026.1"),
        };
        form.AddRange(items.Select(i => new KeyValuePair<string, string>("items", i)));
        if (pledge) form.Add(new("acceptPledge", "true"));
        if (agreement) form.Add(new("acceptAgreement", "true"));
        return form;
    }

    public static string ApplyPath(string name) => $"/portal/datasets/{name}/apply";

    public static async Task<string> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 4000 ? text[..4000] : text);
        return text;
    }

    [GeneratedRegex(@"/console/portal/applications/([0-9a-fA-F\-]{36})")]
    public static partial Regex ReviewLink();

    /// <summary>The id of the newest application to the admin's department for the dataset, from the console queue.</summary>
    public static async Task<Guid> ApplicationIdAsync(HttpClient admin, string datasetName)
    {
        var html = await Body(await admin.GetAsync("/console/portal/applications?status=Pending"), HttpStatusCode.OK);
        var row = html.Split("<tr>").First(r => r.Contains(datasetName));
        return Guid.Parse(ReviewLink().Match(row).Groups[1].Value);
    }

    public static async Task<long> CountAsync(GovDataAppFactory app, string sql, object? args = null)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }
}

/// <summary>
/// 有条件开放 over the real host with the demo data (SQLite and PostgreSQL): the application form's checks, the
/// department's review permissions, and the developer's key before approval (403), after (200, only the granted items,
/// masked), after revocation and after expiry (403 with the reason); the grant lives in the exchange (public holder).
/// </summary>
public abstract class OpenApplyTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private static string Rows(string name) => $"/api/v1/open/datasets/{name}/rows?limit=5";

    [Fact]
    public async Task The_form_refuses_bad_input_and_callers_that_may_not_apply_and_stores_nothing()
    {
        var s = await OpenApplyKit.SampleAsync(App);
        var path = OpenApplyKit.ApplyPath(s.Name);
        var form = OpenApplyKit.Form([s.PlainField]);
        var before = await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM portal_open_applications");

        // The dataset page links to the form; anonymous visitors are told to sign in (page) and refused (POST, 401).
        (await OpenApplyKit.Body(await App.CreateBrowserClient().GetAsync("/portal/datasets/" + s.Name), HttpStatusCode.OK)).ShouldContain($"href=\"/portal/datasets/{s.Name}/apply\"");
        var anonymous = App.CreateBrowserClient();
        var page = await OpenApplyKit.Body(await anonymous.GetAsync(path), HttpStatusCode.OK);
        page.ShouldContain("请先登录开发者账号");
        page.ShouldContain("<h2 id=\"condition-title\" style=\"margin-top:0\">开放条件</h2>");
        (await OpenApplyKit.Body(await anonymous.PostFormAsync("/account/login", form, path), HttpStatusCode.Unauthorized)).ShouldContain("请先登录开发者账号");

        // A citizen (not a developer) and an unverified developer account.
        var citizen = await App.LoginAsync("citizen");
        (await OpenApplyKit.Body(await citizen.GetAsync(path), HttpStatusCode.OK)).ShouldContain("您的账号不是开发者");
        (await OpenApplyKit.Body(await citizen.PostFormAsync("/portal/me", form, path), HttpStatusCode.Forbidden)).ShouldContain("您的账号不是开发者");
        var email = Accounts.NewEmail("dev");
        (await Accounts.RegisterAsync(App.CreateBrowserClient(), email, developer: true)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var unverified = await App.LoginAsync(email, Accounts.Password);
        (await OpenApplyKit.Body(await unverified.PostFormAsync("/portal/me", form, path), HttpStatusCode.Forbidden)).ShouldContain("电子邮箱尚未验证");

        // The developer: each bad field named, nothing stored.
        var developer = await App.LoginAsync("developer");
        var form200 = await OpenApplyKit.Body(await developer.GetAsync(path), HttpStatusCode.OK);
        form200.ShouldContain("数据安全承诺书");
        form200.ShouldContain("公共数据利用协议");
        form200.ShouldContain($"value=\"{s.PlainField}\"");
        var noAgreement = await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField], pledge: false, agreement: false)), HttpStatusCode.BadRequest);
        noAgreement.ShouldContain("id=\"apply-acceptPledge-error\"");
        noAgreement.ShouldContain("请阅读并接受《数据安全承诺书》");
        noAgreement.ShouldContain("请阅读并接受《公共数据利用协议》");
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField], agreement: false)), HttpStatusCode.BadRequest))
            .ShouldContain("请阅读并接受《公共数据利用协议》");
        var emptyPurpose = await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField], purpose: "  ")), HttpStatusCode.BadRequest);
        emptyPurpose.ShouldContain("id=\"apply-purpose-error\"");
        emptyPurpose.ShouldContain("请填写用途");
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField], purpose: "太短")), HttpStatusCode.BadRequest))
            .ShouldContain("用途至少需要10个字");
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField, "no_such_field"])), HttpStatusCode.BadRequest))
            .ShouldContain("数据项“no_such_field”不是数据集");
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([])), HttpStatusCode.BadRequest)).ShouldContain("请至少选择一个数据项");
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField], organization: "")), HttpStatusCode.BadRequest))
            .ShouldContain("请填写单位名称");
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, OpenApplyKit.Form([s.PlainField], period: "9999")), HttpStatusCode.BadRequest))
            .ShouldContain("请选择申请使用期限");
        // An old version of the texts is not accepted as an acceptance of the current one.
        var stale = OpenApplyKit.Form([s.PlainField]).Select(p => p.Key == "pledgeVersion" ? new KeyValuePair<string, string>(p.Key, "2025.1") : p).ToList();
        (await OpenApplyKit.Body(await developer.PostFormAsync(path, stale), HttpStatusCode.BadRequest)).ShouldContain("已更新为 2026.1 版");

        // Unknown dataset: 404; 无条件开放: no application needed.
        (await developer.GetAsync(OpenApplyKit.ApplyPath("999999999999-9"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var open = await OpenApplyKit.UnconditionalAsync(App);
        (await OpenApplyKit.Body(await developer.GetAsync(OpenApplyKit.ApplyPath(open)), HttpStatusCode.OK)).ShouldContain("无须申请");
        (await OpenApplyKit.Body(await developer.PostFormAsync("/portal/me", form, OpenApplyKit.ApplyPath(open)), HttpStatusCode.Conflict)).ShouldContain("无须申请");

        (await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM portal_open_applications")).ShouldBe(before);
    }

    [Fact]
    public async Task The_key_reads_only_after_approval_only_the_granted_items_masked_and_not_after_revocation_or_expiry()
    {
        var s = await OpenApplyKit.SampleAsync(App);
        var developer = await App.LoginAsync("developer");
        var key = await developer.CreateApiKeyAsync("有条件开放测试", ["catalog:read"]);
        var keyed = App.CreateApiKeyClient(key.Secret);

        // Before any application: 403 未申请 (and anonymous 403 需申请 as before).
        (await OpenApplyKit.Body(await keyed.GetAsync(Rows(s.Name)), HttpStatusCode.Forbidden)).ShouldContain("未申请");
        (await OpenApplyKit.Body(await App.CreateBrowserClient().GetAsync(Rows(s.Name)), HttpStatusCode.Forbidden)).ShouldContain("需申请");

        // Apply for three items (two of which will be granted).
        var fields = await App.WithScopeAsync(async sp => (await sp.GetRequiredService<IGovernedDataAccess>()
            .DescribeAsync(s.Dataset.Code, AccessPolicy.Everything(false)))!.Fields.Select(f => f.Name).ToList());
        var third = fields.First(f => f != s.MaskedField && f != s.PlainField);
        var applied = await developer.PostFormAsync(OpenApplyKit.ApplyPath(s.Name), OpenApplyKit.Form([s.PlainField, s.MaskedField, third]));
        applied.StatusCode.ShouldBe(HttpStatusCode.Redirect, await applied.Content.ReadAsStringAsync());
        (await OpenApplyKit.Body(await developer.GetAsync("/portal/me"), HttpStatusCode.OK)).ShouldContain("data-status=\"待审核\"");
        // A second application for the same dataset while one is pending is refused.
        (await OpenApplyKit.Body(await developer.PostFormAsync(OpenApplyKit.ApplyPath(s.Name), OpenApplyKit.Form([s.PlainField])), HttpStatusCode.Conflict))
            .ShouldContain("已有一份待审核的申请");
        (await OpenApplyKit.Body(await keyed.GetAsync(Rows(s.Name)), HttpStatusCode.Forbidden)).ShouldContain("未申请或申请尚未批准");

        // Review permissions: another department's admin 403 (page and POST), the platform admin reads only.
        var admin = await App.LoginAsync(s.Admin);
        var id = await OpenApplyKit.ApplicationIdAsync(admin, s.Dataset.Name);
        var review = $"/console/portal/applications/{id}";
        var approve = new List<KeyValuePair<string, string>>
        {
            new("items", s.PlainField), new("items", s.MaskedField), new("expiresOn", DateTime.Now.AddDays(30).ToString("yyyy-MM-dd")),
        };
        var other = await App.LoginAsync(s.OtherAdmin);
        (await OpenApplyKit.Body(await other.GetAsync(review), HttpStatusCode.Forbidden)).ShouldContain("只有该数据集提供部门的部门管理员");
        (await other.PostFormAsync("/console/portal/applications", approve, review + "?handler=approve")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await OpenApplyKit.Body(await other.GetAsync("/console/portal/applications"), HttpStatusCode.OK)).ShouldNotContain(id.ToString());
        var platform = await App.LoginAsync("admin");
        var readOnly = await OpenApplyKit.Body(await platform.GetAsync(review), HttpStatusCode.OK);
        readOnly.ShouldNotContain("id=\"approve-form\"");
        (await platform.PostFormAsync(review, approve, review + "?handler=approve")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await App.CreateBrowserClient().GetAsync(review)).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await developer.GetAsync(review)).StatusCode.ShouldNotBe(HttpStatusCode.OK);

        // Bad decisions: rejection without a reason, items outside the application, an expiry beyond the period.
        (await OpenApplyKit.Body(await admin.PostFormAsync(review, [new("reason", " ")], review + "?handler=reject"), HttpStatusCode.BadRequest))
            .ShouldContain("驳回申请必须填写理由");
        (await OpenApplyKit.Body(await admin.PostFormAsync(review, [new("items", "no_such_field"), new("expiresOn", DateTime.Now.AddDays(30).ToString("yyyy-MM-dd"))],
            review + "?handler=approve"), HttpStatusCode.BadRequest)).ShouldContain("不在申请范围内");
        (await OpenApplyKit.Body(await admin.PostFormAsync(review, [new("items", s.PlainField), new("expiresOn", DateTime.Now.AddDays(400).ToString("yyyy-MM-dd"))],
            review + "?handler=approve"), HttpStatusCode.BadRequest)).ShouldContain("不能晚于申请期限");
        (await keyed.GetAsync(Rows(s.Name))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Approve two of the three items (the exchange's department statistics do not count the public grant).
        async Task<string> GrantFigures()
        {
            var total = JsonNode.Parse(await OpenApplyKit.Body(await platform.GetAsync("/api/v1/exchange/statistics"), HttpStatusCode.OK))!["total"]!;
            return $"{total["grantsIssued"]}/{total["grantsActiveProvided"]}/{total["grantsActiveHeld"]}";
        }
        var figures = await GrantFigures();
        var approved = await admin.PostFormAsync(review, approve, review + "?handler=approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        (await GrantFigures()).ShouldBe(figures);
        (await OpenApplyKit.Body(await admin.GetAsync(review), HttpStatusCode.OK)).ShouldContain("已批准");

        // The key reads: only the granted items, masked values exactly as the masked policy gives them, never the raw ones.
        var rows = JsonNode.Parse(await OpenApplyKit.Body(await keyed.GetAsync(Rows(s.Name)), HttpStatusCode.OK))!;
        var names = rows["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        names.ShouldBe([.. fields.Where(f => f == s.PlainField || f == s.MaskedField)]);
        var policy = new AccessPolicy([s.PlainField, s.MaskedField], [], false);
        var (maskedRows, rawRows) = await App.WithScopeAsync(async sp =>
        {
            var data = sp.GetRequiredService<IGovernedDataAccess>();
            var q = new KeyValuePair<string, string?>[] { new("limit", "5") };
            return ((await data.QueryAsync(s.Dataset.Code, policy, q)).Rows, (await data.QueryAsync(s.Dataset.Code, policy with { Raw = true }, q)).Rows);
        });
        var maskedIndex = names.IndexOf(s.MaskedField);
        var served = rows["rows"]!.AsArray();
        served.Count.ShouldBe(maskedRows.Count);
        var differs = 0;
        for (var i = 0; i < served.Count; i++)
        {
            var value = served[i]![s.MaskedField]?.ToString();
            value.ShouldBe(maskedRows[i][maskedIndex]?.ToString());
            if (rawRows[i][maskedIndex] is { } raw && raw.ToString() != value) differs++;
            served[i]!.AsObject().ContainsKey(third).ShouldBeFalse();
        }
        differs.ShouldBeGreaterThan(0);
        // The third item cannot be asked for either; the export works under the same grant.
        (await keyed.GetAsync($"/api/v1/open/datasets/{s.Name}/rows?fields={third}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var csv = await OpenApplyKit.Body(await keyed.GetAsync($"/api/v1/open/datasets/{s.Name}/export?format=csv"), HttpStatusCode.OK);
        csv.TrimStart('\uFEFF').Split('\n')[0].Trim().Split(',').Length.ShouldBe(2);
        // Page downloads and anonymous calls stay refused.
        (await App.CreateBrowserClient().GetAsync(Rows(s.Name))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // One grant mechanism: the exchange holds a public grant with its issue event and audit entries; department lists ignore it.
        (await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM exchange_grants WHERE holder_kind = 'public' AND status = 'active'")).ShouldBe(1);
        (await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM exchange_grant_events e JOIN exchange_grants g ON g.id = e.grant_id WHERE g.holder_kind = 'public' AND e.action = 'issue'")).ShouldBe(1);
        (await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM exchange_audit_entries WHERE kind = 'grant.changed' AND resource_code = @c", new { c = s.Dataset.Code.ToString() })).ShouldBeGreaterThanOrEqualTo(1);
        (await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM exchange_audit_entries WHERE kind = 'access.open' AND outcome = 'ok'")).ShouldBeGreaterThanOrEqualTo(2);
        (await OpenApplyKit.CountAsync(App, "SELECT COUNT(*) FROM exchange_audit_entries WHERE kind = 'access.open' AND outcome = 'denied'")).ShouldBeGreaterThanOrEqualTo(2);
        var provided = JsonNode.Parse(await OpenApplyKit.Body(await admin.GetAsync("/api/v1/exchange/grants?as=provider&pageSize=200"), HttpStatusCode.OK))!;
        provided["items"]!.AsArray().Any(g => g!["consumerDepartmentId"]?.GetValue<Guid>() == Guid.Empty).ShouldBeFalse();
        var detail = await OpenApplyKit.Body(await developer.GetAsync($"/portal/me/applications/{id}"), HttpStatusCode.OK);
        detail.ShouldContain("已批准");
        detail.ShouldContain(s.PlainField + "、" + s.MaskedField);

        // 利用报告: offered once approved; too short is refused naming the field.
        var mine = $"/portal/me/applications/{id}";
        (await OpenApplyKit.Body(await developer.PostFormAsync(mine, [new("report", "很好")], mine + "?handler=report"), HttpStatusCode.BadRequest)).ShouldContain("利用报告至少需要20个字");
        (await developer.PostFormAsync(mine, [new("report", "已用于企业合作方资质核验小程序，累计查询 120 次，未发生数据安全事件，数据仅在服务端缓存 24 小时。")], mine + "?handler=report"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OpenApplyKit.Body(await admin.GetAsync(review), HttpStatusCode.OK)).ShouldContain("累计查询 120 次");

        // Revocation: reason required, then 403 已撤销 at once.
        (await OpenApplyKit.Body(await admin.PostFormAsync(review, [new("revokeReason", "")], review + "?handler=revoke"), HttpStatusCode.BadRequest)).ShouldContain("撤销授权必须填写理由");
        (await admin.PostFormAsync(review, [new("revokeReason", "发现超范围使用")], review + "?handler=revoke")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var revoked = await OpenApplyKit.Body(await keyed.GetAsync(Rows(s.Name)), HttpStatusCode.Forbidden);
        revoked.ShouldContain("已撤销");
        revoked.ShouldContain("发现超范围使用");
        (await OpenApplyKit.Body(await developer.GetAsync("/portal/me"), HttpStatusCode.OK)).ShouldContain("data-status=\"已撤销\"");

        // Expiry: a new application approved, then its last day passes (the grant's end moved into the past) → 403 已过期.
        (await developer.PostFormAsync(OpenApplyKit.ApplyPath(s.Name), OpenApplyKit.Form([s.PlainField]))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var second = await OpenApplyKit.ApplicationIdAsync(admin, s.Dataset.Name);
        var secondReview = $"/console/portal/applications/{second}";
        (await admin.PostFormAsync(secondReview, [new("items", s.PlainField), new("expiresOn", DateTime.Now.AddDays(10).ToString("yyyy-MM-dd"))], secondReview + "?handler=approve"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var again = JsonNode.Parse(await OpenApplyKit.Body(await keyed.GetAsync(Rows(s.Name)), HttpStatusCode.OK))!;
        again["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldBe([s.PlainField]);
        await using (var connection = await App.Database.OpenConnectionAsync())
            await connection.ExecuteAsync("UPDATE exchange_grants SET expires_at = @t WHERE holder_kind = 'public' AND status = 'active'",
                new { t = DateTime.SpecifyKind(DateTime.UtcNow.AddMinutes(-1), DateTimeKind.Utc) });
        (await OpenApplyKit.Body(await keyed.GetAsync(Rows(s.Name)), HttpStatusCode.Forbidden)).ShouldContain("已过期");
    }
}

public sealed class SqliteOpenApplyTests(SqliteAppFactory app) : OpenApplyTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class PostgresOpenApplyTests(PostgresAppFactory app) : OpenApplyTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
