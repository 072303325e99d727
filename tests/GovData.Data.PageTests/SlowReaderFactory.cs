using System.Runtime.CompilerServices;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;

namespace GovData.Data.PageTests;

/// <summary>
/// The host's real reader factory, slowed down for files whose name starts with <see cref="Prefix"/>: every record waits
/// <see cref="DelayPerRecord"/>, so a test can see a load running and cancel it without racing a fast loader.
/// </summary>
internal sealed class SlowReaderFactory(IngestionReaderFactory inner) : ILoadReaderFactory
{
    public const string Prefix = "慢速";
    public static readonly TimeSpan DelayPerRecord = TimeSpan.FromMilliseconds(2);

    public async Task<ILoadReader> OpenAsync(string path, string fileName, TableLayout layout, LoadOptions options, CancellationToken ct)
    {
        var reader = await inner.OpenAsync(path, fileName, layout, options, ct);
        return fileName.StartsWith(Prefix, StringComparison.Ordinal) ? new Reader(reader) : reader;
    }

    private sealed class Reader(ILoadReader inner) : ILoadReader
    {
        public SourceFormat Format => inner.Format;
        public string Description => inner.Description;
        public IReadOnlyList<string> Header => inner.Header;
        public IReadOnlyList<int> SourceIndexes => inner.SourceIndexes;
        public long BytesTotal => inner.BytesTotal;
        public long BytesRead => inner.BytesRead;
        public void Convert(SourceRecord record, object?[] values, List<CellProblem> problems) => inner.Convert(record, values, problems);
        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public async IAsyncEnumerable<SourceRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken ct = default)
        {
            await foreach (var record in inner.ReadRecordsAsync(ct))
            {
                await Task.Delay(DelayPerRecord, ct);
                yield return record;
            }
        }
    }
}
