using System.CommandLine;
using GovData.Identity.Contracts;
using GovData.Identity.Features.ApiKeys;
using GovData.Identity.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary><c>govdata apikey create</c>: issues an API key for an account through the Identity module's ApiKeyService.</summary>
internal static class ApiKeyCommands
{
    public static Command Create(CliContext cli)
    {
        var userName = new Option<string>("--username", "-u") { Description = "密钥所属账号的用户名；密钥的权限不超过该账号的角色", HelpName = "用户名", Required = true };
        var name = new Option<string>("--name", "-n") { Description = "密钥名称（用途），如“市场监管数据同步”", HelpName = "用途", Required = true };
        var scopes = new Option<string[]>("--scope", "-s")
        {
            Description = "权限范围（可重复，也可用逗号分隔）：" + string.Join("，", ApiScopes.All.Select(s => $"{s.Key}（{s.Value}）")),
            HelpName = "范围",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var days = new Option<int?>("--days") { Description = $"有效天数（1至{ApiKeyService.MaxExpiryDays}）；不填则长期有效，直至吊销", HelpName = "天数" };

        var create = new Command("create", "为账号创建 API 密钥。密钥明文只显示这一次（输出的最后一行），数据库只保存其 SHA-256 摘要")
        {
            userName, name, scopes, days,
        };
        create.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            await host.EnsureMigratedAsync(token);
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var login = parse.GetValue(userName)!.Trim();
            var owner = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName.ToLower() == login.ToLower(), token)
                ?? throw CliException.NotFound($"账号“{login}”不存在");
            if (!owner.IsActive) throw CliException.Validation($"账号“{owner.UserName}”已停用，不能为其创建 API 密钥");
            var scopeList = (parse.GetValue(scopes) ?? [])
                .SelectMany(s => s.Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var (created, errors) = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
                .CreateAsync(owner.Id, CliHost.SystemPrincipal, parse.GetValue(name), scopeList, parse.GetValue(days), token);
            if (errors is not null)
                throw CliException.Validation("API 密钥未创建：", errors.SelectMany(e => e.Value.Select(m => $"{FieldLabel(e.Key)}：{m}")).ToList());
            var key = created!.Key;
            cli.Out.WriteLine($"已为账号 {owner.UserName} 创建 API 密钥 {key.Prefix}（{key.Name}）");
            cli.Out.WriteLine($"  权限范围：{string.Join("、", key.Scopes)}");
            cli.Out.WriteLine($"  有效期至：{(key.ExpiresAt is { } e ? e.ToString("yyyy-MM-dd HH:mm 'UTC'") : "长期有效（直至吊销）")}");
            cli.Out.WriteLine("  调用时放在请求头 X-Api-Key 中。密钥只显示这一次，请立即妥善保存：");
            cli.Out.WriteLine(created.Secret);
            return ExitCodes.Ok;
        }));
        return new Command("apikey", "API 密钥管理") { create };
    }

    private static string FieldLabel(string field) => field switch
    {
        "name" => "名称（--name）",
        "scopes" => "权限范围（--scope）",
        "expiresInDays" => "有效天数（--days）",
        _ => field,
    };
}
