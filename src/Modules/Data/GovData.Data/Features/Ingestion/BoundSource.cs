using GovData.Data.Domain;

namespace GovData.Data.Features.Ingestion;

/// <summary>One bad value of a record: the position of the data column, the source column it came from, the raw text and why.</summary>
internal sealed record ValueFailure(int Column, string? SourceColumn, string? Value, ValueProblem Problem);

/// <summary>
/// A source file bound to a version's columns — the whole reading layer in one object for the load pipeline: the reader
/// (<see cref="TabularSources"/>), the header mapping (automatic, or corrected by the user) and one converter per column.
/// <see cref="Convert"/> turns a well-formed record into the column values, reporting each bad value.
/// </summary>
internal sealed class BoundSource : IAsyncDisposable
{
    private readonly ITabularSource _source;

    private BoundSource(ITabularSource source, HeaderMapping mapping, ColumnConverter[] converters)
    {
        _source = source;
        Mapping = mapping;
        Converters = converters;
        SourceIndexes = Enumerable.Range(0, mapping.Columns.Count).Select(mapping.SourceIndexOf).ToArray();
    }

    public SourceFormat Format => _source.Format;

    /// <summary>What was detected and how the header was mapped, in Chinese.</summary>
    public string Description
    {
        get
        {
            var ignored = Mapping.UnmappedSourceColumns.Count;
            var empty = Mapping.MissingColumns.Count;
            var text = $"{_source.Description}；{Mapping.Bindings.Count}列对应数据项";
            if (ignored > 0) text += $"，忽略{ignored}列";
            if (empty > 0) text += $"，{empty}个数据项无对应列";
            return text;
        }
    }

    public IReadOnlyList<string> Header => _source.Header;

    /// <summary>For each column, the index of its source column in <see cref="Header"/>, or -1.</summary>
    public IReadOnlyList<int> SourceIndexes { get; }

    public HeaderMapping Mapping { get; }

    public IReadOnlyList<ColumnConverter> Converters { get; }

    public long BytesTotal => _source.BytesTotal;

    public long BytesRead => _source.BytesRead;

    /// <summary>
    /// Opens and binds a file. <paramref name="userMapping"/>: source header → field name (or item name / field code), an
    /// empty target ignores the source column; null or empty → automatic mapping. Throws <see cref="SourceFormatException"/> (Chinese) when the file cannot be read or the
    /// mapping has errors (a required item without a column, a user mapping naming unknown columns or items).
    /// </summary>
    public static async Task<BoundSource> OpenAsync(string path, IReadOnlyList<DataColumn> columns, SourceOptions sourceOptions,
        ConversionOptions conversion, IReadOnlyDictionary<string, string>? userMapping, CancellationToken ct = default)
    {
        var source = await TabularSources.OpenAsync(path, sourceOptions, ct);
        try
        {
            var mapping = userMapping is { Count: > 0 }
                ? HeaderMapping.WithUserMapping(source.Header, columns, userMapping.ToDictionary(m => m.Key, string? (m) => m.Value))
                : HeaderMapping.Automatic(source.Header, columns);
            if (!mapping.IsValid) throw new SourceFormatException(string.Join("；", mapping.Errors));
            return new BoundSource(source, mapping, ColumnConverter.For(columns, conversion));
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public IAsyncEnumerable<SourceRecord> ReadRecordsAsync(CancellationToken ct = default) => _source.ReadRecordsAsync(ct);

    /// <summary>
    /// Fills <paramref name="values"/> (one per column) from a well-formed record and adds a failure per bad value;
    /// returns true when every value converted. A failed value is left null.
    /// </summary>
    public bool Convert(SourceRecord record, object?[] values, ICollection<ValueFailure> failures)
    {
        var ok = true;
        var raw = record.Values;
        for (var c = 0; c < Converters.Count; c++)
        {
            var index = SourceIndexes[c];
            var text = index >= 0 && index < raw.Length ? raw[index] : null;
            if (Converters[c].TryConvert(text, out values[c], out var problem)) continue;
            ok = false;
            failures.Add(new ValueFailure(c, index >= 0 ? Header[index] : null, text, problem!));
        }
        return ok;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
