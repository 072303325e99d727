namespace GovData.Data.Contracts;

/// <summary>Why governed access was refused.</summary>
public enum DataAccessErrorKind
{
    /// <summary>A parameter is wrong (HTTP 400).</summary>
    InvalidRequest = 1,
    /// <summary>The policy does not allow it, or cannot be enforced on the current version (HTTP 403).</summary>
    Forbidden = 2,
    /// <summary>No readable data, or a version the request refers to is gone (HTTP 404).</summary>
    NotFound = 3,
}

/// <summary>
/// A refused governed access: <see cref="Parameter"/> names what is at fault (a query parameter, <c>keys.credit_code</c>,
/// <c>policy</c> …) and the message is Chinese. Messages of 核验 never contain the values given.
/// </summary>
public sealed class DataAccessException(DataAccessErrorKind kind, string parameter, string message) : Exception(message)
{
    /// <summary>What kind of refusal.</summary>
    public DataAccessErrorKind Kind { get; } = kind;

    /// <summary>The parameter at fault.</summary>
    public string Parameter { get; } = parameter;
}
