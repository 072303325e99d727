using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Features.Loading;

/// <summary>
/// The loader's view of ingestion: <see cref="BoundSource"/> (reader chosen by <see cref="TabularSources"/>, header mapping
/// automatic or corrected by the user, one <see cref="ColumnConverter"/> per column with the load's null markers).
/// </summary>
internal sealed class IngestionReaderFactory : ILoadReaderFactory
{
    public async Task<ILoadReader> OpenAsync(string path, string fileName, TableLayout layout, LoadOptions options, CancellationToken ct)
    {
        var sourceOptions = options.ToSourceOptions();
        // Uploads are stored without their extension: the submitted file name says what the file is (XLSX is always
        // recognised by its content, which also explains an old .xls).
        if (sourceOptions.Format is null && TabularSources.FormatOfExtension(fileName) is { } byName and not SourceFormat.Xlsx)
            sourceOptions = sourceOptions with { Format = byName };
        // Null markers given with the load replace the defaults (-, NULL, 无, N/A, / …); an empty cell is always null.
        var conversion = ConversionOptions.Default.WithNullMarkers(options.NullMarkers);
        try
        {
            var bound = await BoundSource.OpenAsync(path, layout.Columns, sourceOptions, conversion, options.Mapping, ct);
            return new Reader(bound, layout);
        }
        catch (SourceFormatException ex)
        {
            throw new LoadInputException(ex.Message);
        }
    }

    private sealed class Reader(BoundSource bound, TableLayout layout) : ILoadReader
    {
        private readonly List<ValueFailure> _failures = [];

        public SourceFormat Format => bound.Format;
        public string Description => bound.Description;
        public IReadOnlyList<string> Header => bound.Header;
        public IReadOnlyList<int> SourceIndexes => bound.SourceIndexes;
        public long BytesTotal => bound.BytesTotal;
        public long BytesRead => bound.BytesRead;

        public IAsyncEnumerable<SourceRecord> ReadRecordsAsync(CancellationToken ct = default) => bound.ReadRecordsAsync(ct);

        public void Convert(SourceRecord record, object?[] values, List<CellProblem> problems)
        {
            _failures.Clear();
            if (bound.Convert(record, values, _failures)) return;
            foreach (var f in _failures)
                problems.Add(new CellProblem(f.Column, f.SourceColumn ?? layout.Columns[f.Column].FieldName, f.Value, f.Problem.Rule, f.Problem.Message));
        }

        public ValueTask DisposeAsync() => bound.DisposeAsync();
    }
}
