using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Features.Loading;

/// <summary>
/// A problem with one value (or, with <see cref="Column"/> -1, the whole record): the layout column it belongs to, the
/// source column name the user sees, the raw value, a rule code and the Chinese reason.
/// </summary>
internal sealed record CellProblem(int Column, string? Field, string? Value, string Rule, string Message);

/// <summary>The file cannot be loaded at all (unreadable, unknown format, required columns missing): a Chinese reason.</summary>
internal sealed class LoadInputException(string message) : Exception(message);

/// <summary>
/// A source file opened for a load: the streaming reader, with its header bound to the layout's columns and a
/// converter per column. <see cref="Convert"/> fills the typed CLR values of one record (string, decimal, double, long,
/// DateOnly, DateTime, bool, null) or reports its problems.
/// </summary>
internal interface ILoadReader : IAsyncDisposable
{
    SourceFormat Format { get; }

    /// <summary>What was detected, in Chinese (format, encoding, delimiter, mapping).</summary>
    string Description { get; }

    /// <summary>The source header (the rejected-rows file repeats it).</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>For each layout column, the index of its source column in <see cref="Header"/>, or -1 when the file has none.</summary>
    IReadOnlyList<int> SourceIndexes { get; }

    long BytesTotal { get; }

    long BytesRead { get; }

    IAsyncEnumerable<SourceRecord> ReadRecordsAsync(CancellationToken ct = default);

    /// <summary>Converts a well-formed record into <paramref name="values"/> (one per layout column); adds a problem per bad value.</summary>
    void Convert(SourceRecord record, object?[] values, List<CellProblem> problems);
}

/// <summary>Opens source files for loads (ingestion: readers, header mapping, value conversion).</summary>
internal interface ILoadReaderFactory
{
    /// <summary>
    /// Opens <paramref name="path"/> and binds its header to <paramref name="layout"/>.
    /// </summary>
    /// <exception cref="LoadInputException">The file cannot be read, or the header lacks columns of required items.</exception>
    Task<ILoadReader> OpenAsync(string path, string fileName, TableLayout layout, LoadOptions options, CancellationToken ct);
}
