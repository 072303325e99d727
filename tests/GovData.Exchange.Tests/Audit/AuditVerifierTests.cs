using Dapper;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;

namespace GovData.Exchange.Tests.Audit;

/// <summary>
/// Changes made directly in the database, past the triggers, as someone with database access would make them; the
/// verifier must name the entry. The log has 40 entries, sealed at 30 (entries 31–40 not yet covered by a signature).
/// </summary>
public abstract class AuditVerifierTests
{
    protected abstract DatabaseProvider Provider { get; }

    private async Task<(TestDatabase Db, AuditTestHost Host)> LogAsync()
    {
        var db = await TestDatabase.CreateAsync(Provider);
        var host = await AuditTestHost.StartAsync(db);
        await host.AppendManyAsync(30);
        (await host.Sealer.SealAsync())!.TreeSize.ShouldBe(30);
        await host.AppendManyAsync(10, offset: 30);
        return (db, host);
    }

    private static void ShouldReportFirst(AuditVerificationReport report, long seq, string kind, params string[] phrases)
    {
        report.Ok.ShouldBeFalse();
        var first = report.First.ShouldNotBeNull();
        first.Seq.ShouldBe(seq, report.Summary);
        first.Kind.ShouldBe(kind, report.Summary);
        foreach (var p in phrases) first.Message.ShouldContain(p);
        report.Summary.ShouldStartWith("审计日志校验未通过");
    }

