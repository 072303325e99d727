using GovData.Data.Features.Query;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common;
using GovData.Tests.Common.Databases;
using Microsoft.Extensions.Options;

namespace GovData.Data.Tests.Query;

/// <summary>
/// One database per engine and test class with the <see cref="SampleTable"/> loaded (3,000 rows). Created on first use
/// inside a test, so a missing PostgreSQL skips the tests (or fails on CI) instead of breaking the fixture.
/// </summary>
public abstract class QueryTableFixture(DatabaseProvider provider) : IAsyncDisposable
{
    public const int RowCount = 3000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TestDatabase? _database;
    private SampleTable? _table;

    public DatabaseProvider Provider { get; } = provider;

    internal async Task<(TestDatabase Database, SampleTable Table, RowQueryService Service)> GetAsync()
    {
        TestEnvironment.SkipOrFailWhenMissing(TestDatabase.UnavailableReason(Provider));
        await _gate.WaitAsync();
        try
        {
            if (_database is null)
            {
                var database = await TestDatabase.CreateAsync(Provider);
                var table = new SampleTable(Guid.CreateVersion7(), RowCount);
                await table.CreateAsync(database.Settings);
                (_database, _table) = (database, table);
            }
            return (_database, _table!, new RowQueryService(_database.Settings, Options.Create(new RowQueryOptions())));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteQueryTable() : QueryTableFixture(DatabaseProvider.Sqlite);

public sealed class PostgresQueryTable() : QueryTableFixture(DatabaseProvider.PostgreSql);
