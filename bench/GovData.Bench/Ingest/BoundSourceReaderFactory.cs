using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;

namespace GovData.Bench.Ingest;

/// <summary>
/// Used only while the platform registers no <see cref="ILoadReaderFactory"/> (the core branch wires ingestion's
/// <see cref="BoundSource"/> to the loader): the same binding — <c>TabularSources</c> reader, header mapping, one
/// <see cref="ColumnConverter"/> per column — so the harness can run before that lands. The harness prints which factory
/// it measured; published figures must come from the platform's own.
/// </summary>
internal sealed class BoundSourceReaderFactory : ILoadReaderFactory
{
    public async Task<ILoadReader> OpenAsync(string path, string fileName, TableLayout layout, LoadOptions options, CancellationToken ct)
    {
        try
        {
            var conversion = ConversionOptions.Default.WithNullMarkers(options.NullMarkers);
            return new Reader(await BoundSource.OpenAsync(path, layout.Columns, options.ToSourceOptions(), conversion, options.Mapping, ct));
        }
        catch (SourceFormatException ex)
        {
            throw new LoadInputException(ex.Message);
        }
    }

    private sealed class Reader(BoundSource source) : ILoadReader
    {
        private readonly List<ValueFailure> _failures = [];

        public SourceFormat Format => source.Format;
        public string Description => source.Description;
        public IReadOnlyList<string> Header => source.Header;
        public IReadOnlyList<int> SourceIndexes => source.SourceIndexes;
        public long BytesTotal => source.BytesTotal;
        public long BytesRead => source.BytesRead;

        public IAsyncEnumerable<SourceRecord> ReadRecordsAsync(CancellationToken ct = default) => source.ReadRecordsAsync(ct);

        public void Convert(SourceRecord record, object?[] values, List<CellProblem> problems)
        {
            _failures.Clear();
            if (source.Convert(record, values, _failures)) return;
            foreach (var f in _failures) problems.Add(new CellProblem(f.Column, f.SourceColumn, f.Value, f.Problem.Rule, f.Problem.Message));
        }

        public ValueTask DisposeAsync() => source.DisposeAsync();
    }
}
