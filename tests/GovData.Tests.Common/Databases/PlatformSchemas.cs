using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Tests.Common.Databases;

/// <summary>
/// The module schemas the web host registers (via <see cref="GovDataComposition"/>), so migration tests cover
/// every module the platform composes, including modules added later.
/// </summary>
public static class PlatformSchemas
{
    private static readonly Lazy<IReadOnlyList<ModuleSchema>> Registered = new(() =>
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["GovData:ConnectionString"] = "Data Source=unused.db" })
            .Build();
        var services = new ServiceCollection();
        services.AddGovData(configuration, Path.GetTempPath());
        return services.Where(d => d.ServiceType == typeof(ModuleSchema))
            .Select(d => d.ImplementationInstance as ModuleSchema ?? throw new InvalidOperationException("ModuleSchema registrations are instances"))
            .OrderBy(m => m.Order).ThenBy(m => m.Module)
            .ToList();
    });

    /// <summary>Every registered module schema, in migration order.</summary>
    public static IReadOnlyList<ModuleSchema> All => Registered.Value;

    /// <summary>A migrator over <paramref name="database"/> for the platform's modules plus <paramref name="extra"/>.</summary>
    public static SchemaMigrator MigratorFor(TestDatabase database, params ModuleSchema[] extra) =>
        new(database.Settings, All.Concat(extra));
}
