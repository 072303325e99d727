using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Query;
using GovData.Data.Persistence;
using GovData.Data.Tests.Core;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GovData.Data.Tests.Query;

public sealed class SqliteQueryOverLoadedDataTests() : QueryOverLoadedDataTests(DatabaseProvider.Sqlite);

public sealed class PostgresQueryOverLoadedDataTests() : QueryOverLoadedDataTests(DatabaseProvider.PostgreSql);

/// <summary>The query side over a version loaded by the real pipeline (Shenzhen card file) and resolved by the core's resolver.</summary>
public abstract class QueryOverLoadedDataTests(DatabaseProvider provider) : IAsyncLifetime
{
    private CoreHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await CoreHost.CreateAsync(provider);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Loaded_data_is_queried_paged_and_aggregated()
    {
        _host.Publish("3010010201/60", "深圳通刷卡数据", ShenzhenTests.Items, UpdateCycle.Daily);
        var outcome = await _host.LoadAsync("3010010201/60", Path.Combine(AppContext.BaseDirectory, "Fixtures", "shenzhen-szt-card-10000.csv"));
        outcome.Status.ShouldBe(LoadStatus.Succeeded, outcome.Message);
        var table = await _host.WithScopeAsync(sp => sp.GetRequiredService<IDataTableResolver>().ResolveAsync(ResourceCode.Parse("3010010201/60"), null, default));
        table.ShouldNotBeNull();
        var service = new RowQueryService(_host.Db.Settings, Options.Create(new RowQueryOptions()));
        var options = new RowQueryOptions();
        RowQuery Q(string qs) => RowQueryParser.ParseRows(table.Layout, QueryString.Parse(qs), options);

        var all = await service.QueryAsync(table, Q("limit=10000&fields=deal_date,card_no,deal_value,deal_money,company_name"), true, default);
        all.Total.ShouldBe(10_000);
        all.Rows.Count.ShouldBe(10_000);
        all.Rows.All(r => r[0] is DateTime).ShouldBeTrue();

        var byOffset = new List<string>();
        for (var offset = 0; offset < 10_000; offset += 1000)
            byOffset.AddRange((await service.QueryAsync(table, Q($"sort=-deal_date,company_name&fields=card_no,deal_date&limit=1000&offset={offset}"), true, default)).Rows.Select(r => (string)r[0]! + r[1]));
        var byKeyset = new List<string>();
        string? after = null;
        do
        {
            var page = await service.QueryAsync(table, Q("sort=-deal_date,company_name&fields=card_no,deal_date&limit=1000&count=false" + (after is null ? "" : "&after=" + after)), true, default);
            byKeyset.AddRange(page.Rows.Select(r => (string)r[0]! + r[1]));
            after = page.Next;
        } while (after is not null);
        byKeyset.ShouldBe(byOffset);

        var agg = await service.AggregateAsync(table, RowQueryParser.ParseAggregate(table.Layout,
            QueryString.Parse("group=company_name&agg=count,sum:deal_money&sort=-count"), options), true, default);
        var expected = all.Rows.GroupBy(r => (string?)r[4]).ToDictionary(g => g.Key ?? "", g => (Count: (long)g.Count(), Sum: g.Select(r => r[3]).OfType<decimal>().Sum()));
        agg.Rows.Count.ShouldBe(expected.Count);
        foreach (var row in agg.Rows)
        {
            var e = expected[(string?)row[0] ?? ""];
            row[1].ShouldBe(e.Count);
            ((decimal)row[2]!).ShouldBe(e.Sum, 0.001m);
        }
        var money = (decimal)all.Rows.First(r => r[3] is decimal)[3]!;
        var hits = await service.QueryAsync(table, Q("deal_value=" + money.ToString(CultureInfo.InvariantCulture) + "&limit=10000"), true, default);
        hits.Total.ShouldBe(all.Rows.Count(r => r[2] is decimal d && d == money));
    }
}
