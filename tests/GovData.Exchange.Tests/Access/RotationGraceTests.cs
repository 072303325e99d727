using System.Net;
using GovData.Exchange.Features.Access;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Access;

/// <summary>A host where the previous secret stays valid for 5 minutes after a rotation (<c>RotationGraceMinutes</c>).</summary>
public abstract class GraceAppFactory : AccessAppFactory
{
    protected GraceAppFactory(DatabaseProvider provider) : base(provider) =>
        WithSetting("GovData:Exchange:Access:RotationGraceMinutes", "5");
}

public sealed class SqliteGraceApp() : GraceAppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresGraceApp() : GraceAppFactory(DatabaseProvider.PostgreSql);

/// <summary>Secret rotation with a grace period: both secrets work until it ends, then only the new one; revocation ends both.</summary>
public abstract class RotationGraceTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app), IClassFixture<TFactory> where TFactory : GraceAppFactory
{
    [Fact]
    public async Task The_previous_secret_works_until_the_grace_period_ends()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        App.Grant(demo.HumanResources, demo.Enterprise, ["统一社会信用代码"]);
        var path = "/api/v1/exchange/data/" + Uri.EscapeDataString(demo.Enterprise.ResourceCode) + "/rows?limit=1";
        using var old = App.Signed(testApp);
        (await old.GetAsync(path)).Status.ShouldBe(HttpStatusCode.OK);

        using var user = await App.LoginAsync("rst_user");
        var rotated = await user.PostAsync($"/api/v1/exchange/apps/{testApp.Id}/rotate", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await rotated.ReadJsonAsync();
        json["app"]!["previousSecretValidUntil"].ShouldNotBeNull();
        using var fresh = App.Signed(testApp with { Secret = json["secret"]!.GetValue<string>() });

        (await old.GetAsync(path)).Status.ShouldBe(HttpStatusCode.OK);
        (await fresh.GetAsync(path)).Status.ShouldBe(HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(5.5));
        var expired = await old.GetAsync(path);
        expired.Status.ShouldBe(HttpStatusCode.Unauthorized, expired.Body);
        expired.Body.ShouldContain(RequestSigning.SignatureHeader);
        (await fresh.GetAsync(path)).Status.ShouldBe(HttpStatusCode.OK);

        // A second rotation inside a new grace period, then a revocation: neither secret works any more.
        var again = await user.PostAsync($"/api/v1/exchange/apps/{testApp.Id}/rotate", null);
        using var newest = App.Signed(testApp with { Secret = (await again.ReadJsonAsync())["secret"]!.GetValue<string>() });
        (await fresh.GetAsync(path)).Status.ShouldBe(HttpStatusCode.OK);
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(user, $"/api/v1/exchange/apps/{testApp.Id}/revoke", new { reason = "泄露" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fresh.GetAsync(path)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await newest.GetAsync(path)).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteRotationGraceTests(SqliteGraceApp app) : RotationGraceTests<SqliteGraceApp>(app);

public sealed class PostgresRotationGraceTests(PostgresGraceApp app) : RotationGraceTests<PostgresGraceApp>(app);