    [Fact]
    public async Task An_intact_log_verifies_and_the_report_says_what_was_checked()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        var report = await host.Verifier.VerifyAsync();
        report.Ok.ShouldBeTrue(report.Summary);
        report.Problems.ShouldBeEmpty();
        (report.Entries, report.LastSeq, report.Checkpoints, report.SealedUpTo, report.Unsealed).ShouldBe((40L, 40L, 1, 30L, 10L));
        report.Summary.ShouldBe("审计日志校验通过：共 40 条记录（第 1 至 40 条），序号连续，每条记录的内容与哈希一致，哈希链完整；1 个签名检查点的默克尔根、链哈希与签名均有效，已封存至第 30 条，其后 10 条尚未封存。");
    }

    [Fact]
    public async Task An_update_of_one_field_is_reported_at_that_entry_sealed_or_not()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_entries SET rows_returned = rows_returned + 1000 WHERE seq = 17");
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 17, AuditProblemKinds.Modified, "第 17 条", "内容被修改");
        // The only other finding is the checkpoint over it.
        report.Problems.Select(p => (p.Seq, p.Kind)).ShouldBe([(17L, AuditProblemKinds.Modified), (30L, AuditProblemKinds.CheckpointMismatch)]);

        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_entries SET detail = '被改过的说明' WHERE seq = 35");
        report = await host.Verifier.VerifyAsync();
        report.Problems.Select(p => p.Seq).ShouldBe([17L, 30L, 35L]);
        report.Problems[2].Message.ShouldContain("第 35 条");
    }

    [Fact]
    public async Task A_deleted_entry_is_reported_as_the_missing_sequence_number()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        await Tamper.ExecuteAsync(db, "DELETE FROM exchange_audit_entries WHERE seq = 12");
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 12, AuditProblemKinds.Deleted, "第 12 条记录缺失", "第 11 条之后直接是第 13 条", "删除");
        report.Problems.Count(p => p.Kind is not AuditProblemKinds.CheckpointMismatch).ShouldBe(1);

        await Tamper.ExecuteAsync(db, "DELETE FROM exchange_audit_entries WHERE seq BETWEEN 33 AND 35");
        report = await host.Verifier.VerifyAsync();
        report.Problems.ShouldContain(p => p.Seq == 33 && p.Kind == AuditProblemKinds.Deleted && p.Message.Contains("第 33 至 35 条记录缺失"));
    }

    [Fact]
    public async Task A_deletion_hidden_by_renumbering_the_following_entries_is_reported_where_it_happened()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        await Tamper.ExecuteAsync(db, """
            DELETE FROM exchange_audit_entries WHERE seq = 12;
            UPDATE exchange_audit_entries SET seq = -seq WHERE seq > 12;
            UPDATE exchange_audit_entries SET seq = -seq - 1 WHERE seq < 0;
            """);
        (await Tamper.ScalarAsync<long>(db, "SELECT MAX(seq) FROM exchange_audit_entries")).ShouldBe(39);
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 12, AuditProblemKinds.Reordered, "第 12 条的位置上是原第 13 条记录", "删除记录后序号被改写");
        report.Problems.ShouldContain(p => p.Seq == 30 && p.Kind == AuditProblemKinds.CheckpointMismatch);
    }

    [Fact]
    public async Task A_swapped_pair_of_whole_rows_is_reported_once_as_reordered()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        await Tamper.SwapRowsAsync(db, 20, 21);
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 20, AuditProblemKinds.Reordered, "第 20 条", "第 21 条", "调换");
        report.Problems.Count(p => p.Kind is not AuditProblemKinds.CheckpointMismatch).ShouldBe(1, report.Summary);

        // After the seal: still found, by the chain alone (no checkpoint covers 36/37 yet).
        await Tamper.SwapRowsAsync(db, 36, 37);
        report = await host.Verifier.VerifyAsync();
        report.Problems.ShouldContain(p => p.Seq == 36 && p.Kind == AuditProblemKinds.Reordered);
    }

    [Fact]
    public async Task Swapping_the_fields_of_two_entries_but_not_their_hashes_is_reported_as_reordered_too()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        var columns = new[] { "recorded_at", "kind", "outcome", "consumer_department_id", "provider_department_id", "client_id", "user_id", "resource_code",
            "grant_id", "request_id", "purpose", "issue", "message_id", "rows_returned", "request_hash", "response_hash", "detail" };
        // Copy row 8's fields into 9 and 9's into 8 (through a temporary row 0).
        var sets = (string from) => string.Join(", ", columns.Select(c => $"{c} = (SELECT {c} FROM exchange_audit_entries WHERE seq = {from})"));
        await Tamper.ExecuteAsync(db, $"INSERT INTO exchange_audit_entries ({AuditSql.EntryColumns}) " +
            $"SELECT 0, format, {string.Join(", ", columns)}, entry_hash, leaf_hash, chain_hash FROM exchange_audit_entries WHERE seq = 8");
        await Tamper.ExecuteAsync(db, $"UPDATE exchange_audit_entries SET {sets("9")} WHERE seq = 8; UPDATE exchange_audit_entries SET {sets("0")} WHERE seq = 9; DELETE FROM exchange_audit_entries WHERE seq = 0;");
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 8, AuditProblemKinds.Reordered, "第 8 条", "第 9 条");
    }

    [Fact]
    public async Task An_entry_rewritten_with_recomputed_hashes_breaks_the_link_to_the_next_and_the_checkpoint()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        // A careful forger: change entry 8 and store hashes that match its new content, chained from entry 7.
        var chain7 = await Tamper.ScalarAsync<string>(db, "SELECT chain_hash FROM exchange_audit_entries WHERE seq = 7");
        var stored = (await Tamper.QueryAsync<DateTime>(db, "SELECT recorded_at FROM exchange_audit_entries WHERE seq = 8")).Single();
        var forged = AuditWriter.Build(8, AuditEncoding.Truncate(DateTime.SpecifyKind(stored, DateTimeKind.Utc)), AuditRecords.Sample(7) with { RowsReturned = 99_999 }, Convert.FromHexString(chain7.Trim()));
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_entries SET rows_returned = 99999, request_id = NULL, entry_hash = @e, leaf_hash = @l, chain_hash = @c WHERE seq = 8",
            new { e = forged.EntryHash, l = forged.LeafHash, c = forged.ChainHash });
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 8, AuditProblemKinds.ChainBroken, "第 8 条", "重新计算了哈希");
        report.Problems.ShouldContain(p => p.Seq == 30 && p.Kind == AuditProblemKinds.CheckpointMismatch && p.Message.Contains("第 1 至 30 条"));
    }

    [Fact]
    public async Task Truncation_past_a_checkpoint_is_reported_but_the_unsealed_tail_can_go_unnoticed()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        // Entries 31–40 are not covered by any signature: removing them leaves a log that is consistent in itself.
        await Tamper.ExecuteAsync(db, "DELETE FROM exchange_audit_entries WHERE seq > 30");
        (await host.Verifier.VerifyAsync()).Ok.ShouldBeTrue();

        await Tamper.ExecuteAsync(db, "DELETE FROM exchange_audit_entries WHERE seq > 26");
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 27, AuditProblemKinds.Truncated, "第 26 条之后被截断", "覆盖到第 30 条", "第 27 至 30 条");
    }

    [Fact]
    public async Task A_changed_checkpoint_signature_or_root_and_a_foreign_pinned_key_are_reported()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        var signature = await Tamper.ScalarAsync<string>(db, "SELECT signature FROM exchange_audit_checkpoints WHERE tree_size = 30");
        var bytes = Convert.FromBase64String(signature);
        bytes[^3] ^= 0x40;
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_checkpoints SET signature = @s WHERE tree_size = 30", new { s = Convert.ToBase64String(bytes) });
        var report = await host.Verifier.VerifyAsync();
        ShouldReportFirst(report, 30, AuditProblemKinds.Signature, "检查点（共 30 条）的签名无效");

        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_checkpoints SET signature = @s, root_hash = @r WHERE tree_size = 30",
            new { s = signature, r = new string('a', 64) });
        report = await host.Verifier.VerifyAsync();
        report.Problems.Select(p => p.Kind).ShouldBe([AuditProblemKinds.Signature, AuditProblemKinds.CheckpointMismatch], ignoreOrder: true);

        var pinned = NodePublicKey.FromPem(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem());
        report = await host.Verifier.VerifyAsync(new AuditVerifyOptions(pinned));
        report.Problems.ShouldContain(p => p.Kind == AuditProblemKinds.UnknownKey && p.Message.Contains(pinned.KeyId));
    }

    [Fact]
    public async Task The_node_public_key_pinned_from_the_endpoint_verifies_the_intact_log()
    {
        var (db, host) = await LogAsync();
        await using var _ = db;
        await using var __ = host;
        var key = (await host.Keys.ListAsync()).ShouldHaveSingleItem();
        var report = await host.Verifier.VerifyAsync(new AuditVerifyOptions(NodePublicKey.FromPem(key.Pem)));
        report.Ok.ShouldBeTrue(report.Summary);
        report.PinnedKeyId.ShouldBe(key.KeyId);
    }
}

public sealed class AuditVerifierSqliteTests : AuditVerifierTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AuditVerifierPostgresTests : AuditVerifierTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
