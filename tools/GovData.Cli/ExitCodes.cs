namespace GovData.Cli;

/// <summary>Process exit codes of <c>govdata</c>.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;
    /// <summary>Any other failure (database unreachable, schema not migrated, unexpected error).</summary>
    public const int Failure = 1;
    /// <summary>Invalid arguments or input rejected by a validation rule.</summary>
    public const int Validation = 2;
    /// <summary>A named user, department or file does not exist.</summary>
    public const int NotFound = 3;
    /// <summary><c>govdata audit verify</c> found the exchange audit log modified, truncated or its checkpoints invalid.</summary>
    public const int AuditFailed = 4;
}

/// <summary>A failure with a Chinese message for the operator and the exit code to end with.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Field errors from a module service, one line each.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    public static CliException Validation(string message, IReadOnlyList<string>? details = null) =>
        new(ExitCodes.Validation, message) { Details = details ?? [] };

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);
}
