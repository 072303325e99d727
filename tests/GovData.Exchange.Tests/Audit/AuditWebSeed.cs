using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Audit;
using GovData.Identity.Contracts;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Audit;

/// <summary>
/// The audit entries every web test of a host sees (appended once per host through <see cref="IAuditTrail"/>):
/// 1–20 人社厅 using 市场监管局's 303026010201/1 under one grant (every 5th denied), 21–30 卫健委 verifying against
/// 教育厅's 303026020101/1; sealed at 30; 31–32 人社厅 again, not sealed.
/// </summary>
internal sealed record AuditWebSeed(Guid RenShe, Guid ShiChang, Guid WeiJian, Guid JiaoYu, Guid Grant)
{
    public const string RenSheName = "山东省人力资源和社会保障厅（演示）";
    public const string ShiChangName = "山东省市场监督管理局（演示）";
    public const string WeiJianName = "山东省卫生健康委员会（演示）";
    public const string JiaoYuName = "山东省教育厅（演示）";

    private static readonly ConditionalWeakTable<GovDataAppFactory, Task<AuditWebSeed>> Seeds = new();

    public static Task<AuditWebSeed> EnsureAsync(GovDataAppFactory app)
    {
        lock (Seeds) return Seeds.GetValue(app, a => Task.Run(() => CreateAsync(a)));
    }

    private static async Task<AuditWebSeed> CreateAsync(GovDataAppFactory app) => await app.WithScopeAsync(async sp =>
    {
        var departments = await sp.GetRequiredService<IDepartmentDirectory>().ListAsync();
        Guid Id(string name) => departments.Single(d => d.Name == name).Id;
        var seed = new AuditWebSeed(Id(RenSheName), Id(ShiChangName), Id(WeiJianName), Id(JiaoYuName), Guid.NewGuid());
        var trail = sp.GetRequiredService<IAuditTrail>();
        for (var i = 1; i <= 32; i++)
        {
            var rst = i <= 20 || i > 30;
            await trail.AppendAsync(new AuditRecord(
                rst ? AuditKinds.Query : AuditKinds.Verify,
                i % 5 == 0 ? AuditOutcomes.Denied : AuditOutcomes.Ok,
                ConsumerDepartmentId: rst ? seed.RenShe : seed.WeiJian,
                ProviderDepartmentId: rst ? seed.ShiChang : seed.JiaoYu,
                ClientId: rst ? "rst-shebao-app" : "wjw-app",
                ResourceCode: rst ? "303026010201/1" : "303026020101/1",
                GrantId: rst ? seed.Grant : null,
                Purpose: rst ? "社保待遇资格认定" : "执业资格核验",
                Issue: $"业务编号 {i}",
                MessageId: $"req-{i}",
                RowsReturned: i,
                RequestHash: new string('a', 64),
                Detail: i % 5 == 0 ? "超出授权范围，拒绝访问" : null));
            if (i == 30) (await sp.GetRequiredService<AuditSealer>().SealAsync())!.TreeSize.ShouldBe(30);
        }
        return seed;
    });
}

internal static class AuditHttp
{
    public const string Api = "/api/v1/exchange/audit";

    /// <summary>Asserts an RFC 9457 problem with a Chinese title and returns it.</summary>
    public static async Task<JsonNode> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var json = JsonNode.Parse(body)!;
        json["status"]!.GetValue<int>().ShouldBe((int)status);
        json["title"]!.GetValue<string>().Any(c => c > 127).ShouldBeTrue(body);
        return json;
    }

    /// <summary>The Chinese message of a validation problem for <paramref name="field"/>.</summary>
    public static async Task<string> ShouldBeValidationProblemAsync(this HttpResponseMessage response, string field)
    {
        var json = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        json["title"]!.GetValue<string>().ShouldBe("请求参数有误");
        var messages = json["errors"]?[field]?.AsArray().Select(m => m!.GetValue<string>()).ToList();
        messages.ShouldNotBeNull($"no error for {field}: {json.ToJsonString()}");
        var message = messages.ShouldHaveSingleItem();
        message.Any(c => c > 127).ShouldBeTrue(message);
        message.ShouldContain(field);
        return message;
    }
}
