using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using GovData.Exchange.Features.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary>
/// <c>govdata audit verify</c>: checks the whole exchange audit log (every entry's hashes, the chain, the sequence,
/// every checkpoint's Merkle root and signature) and reports the first modified, deleted or reordered entry; exit code 0
/// when intact, <see cref="ExitCodes.AuditFailed"/> when not. <c>govdata audit seal</c>: seals now (what the scheduled
/// job does).
/// </summary>
internal static class AuditCommands
{
    public static Command Create(CliContext cli)
    {
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "另行保存的节点公钥（PEM 文件，可从 /api/v1/exchange/audit/public-key 获取）。指定后，检查点必须由该公钥签名，可发现数据库中的密钥被替换",
            HelpName = "文件",
        };
        var maxProblems = new Option<int>("--max-problems")
        {
            Description = "最多列出的问题数（默认 20；校验本身总是检查全部记录）",
            HelpName = "条数",
            DefaultValueFactory = _ => 20,
        };
        var record = new Option<bool>("--record")
        {
            Description = "把校验结果保存到数据库，供审计员在“审计日志校验”页面查看（默认不写数据库）",
        };
        var verify = new Command("verify", "校验交换审计日志：逐条重算记录哈希、检查哈希链与序号连续、重算每个检查点的默克尔根并验证签名，报告首个被修改、删除或调换的记录。" +
                                           "日志完好时退出码为 0，发现问题时为 4")
        {
            publicKey, maxProblems, record,
        };
        verify.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            var max = parse.GetValue(maxProblems);
            if (max < 1) throw CliException.Validation("--max-problems 应为正整数");
            NodePublicKey? pinned = null;
            if (parse.GetValue(publicKey) is { Length: > 0 } file)
            {
                var path = cli.Environment.FullPath(file);
                if (!File.Exists(path)) throw CliException.NotFound($"公钥文件“{path}”不存在");
                try { pinned = NodePublicKey.FromPem(await File.ReadAllTextAsync(path, token)); }
                catch (Exception ex) when (ex is ArgumentException or CryptographicException)
                {
                    throw CliException.Validation($"公钥文件“{path}”不是有效的 PEM 公钥（应以 -----BEGIN PUBLIC KEY----- 开头的 ECDSA P-256 公钥）");
                }
            }
            await host.EnsureMigratedAsync(token);
            cli.Out.WriteLine($"数据库：{host.DescribeDatabase()}");
            if (pinned is not null) cli.Out.WriteLine($"指定公钥：{pinned.KeyId}");
            var options = new AuditVerifyOptions(pinned, max);
            AuditVerificationReport report;
            if (parse.GetValue(record))
            {
                await using var scope = host.Services.CreateAsyncScope();
                (_, report) = await scope.ServiceProvider.GetRequiredService<AuditVerifications>().RunAsync(CliHost.SystemPrincipal, token, options);
            }
            else report = await host.Services.GetRequiredService<AuditVerifier>().VerifyAsync(options, token);

            cli.Out.WriteLine(report.Summary);
            if (report.Problems.Count > 0)
            {
                cli.Out.WriteLine($"问题清单（按位置排列{(report.MoreProblems ? $"，仅列出前 {report.Problems.Count} 处" : "")}）：");
                foreach (var p in report.Problems)
                    cli.Out.WriteLine($"  第 {p.Seq.ToString("N0", CultureInfo.InvariantCulture)} 条  [{AuditProblemKinds.DisplayName(p.Kind)}]  {p.Message}");
            }
            cli.Out.WriteLine($"用时 {report.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} 秒。");
            if (report.Ok) return ExitCodes.Ok;
            cli.Error.WriteLine($"错误：审计日志校验未通过，首个问题在第 {report.First!.Seq.ToString("N0", CultureInfo.InvariantCulture)} 条");
            return ExitCodes.AuditFailed;
        }));

        var seal = new Command("seal", "立即封存交换审计日志：把上次封存之后追加的记录计入默克尔树，用节点密钥签名新的检查点（与定时任务 exchange.audit.seal 相同）");
        seal.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            await host.EnsureMigratedAsync(token);
            try
            {
                var checkpoint = await host.Services.GetRequiredService<AuditSealer>().SealAsync(token);
                if (checkpoint is null) cli.Out.WriteLine("没有新的记录需要封存。");
                else cli.Out.WriteLine($"已封存至第 {checkpoint.TreeSize.ToString("N0", CultureInfo.InvariantCulture)} 条：默克尔根 {checkpoint.RootHash}，节点密钥 {checkpoint.KeyId}");
                return ExitCodes.Ok;
            }
            catch (AuditSealException ex)
            {
                throw new CliException(ExitCodes.AuditFailed, ex.Message);
            }
        }));
        return new Command("audit", "交换审计日志：校验与封存") { verify, seal };
    }
}
