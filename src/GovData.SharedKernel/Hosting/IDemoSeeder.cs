namespace GovData.SharedKernel.Hosting;

/// <summary>
/// Seeds a module's demo data (演示数据). Seeders run in <see cref="Order"/> and each runs once per
/// database: completion is recorded in <c>platform_seed_history</c>.
/// </summary>
public interface IDemoSeeder
{
    /// <summary>Module name recorded in the seed history.</summary>
    string Module { get; }

    /// <summary>Dependency order (Identity first).</summary>
    int Order { get; }

    /// <summary>Writes the demo data. Runs inside a fresh DI scope.</summary>
    Task SeedAsync(IServiceProvider services, CancellationToken ct);
}
