using System.CommandLine;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary><c>govdata seed --demo</c>: migrates, then runs every module's demo seeder once.</summary>
internal static class SeedCommand
{
    public static Command Create(CliContext cli)
    {
        var demo = new Option<bool>("--demo") { Description = "写入演示数据（演示部门与各角色演示账号；每个数据库只写入一次）" };
        var command = new Command("seed", "写入演示数据（先应用数据库迁移）。演示数据仅用于演示和测试，生产库请勿写入") { demo };
        command.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            if (!parse.GetValue(demo))
                throw CliException.Validation("请指定要写入的数据：目前只支持 --demo（演示数据）");
            cli.Out.WriteLine($"数据库：{host.DescribeDatabase()}");
            var applied = await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct: token);
            if (applied.Count > 0) cli.Out.WriteLine($"已应用 {applied.Count} 个数据库迁移。");
            var seeded = await host.Services.GetRequiredService<DemoSeedRunner>().SeedAsync(token);
            if (seeded.Count == 0)
            {
                cli.Out.WriteLine("演示数据此前已写入（见 platform_seed_history），未重复写入。");
                return ExitCodes.Ok;
            }
            cli.Out.WriteLine($"已写入演示数据：{string.Join("、", seeded)}");
            if (seeded.Contains("identity"))
                cli.Out.WriteLine($"演示账号（admin、reviewer、auditor、scjg_admin 等）的密码均为 {GovData.Identity.Demo.IdentityDemoSeeder.DemoPassword}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
