using Dapper;
using Microsoft.Data.Sqlite;

namespace GovData.Cli.Tests;

/// <summary>Outcome of one in-process CLI run.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Err}";
}

/// <summary>
/// A temporary directory with a SQLite database file; runs <c>govdata</c> in-process against it with an environment
/// that has no variables of the test process (so a GOVDATA__CONNECTIONSTRING on the machine cannot leak in).
/// </summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), "govdata-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabaseFile = Path.Combine(Directory, "govdata.db");
    }

    public string Directory { get; }
    public string DatabaseFile { get; }
    public string ConnectionString => $"Data Source={DatabaseFile}";

    /// <summary>Runs with <c>--connection</c> pointing at the temp database.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunRawAsync([.. args, "--connection", ConnectionString]);

    /// <summary>Runs exactly the given arguments, optionally with environment variables and standard input.</summary>
    public async Task<CliResult> RunRawAsync(string[] args, IReadOnlyDictionary<string, string>? variables = null, string? stdin = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            CurrentDirectory = Directory,
            Variables = WithTestDefaults(variables),
            StandardInput = new StringReader(stdin ?? ""),
        };
        var code = await CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Small demo data of the Data module (<c>seed --demo</c>): 50 rows per table, and 企业法人库 left unloaded (0 rows) so
    /// import tests start from a resource without data. A caller's variable of the same name wins.
    /// </summary>
    private static Dictionary<string, string> WithTestDefaults(IReadOnlyDictionary<string, string>? variables)
    {
        var all = new Dictionary<string, string>
        {
            ["GOVDATA__DATA__DEMOENTERPRISEROWS"] = "0",
            ["GOVDATA__DATA__DEMOROWSPERRESOURCE"] = "50",
        };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>()) all[key] = value;
        return all;
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A scalar from the database, read directly (not through the CLI).</summary>
    public T Scalar<T>(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(ConnectionString);
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public List<T> Query<T>(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(ConnectionString);
        return connection.Query<T>(sql, parameters).ToList();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a file still held open by a pooled handle elsewhere: leave it to the OS temp cleanup */ }
    }
}
