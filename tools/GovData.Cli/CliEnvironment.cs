using System.Collections;

namespace GovData.Cli;

/// <summary>
/// What the CLI reads from its process besides the arguments: working directory, environment variables and
/// standard input. Injected so tests run the CLI in-process without touching the test process's environment.
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>Directory relative paths (data folder, import files, appsettings.json) are resolved against.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>Environment variables (names are case-sensitive, as on Linux).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Standard input, read by <c>--password-stdin</c>.</summary>
    public TextReader StandardInput { get; init; } = TextReader.Null;

    /// <summary>The real process environment.</summary>
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string k && e.Value is string v) variables[k] = v;
        return new CliEnvironment { CurrentDirectory = Environment.CurrentDirectory, Variables = variables, StandardInput = Console.In };
    }

    /// <summary>One variable, or null when unset or empty.</summary>
    public string? Get(string name) => Variables.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>A path relative to <see cref="CurrentDirectory"/> made absolute.</summary>
    public string FullPath(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(CurrentDirectory, path));
}
