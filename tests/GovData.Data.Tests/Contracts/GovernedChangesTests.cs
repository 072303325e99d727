using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Governed;
using GovData.Data.Features.Query;
using GovData.Data.Tests.Query;
using Microsoft.Extensions.Options;
using static GovData.Data.Tests.Query.SampleTable;

namespace GovData.Data.Tests.Contracts;

/// <summary>
/// The change feed of <see cref="IGovernedDataAccess"/> on real tables of two versions, on both engines: a consumer that
/// applies every page to its copy ends with exactly the current version as the policy shows it (fields and row scope),
/// rows moving in or out of the scope count as added/removed, an in-place change of the version resets the copy.
/// </summary>
public abstract class GovernedChangesTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : QueryTableFixture
{
    private const string CodeText = "303026010299/1";
    private static readonly ResourceCode Code = ResourceCode.Parse(CodeText);
    private static readonly AccessPolicy Policy = new(["credit_code", "capital", "region", "legal_person"],
        [new RowCondition("region", RowConditionOperator.Prefix, ["3701"])], Raw: true);

    /// <summary>Versions of one resource; the current one can be changed (a new load, a rollback, an in-place load).</summary>
    private sealed class VersionResolver : IDataTableResolver
    {
        public readonly Dictionary<int, ResolvedTable> Versions = new();
        public int Current;

        public Task<ResolvedTable?> ResolveAsync(ResourceCode code, int? version, CancellationToken ct) =>
            Task.FromResult(code.ToString() == CodeText && Versions.TryGetValue(version ?? Current, out var t) ? t : null);
    }

    private static ResolvedTable Resolved(SampleTable table, int version, DateTime loadedAt) =>
        new(Guid.Empty, Guid.Empty, Guid.Empty, CodeText, "变更测试", version, loadedAt, table.Layout, table.Rows.Count);

    private static bool InScope(object?[] r) => r[Region] is string s && s.StartsWith("3701", StringComparison.Ordinal);

    private static Dictionary<string, (object? Capital, object? Region, object? Person)> Expected(IEnumerable<object?[]> rows) =>
        rows.Where(InScope).ToDictionary(r => (string)r[CreditCode]!, r => (r[Capital], r[Region], r[LegalPerson]));

    /// <summary>Reads pages until the feed is up to date, applying them to <paramref name="copy"/>; returns the last cursor and the pages.</summary>
    private static async Task<(string Cursor, List<DataChangePage> Pages)> SyncAsync(IGovernedDataAccess access, string? cursor,
        Dictionary<string, (object?, object?, object?)> copy, int limit)
    {
        var pages = new List<DataChangePage>();
        while (true)
        {
            var page = await access.ChangesAsync(Code, Policy, cursor, limit);
            pages.Add(page);
            page.Fields.Select(f => f.Name).ShouldBe(["credit_code", "legal_person", "capital", "region"]);
            page.KeyFields.Select(f => f.Name).ShouldBe(["credit_code"]);
            page.Changes.Count.ShouldBeLessThanOrEqualTo(limit);
            if (page.Reset) copy.Clear();
            foreach (var change in page.Changes)
            {
                var key = (string)change.Key[0]!;
                switch (change.Kind)
                {
                    case DataChangeKind.Added:
                        copy.ContainsKey(key).ShouldBeFalse($"added twice: {key}");
                        copy[key] = (change.Values![2], change.Values[3], change.Values[1]);
                        break;
                    case DataChangeKind.Changed:
                        copy.ContainsKey(key).ShouldBeTrue($"changed before added: {key}");
                        copy[key] = (change.Values![2], change.Values[3], change.Values[1]);
                        break;
                    case DataChangeKind.Removed:
                        copy.Remove(key).ShouldBeTrue($"removed but not there: {key}");
                        change.Values.ShouldBeNull();
                        break;
                }
            }
            cursor = page.Cursor;
            if (page.UpToDate) return (cursor, pages);
            pages.Count.ShouldBeLessThan(1000);
        }
    }

