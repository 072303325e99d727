using System.Security.Cryptography;
using Dapper;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Audit;

/// <summary>Sealing (signed checkpoints), the node key, inclusion and consistency proofs from the database.</summary>
public abstract class AuditSealTests
{
    protected abstract DatabaseProvider Provider { get; }

    private static async Task<List<byte[]>> LeafHashesAsync(TestDatabase db) =>
        (await Tamper.QueryAsync<string>(db, "SELECT leaf_hash FROM exchange_audit_entries ORDER BY seq")).Select(h => Convert.FromHexString(h.Trim())).ToList();

    /// <summary>MTH straight from RFC 6962.</summary>
    private static byte[] ReferenceRoot(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 1) return leaves[0];
        var k = 1;
        while (k * 2 < leaves.Count) k *= 2;
        return SHA256.HashData([0x01, .. ReferenceRoot(leaves.Take(k).ToList()), .. ReferenceRoot(leaves.Skip(k).ToList())]);
    }

    [Fact]
    public async Task Seals_sign_the_merkle_root_with_one_node_key_and_continue_from_the_previous_checkpoint()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        (await host.Sealer.SealAsync()).ShouldBeNull(); // nothing to seal

        await host.AppendManyAsync(5);
        var first = (await host.Sealer.SealAsync()).ShouldNotBeNull();
        (await host.Sealer.SealAsync()).ShouldBeNull(); // nothing new
        await host.AppendManyAsync(295, offset: 5);
        var second = (await host.Sealer.SealAsync()).ShouldNotBeNull();

        var leaves = await LeafHashesAsync(db);
        first.TreeSize.ShouldBe(5);
        first.RootHash.ShouldBe(Convert.ToHexStringLower(ReferenceRoot(leaves.Take(5).ToList())));
        second.TreeSize.ShouldBe(300);
        second.RootHash.ShouldBe(Convert.ToHexStringLower(ReferenceRoot(leaves)));
        second.ChainHash.ShouldBe((await Tamper.ScalarAsync<string>(db, "SELECT chain_hash FROM exchange_audit_entries WHERE seq = 300")).Trim());
        second.KeyId.ShouldBe(first.KeyId);

        // The signature is ECDSA P-256 over the documented statement, checkable with nothing but the public key.
        var key = (await host.Keys.ListAsync()).ShouldHaveSingleItem();
        key.KeyId.ShouldBe(first.KeyId);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.Pem);
        ecdsa.KeySize.ShouldBe(256);
        var statement = CheckpointStatement.Text(second);
        statement.ShouldStartWith($"govdata-exchange-audit-checkpoint/v1\ntree_size=300\nroot_hash={second.RootHash}\n");
        ecdsa.VerifyData(System.Text.Encoding.UTF8.GetBytes(statement), Convert.FromBase64String(second.Signature), HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence).ShouldBeTrue();

        // The private key is stored protected, not in clear.
        var stored = await Tamper.ScalarAsync<string>(db, "SELECT protected_private_key FROM exchange_audit_node_keys");
        Should.Throw<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(Convert.FromBase64String(stored), out _));
        // Perfect subtrees of 256 leaves are cached for proofs.
        (await Tamper.QueryAsync<long>(db, "SELECT node_index FROM exchange_audit_tree_nodes WHERE level = 8")).ShouldBe([0L]);
    }

    [Fact]
    public async Task Another_host_signs_with_the_same_node_key_through_the_shared_data_protection_keys()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var hostA = await AuditTestHost.StartAsync(db);
        await hostA.AppendManyAsync(3);
        var a = (await hostA.Sealer.SealAsync()).ShouldNotBeNull();
        await using var hostB = await AuditTestHost.StartAsync(db, migrate: false);
        await hostB.AppendManyAsync(3, offset: 3);
        var b = (await hostB.Sealer.SealAsync()).ShouldNotBeNull();
        b.KeyId.ShouldBe(a.KeyId);
        (await Tamper.ScalarAsync<long>(db, "SELECT COUNT(*) FROM exchange_audit_node_keys")).ShouldBe(1);
        (await hostA.Verifier.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task The_scheduled_job_seals_when_the_host_claims_it()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db, settings: new Dictionary<string, string?> { ["GovData:Exchange:Audit:SealIntervalMinutes"] = "5" });
        await host.AppendManyAsync(7);
        var runner = host.Services.GetRequiredService<ScheduledJobRunner>();
        var job = runner.Jobs.Single(j => j.Name == AuditSealJob.JobName);
        job.Schedule.ShouldBe(new IntervalSchedule(TimeSpan.FromMinutes(5)));
        (await runner.RunDueJobsAsync()).ShouldNotContain(AuditSealJob.JobName); // registered, first run in 5 minutes
        await host.Services.GetRequiredService<ScheduledJobStore>().RescheduleAsync(AuditSealJob.JobName, DateTime.UtcNow.AddSeconds(-1));
        (await runner.RunDueJobsAsync()).ShouldContain(AuditSealJob.JobName);
        (await Tamper.ScalarAsync<long>(db, "SELECT MAX(tree_size) FROM exchange_audit_checkpoints")).ShouldBe(7);
        (await host.Services.GetRequiredService<ScheduledJobStore>().GetAsync(AuditSealJob.JobName))!.LastStatus.ShouldBe(ScheduledJobState.Succeeded);
    }

    [Fact]
    public async Task Sealing_refuses_to_sign_entries_that_no_longer_match_their_hashes()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        await host.AppendManyAsync(10);
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_entries SET purpose = '另一个用途' WHERE seq = 6");
        var error = await Should.ThrowAsync<AuditSealException>(() => host.Sealer.SealAsync());
        error.Message.ShouldContain("第 6 条");
        (await Tamper.ScalarAsync<long>(db, "SELECT COUNT(*) FROM exchange_audit_checkpoints")).ShouldBe(0);
    }

    [Fact]
    public async Task Inclusion_proofs_of_every_entry_verify_against_each_signed_root_and_fail_for_a_wrong_leaf()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        var sizes = new[] { 1, 6, 257, 300 };
        var done = 0;
        foreach (var size in sizes)
        {
            await host.AppendManyAsync(size - done, offset: done);
            done = size;
            (await host.Sealer.SealAsync())!.TreeSize.ShouldBe(size);
        }
        await host.AppendManyAsync(4, offset: 300); // 301–304 not sealed yet
        var leaves = await LeafHashesAsync(db);

        foreach (var size in sizes)
        {
            var root = ReferenceRoot(leaves.Take(size).ToList());
            var step = size > 100 ? 13 : 1;
            for (long seq = 1; seq <= size; seq += step)
            {
                var proof = (await host.Proofs.InclusionAsync(seq, size)).ShouldNotBeNull();
                proof.Verified.ShouldBeTrue($"{seq} in {size}");
                proof.Checkpoint.TreeSize.ShouldBe(size);
                proof.LeafHash.ShouldBe(leaves[(int)seq - 1]);
                MerkleTree.VerifyInclusion(seq - 1, size, leaves[(int)seq - 1], proof.Path, root).ShouldBeTrue();
                if (size > 1)
                {
                    MerkleTree.VerifyInclusion(seq - 1, size, leaves[(int)(seq % size)], proof.Path, root).ShouldBeFalse();
                    var wrongPath = proof.Path.Select(p => p.ToArray()).ToList();
                    wrongPath[0][5] ^= 1;
                    MerkleTree.VerifyInclusion(seq - 1, size, leaves[(int)seq - 1], wrongPath, root).ShouldBeFalse();
                }
            }
        }
        // Without a tree size: the smallest checkpoint covering the entry.
        (await host.Proofs.InclusionAsync(7, null))!.Checkpoint.TreeSize.ShouldBe(257);
        (await host.Proofs.InclusionAsync(302, null)).ShouldBeNull(); // not sealed yet
        (await host.Proofs.InclusionAsync(200, 6)).ShouldBeNull();    // outside that tree

        // A changed cache node makes proofs through it fail; without the cache, proofs are computed from the leaves.
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_tree_nodes SET hash = @h WHERE level = 8 AND node_index = 0", new { h = new string('0', 64) });
        (await host.Proofs.InclusionAsync(280, 300))!.Verified.ShouldBeFalse();
        await Tamper.ExecuteAsync(db, "DELETE FROM exchange_audit_tree_nodes");
        (await host.Proofs.InclusionAsync(280, 300))!.Verified.ShouldBeTrue();
        (await host.Proofs.InclusionAsync(3, 257))!.Verified.ShouldBeTrue();

        // A tampered leaf in the database gives a proof that no longer verifies — it cannot pass.
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_entries SET leaf_hash = @h WHERE seq = 2", new { h = new string('0', 64) });
        (await host.Proofs.InclusionAsync(1, 6))!.Verified.ShouldBeFalse();
    }

    [Fact]
    public async Task Consistency_proofs_between_checkpoints_verify()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        var checkpoints = new List<AuditCheckpoint>();
        var done = 0;
        foreach (var size in new[] { 3, 256, 600 })
        {
            await host.AppendManyAsync(size - done, offset: done);
            done = size;
            checkpoints.Add((await host.Sealer.SealAsync())!);
        }
        foreach (var old in checkpoints)
            foreach (var @new in checkpoints.Where(c => c.TreeSize >= old.TreeSize))
            {
                var proof = await host.Proofs.ConsistencyAsync(old.TreeSize, @new.TreeSize);
                MerkleTree.VerifyConsistency(old.TreeSize, @new.TreeSize, Convert.FromHexString(old.RootHash), Convert.FromHexString(@new.RootHash), proof)
                    .ShouldBeTrue($"{old.TreeSize} → {@new.TreeSize}");
                if (old.TreeSize < @new.TreeSize)
                    MerkleTree.VerifyConsistency(old.TreeSize, @new.TreeSize, Convert.FromHexString(old.RootHash), Convert.FromHexString(checkpoints[0].RootHash), proof)
                        .ShouldBeFalse();
            }
    }
}

public sealed class AuditSealSqliteTests : AuditSealTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AuditSealPostgresTests : AuditSealTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
