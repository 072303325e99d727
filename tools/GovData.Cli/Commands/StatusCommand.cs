using System.CommandLine;
using Dapper;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary><c>govdata status</c>: which database, which migrations, how many rows.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("status", "显示数据库类型与位置、已应用的迁移、演示数据写入情况和各表行数");
        command.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            var output = cli.Out;
            if (host.SqliteFileMissing)
                throw CliException.NotFound($"SQLite 数据库文件“{host.SqliteFile}”不存在；运行 govdata migrate 可创建并初始化（或检查 --connection / --data-folder）");
            output.WriteLine($"数据库：{host.DescribeDatabase()}");
            var migrator = host.Services.GetRequiredService<SchemaMigrator>();
            var applied = await migrator.AppliedAsync(token);
            if (applied.Count == 0) output.WriteLine("已应用的迁移：无（新数据库，请运行 govdata migrate）");
            else
            {
                output.WriteLine($"已应用的迁移（{applied.Count} 个）：");
                foreach (var a in applied.OrderBy(a => a.AppliedAt).ThenBy(a => a.Module).ThenBy(a => a.Version))
                    output.WriteLine($"  {a.Module} {a.Version:0000}_{a.Name}  {a.AppliedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            }
            await MigrateCommand.WriteVersionsAsync(output, migrator, token);

            await using var connection = host.Database.CreateConnection();
            await connection.OpenAsync(token);
            var tables = await ListTablesAsync(connection, host.Database.IsPostgres);
            if (tables.Contains("platform_seed_history"))
            {
                var seeds = (await connection.QueryAsync<string>("SELECT module FROM platform_seed_history ORDER BY module")).ToList();
                output.WriteLine($"演示数据：{(seeds.Count == 0 ? "未写入" : "已写入（" + string.Join("、", seeds) + "）")}");
            }
            var data = tables.Where(t => t != "platform_schema_migrations").ToList();
            if (data.Count > 0)
            {
                output.WriteLine("各表行数：");
                var width = data.Max(t => t.Length);
                foreach (var table in data)
                {
                    var count = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"")}\"");
                    output.WriteLine($"  {table.PadRight(width)}  {count,8}");
                }
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The platform's tables, without SQLite internals and the shadow tables of full-text indexes.</summary>
    private static async Task<List<string>> ListTablesAsync(System.Data.Common.DbConnection connection, bool postgres)
    {
        if (postgres)
            return (await connection.QueryAsync<string>(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")).ToList();
        var rows = (await connection.QueryAsync<(string Name, string? Sql)>(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).ToList();
        var virtualTables = rows.Where(r => r.Sql?.StartsWith("CREATE VIRTUAL TABLE", StringComparison.OrdinalIgnoreCase) == true)
            .Select(r => r.Name).ToList();
        return rows.Select(r => r.Name)
            .Where(n => !virtualTables.Contains(n) && !virtualTables.Any(v => n.StartsWith(v + "_", StringComparison.Ordinal)))
            .ToList();
    }
}
