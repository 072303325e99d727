using GovData.Tests.Common.Databases;

namespace GovData.Tests.Common;

/// <summary>
/// Assembly fixture of every test project (<c>[assembly: AssemblyFixture(typeof(TestRunLifetime))]</c>): when the
/// last test of the assembly has run, the throwaway PostgreSQL cluster is stopped and its folder deleted. A
/// process-exit handler does the same if the run ends another way.
/// </summary>
public sealed class TestRunLifetime : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await PostgresServer.StopSharedAsync();
}
