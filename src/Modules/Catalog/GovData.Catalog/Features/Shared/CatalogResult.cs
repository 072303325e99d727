namespace GovData.Catalog.Features.Shared;

/// <summary>Outcome of a catalog operation, mapped to HTTP by the endpoints and to messages by the pages.</summary>
internal sealed record CatalogResult<T>(T? Value, Dictionary<string, string[]>? Errors = null, bool NotFound = false, string? Forbidden = null, string? Conflict = null)
{
    public bool Ok => Errors is null && !NotFound && Forbidden is null && Conflict is null;

    public static CatalogResult<T> Success(T value) => new(value);
    public static CatalogResult<T> Invalid(Dictionary<string, string[]> errors) => new(default, errors);
    public static CatalogResult<T> Invalid(string field, string message) => new(default, new() { [field] = [message] });
    public static CatalogResult<T> Missing() => new(default, NotFound: true);
    public static CatalogResult<T> Deny(string reason) => new(default, Forbidden: reason);
    public static CatalogResult<T> Clash(string reason) => new(default, Conflict: reason);

    /// <summary>The same failure for another value type.</summary>
    public CatalogResult<TOther> As<TOther>() => new(default, Errors, NotFound, Forbidden, Conflict);
}
