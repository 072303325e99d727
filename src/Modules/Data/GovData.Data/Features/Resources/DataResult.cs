namespace GovData.Data.Features.Resources;

/// <summary>Outcome of a Data core operation: a value, or a Chinese reason with its HTTP meaning.</summary>
internal sealed record DataResult<T>
{
    public T? Value { get; init; }
    /// <summary>404: unknown, or outside the caller's reach.</summary>
    public string? NotFound { get; init; }
    /// <summary>409: the state does not allow it.</summary>
    public string? Conflict { get; init; }
    /// <summary>403.</summary>
    public string? Forbidden { get; init; }
    /// <summary>400 per field.</summary>
    public Dictionary<string, string[]>? Errors { get; init; }

    public bool Ok => NotFound is null && Conflict is null && Forbidden is null && Errors is null;

    public static DataResult<T> Success(T value) => new() { Value = value };
    public static DataResult<T> Missing(string message) => new() { NotFound = message };
    public static DataResult<T> Refused(string message) => new() { Conflict = message };
    public static DataResult<T> Denied(string message) => new() { Forbidden = message };
    public static DataResult<T> Invalid(string field, string message) => new() { Errors = new() { [field] = [message] } };
    public static DataResult<T> Invalid(Dictionary<string, string[]> errors) => new() { Errors = errors };

    /// <summary>The same failure for another value type.</summary>
    public DataResult<TOther> As<TOther>() => new() { NotFound = NotFound, Conflict = Conflict, Forbidden = Forbidden, Errors = Errors };
}
