using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace GovData.Cli.Tests;

public sealed class ApiKeyTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();

    public async ValueTask InitializeAsync()
    {
        var seed = await _cli.RunAsync("seed", "--demo");
        seed.ExitCode.ShouldBe(0, seed.ToString());
    }

    public ValueTask DisposeAsync()
    {
        _cli.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The key is the last line of the output; everything before it describes it.</summary>
    private static string KeyFrom(CliResult result) =>
        result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    [Fact]
    public async Task Created_key_is_stored_as_a_hash_and_authenticates_against_the_web_host()
    {
        var result = await _cli.RunAsync("apikey", "create", "--username", "rst_admin", "--name", "人社数据同步", "--scope", "identity:read", "--days", "30");

        result.ExitCode.ShouldBe(0, result.ToString());
        var key = KeyFrom(result);
        key.ShouldMatch("^gd_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{40,}$");
        result.Out.ShouldContain($"API 密钥 {key[..11]}（人社数据同步）");
        result.Out.ShouldContain("只显示这一次");

        var stored = _cli.Query<(string SecretHash, string Scopes, string UserName)>("""
            SELECT k.secret_hash, k.scopes, u.user_name FROM identity_api_keys k JOIN identity_users u ON u.id = k.user_id WHERE k.prefix = @prefix
            """, new { prefix = key[..11] }).ShouldHaveSingleItem();
        stored.SecretHash.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
        stored.Scopes.ShouldBe("identity:read");
        stored.UserName.ShouldBe("rst_admin");
        _cli.Scalar<long>("SELECT COUNT(*) FROM identity_security_events WHERE event_type = 'apikey.created'").ShouldBe(1);

        await using var web = new WebHost(_cli.ConnectionString, _cli.Directory);
        using var client = web.CreateClient();

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/identity/me");
        me.Headers.Add("X-Api-Key", key);
        var response = await client.SendAsync(me);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("userName").GetString().ShouldBe("rst_admin");
        body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["identity:read"]);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/identity/me");
        forged.Headers.Add("X-Api-Key", key[..^2] + (key[^1] == 'A' ? "BB" : "AA"));
        (await client.SendAsync(forged)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Scopes_may_be_repeated_or_comma_separated_and_no_days_means_no_expiry()
    {
        var result = await _cli.RunAsync("apikey", "create", "-u", "admin", "-n", "运维巡检", "-s", "identity:read,audit:read", "-s", "catalog:read");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("长期有效");
        var prefix = KeyFrom(result)[..11];
        _cli.Scalar<string>("SELECT scopes FROM identity_api_keys WHERE prefix = @prefix", new { prefix }).ShouldBe("identity:read audit:read catalog:read");
        _cli.Scalar<string?>("SELECT expires_at FROM identity_api_keys WHERE prefix = @prefix", new { prefix }).ShouldBeNull();
    }

    [Fact]
    public async Task Unknown_user_is_not_found_and_bad_scope_or_days_are_invalid()
    {
        var unknown = await _cli.RunAsync("apikey", "create", "-u", "nobody", "-n", "x", "-s", "identity:read");
        unknown.ExitCode.ShouldBe(ExitCodes.NotFound);
        unknown.Err.ShouldContain("账号“nobody”不存在");

        var invalid = await _cli.RunAsync("apikey", "create", "-u", "admin", "-n", "x", "-s", "everything:all", "--days", "0");
        invalid.ExitCode.ShouldBe(ExitCodes.Validation);
        invalid.Err.ShouldContain("权限范围（--scope）：未知的权限范围“everything:all”");
        invalid.Err.ShouldContain("有效天数（--days）：有效期应为1至3650天");
        _cli.Scalar<long>("SELECT COUNT(*) FROM identity_api_keys").ShouldBe(0);
    }

    /// <summary>The real web host over the CLI's database (already migrated and seeded by the CLI).</summary>
    private sealed class WebHost(string connectionString, string dataFolder) : WebApplicationFactory<global::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("GovData:ConnectionString", connectionString);
            builder.UseSetting("GovData:DataFolder", dataFolder);
            builder.UseSetting("GovData:MigrateOnStartup", "false");
            builder.UseSetting("GovData:SeedDemoData", "false");
            builder.ConfigureLogging(logging => logging.ClearProviders());
        }
    }
}
