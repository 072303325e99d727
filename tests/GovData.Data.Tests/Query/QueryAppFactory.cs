using GovData.Data.Features.Query;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Query;

/// <summary>
/// The real host with the test's <see cref="IDataTableResolver"/> (registered after the host's own services, so it wins
/// over the load pipeline's resolver once that exists) and the <see cref="SampleTable"/> created in the host's database,
/// owned by 山东省人力资源和社会保障厅（演示）.
/// </summary>
public abstract class QueryAppFactory(DatabaseProvider provider) : GovDataAppFactory(provider)
{
    public const string Code = "303026010201/1";
    public const string PathCode = "303026010201%2F1";
    public const int RowCount = 200;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SampleTable? _sample;

    internal TestTableResolver Resolver { get; } = new();

    internal Guid DepartmentId { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IDataTableResolver>(Resolver));
    }

    internal async Task<SampleTable> SampleAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_sample is null)
            {
                var departments = await WithScopeAsync(sp => sp.GetRequiredService<IDepartmentDirectory>().ListAsync());
                DepartmentId = departments.Single(d => d.Name == "山东省人力资源和社会保障厅（演示）").Id;
                var sample = new SampleTable(Guid.CreateVersion7(), RowCount, seed: 7);
                await sample.CreateAsync(Database.Settings);
                Resolver.Register(sample.Resolved(Code, DepartmentId));
                _sample = sample;
            }
            return _sample;
        }
        finally
        {
            _gate.Release();
        }
    }
}

public sealed class SqliteQueryAppFactory() : QueryAppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresQueryAppFactory() : QueryAppFactory(DatabaseProvider.PostgreSql);
