using System.CommandLine;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary><c>govdata migrate [--to 模块=版本]</c>: applies the modules' SQL migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext cli)
    {
        var to = new Option<string[]>("--to")
        {
            Description = "让某个模块只迁移到指定版本（可重复），如 --to identity=1；用于演练旧库升级。不支持回退",
            HelpName = "模块=版本",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("migrate", "应用数据库迁移（与 Web 服务启动时相同的 SQL 迁移），列出本次应用的迁移和各模块当前版本") { to };
        command.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            var migrator = host.Services.GetRequiredService<SchemaMigrator>();
            var targets = ParseTargets(parse.GetValue(to) ?? [], migrator.AllMigrations());
            cli.Out.WriteLine($"数据库：{host.DescribeDatabase()}");
            var applied = await migrator.MigrateAsync(targets.Count > 0 ? targets : null, token);
            if (applied.Count == 0) cli.Out.WriteLine("没有需要应用的迁移。");
            else
            {
                cli.Out.WriteLine($"本次应用了 {applied.Count} 个迁移：");
                foreach (var m in applied) cli.Out.WriteLine($"  {m.Module} {m.Version:0000}_{m.Name}");
            }
            await WriteVersionsAsync(cli.Out, migrator, token);
            var current = (await migrator.AppliedAsync(token)).GroupBy(a => a.Module).ToDictionary(g => g.Key, g => g.Max(a => a.Version));
            foreach (var (module, version) in targets)
                if (current.TryGetValue(module, out var at) && at > version)
                    cli.Error.WriteLine($"警告：模块 {module} 已在版本 {at:0000}，高于 --to 指定的 {version:0000}（迁移不支持回退）");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Parses <c>module=version</c> pairs against the known modules and versions.</summary>
    internal static Dictionary<string, int> ParseTargets(IReadOnlyList<string> values, IReadOnlyList<SchemaMigration> all)
    {
        var latest = all.GroupBy(m => m.Module).ToDictionary(g => g.Key, g => g.Max(m => m.Version), StringComparer.OrdinalIgnoreCase);
        var targets = new Dictionary<string, int>();
        var errors = new List<string>();
        foreach (var value in values)
        {
            var parts = value.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                errors.Add($"--to “{value}” 格式不正确，应为 模块=版本，如 identity=1");
                continue;
            }
            if (!latest.TryGetValue(parts[0], out var max))
            {
                errors.Add($"--to “{value}”：没有名为“{parts[0]}”的模块（已有：{string.Join("、", latest.Keys)}）");
                continue;
            }
            if (!int.TryParse(parts[1], out var version) || version < 0 || version > max)
            {
                errors.Add($"--to “{value}”：版本应为 0 至 {max} 的整数");
                continue;
            }
            var module = latest.Keys.First(k => string.Equals(k, parts[0], StringComparison.OrdinalIgnoreCase));
            if (!targets.TryAdd(module, version)) errors.Add($"--to 对模块 {module} 指定了多次");
        }
        if (errors.Count > 0) throw CliException.Validation("迁移目标版本有误", errors);
        return targets;
    }

    /// <summary>Prints each module's applied and latest version.</summary>
    internal static async Task WriteVersionsAsync(TextWriter output, SchemaMigrator migrator, CancellationToken ct)
    {
        var applied = await migrator.AppliedAsync(ct);
        var all = migrator.AllMigrations();
        output.WriteLine("各模块版本：");
        foreach (var group in all.GroupBy(m => m.Module))
        {
            var done = applied.Where(a => a.Module == group.Key).Select(a => a.Version).ToHashSet();
            var current = done.Count == 0 ? 0 : done.Max();
            var pending = group.Count(m => !done.Contains(m.Version));
            var latest = group.Max(m => m.Version);
            output.WriteLine($"  {group.Key,-12} 当前 {current:0000}，最新 {latest:0000}{(pending > 0 ? $"，待应用 {pending} 个" : "")}");
        }
        foreach (var orphan in applied.Select(a => a.Module).Distinct().Where(m => all.All(x => x.Module != m)))
            output.WriteLine($"  {orphan,-12} 数据库中有记录，但当前程序不包含该模块");
    }
}