    [Fact]
    public async Task A_copy_kept_with_the_feed_equals_the_current_version_under_the_policy()
    {
        var (database, _, service) = await fixture.GetAsync();
        var resourceId = Guid.CreateVersion7();
        var v1 = new SampleTable(resourceId, 400, seed: 31);
        await v1.CreateAsync(database.Settings);
        var resolver = new VersionResolver { Current = 1 };
        var loaded1 = new DateTime(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc);
        resolver.Versions[1] = Resolved(v1, 1, loaded1);
        var access = new GovernedDataAccess(resolver, service, database.Settings, Options.Create(new RowQueryOptions()));

        var copy = new Dictionary<string, (object?, object?, object?)>();
        var (cursor, pages) = await SyncAsync(access, null, copy, limit: 37);
        pages.ShouldAllBe(p => p.FromVersion == 0 && p.ToVersion == 1 && !p.Reset);
        pages.SelectMany(p => p.Changes).ShouldAllBe(c => c.Kind == DataChangeKind.Added);
        pages.Count.ShouldBeGreaterThan(2);
        copy.ShouldBe(Expected(v1.Rows).ToDictionary(e => e.Key, e => ((object?, object?, object?))e.Value), ignoreOrder: true);

        // Nothing new: the same cursor, no changes.
        var idle = await access.ChangesAsync(Code, Policy, cursor, 10);
        idle.Changes.ShouldBeEmpty();
        idle.UpToDate.ShouldBeTrue();
        idle.Cursor.ShouldBe(cursor);

        // Version 2: rows removed, values changed, rows moved out of and into the scope, rows added.
        var rows2 = new List<object?[]>();
        for (var i = 0; i < v1.Rows.Count; i++)
        {
            if (i % 10 == 0) continue;
            var row = (object?[])v1.Rows[i].Clone();
            if (i % 7 == 0) row[Capital] = 123456.78m + i;
            if (i % 13 == 0) row[Region] = InScope(row) ? "370202" : "370102";
            if (i % 17 == 0) row[Staff] = 99L;   // a field outside the policy: not a change for this consumer
            rows2.Add(row);
        }
        for (var i = 0; i < 25; i++)
            rows2.Add(["91370000" + (5_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "新增" + i, 1000m * i, null, null, null, null, true, null, null, i % 2 == 0 ? "370103" : "370202"]);
        var v2 = new SampleTable(TableLayout.For(resourceId, 2, Items), rows2);
        await v2.CreateAsync(database.Settings);
        resolver.Versions[2] = Resolved(v2, 2, loaded1.AddDays(1));
        resolver.Current = 2;

        (cursor, pages) = await SyncAsync(access, cursor, copy, limit: 11);
        pages.ShouldAllBe(p => p.FromVersion == 1 && p.ToVersion == 2 && !p.Reset);
        copy.ShouldBe(Expected(rows2).ToDictionary(e => e.Key, e => ((object?, object?, object?))e.Value), ignoreOrder: true);
        var changes = pages.SelectMany(p => p.Changes).ToList();
        var before = Expected(v1.Rows);
        var after = Expected(rows2);
        changes.Count(c => c.Kind == DataChangeKind.Added).ShouldBe(after.Keys.Except(before.Keys).Count());
        changes.Count(c => c.Kind == DataChangeKind.Removed).ShouldBe(before.Keys.Except(after.Keys).Count());
        changes.Count(c => c.Kind == DataChangeKind.Changed).ShouldBe(after.Keys.Intersect(before.Keys).Count(k => !Equals(after[k], before[k])));
        changes.Count(c => c.Kind == DataChangeKind.Changed).ShouldBeGreaterThan(3);
        // Ordered by key, by code point.
        changes.Select(c => (string)c.Key[0]!).ShouldBe(changes.Select(c => (string)c.Key[0]!).Order(StringComparer.Ordinal));

        // An append or upsert into version 2 changes it in place: the feed starts the copy again.
        resolver.Versions[2] = Resolved(v2, 2, loaded1.AddDays(2));
        var reset = await access.ChangesAsync(Code, Policy, cursor, 10_000);
        reset.Reset.ShouldBeTrue();
        reset.FromVersion.ShouldBe(0);
        reset.ToVersion.ShouldBe(2);
        reset.Changes.Count.ShouldBe(after.Count);
        reset.UpToDate.ShouldBeTrue();

        // A rollback to version 1 also starts again.
        resolver.Current = 1;
        var rolledBack = await access.ChangesAsync(Code, Policy, reset.Cursor, 10_000);
        rolledBack.Reset.ShouldBeTrue();
        rolledBack.ToVersion.ShouldBe(1);
        rolledBack.Changes.Count.ShouldBe(before.Count);
    }

    [Fact]
    public async Task The_feed_needs_granted_unmasked_keys_and_a_valid_cursor()
    {
        var (database, table, service) = await fixture.GetAsync();
        var resolver = new VersionResolver { Current = 1 };
        resolver.Versions[1] = Resolved(table, 1, new DateTime(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc));
        var access = new GovernedDataAccess(resolver, service, database.Settings, Options.Create(new RowQueryOptions()));
        var noKey = await Should.ThrowAsync<DataAccessException>(() => access.ChangesAsync(Code, new AccessPolicy(["capital"], [], true), null, 10));
        noKey.Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        noKey.Message.ShouldContain("credit_code");
        (await Should.ThrowAsync<DataAccessException>(() => access.ChangesAsync(Code, Policy, "not-a-cursor", 10))).Parameter.ShouldBe("cursor");
        (await Should.ThrowAsync<DataAccessException>(() => access.ChangesAsync(Code, Policy, null, 0))).Parameter.ShouldBe("limit");
        var page = await access.ChangesAsync(Code, new AccessPolicy(["credit_code", "legal_person"], [], Raw: false), null, 5);
        page.Fields.Single(f => f.Name == "legal_person").Masked.ShouldBeTrue();
        page.Changes.ShouldAllBe(c => c.Values![1] == null || ((string)c.Values[1]!).Contains('*'));
    }
}

public sealed class SqliteGovernedChangesTests(SqliteQueryTable fixture) : GovernedChangesTests<SqliteQueryTable>(fixture);

public sealed class PostgresGovernedChangesTests(PostgresQueryTable fixture) : GovernedChangesTests<PostgresQueryTable>(fixture);
