using System.Text;
using GovData.Data.Features.Storage;

namespace GovData.Data.Features.Loading;

/// <summary>
/// The rejected rows of a load as CSV in the blob store: UTF-8 with BOM (opens in Excel), the source header plus
/// <c>行号</c> and <c>错误原因</c>, each rejected row with its original values. Created on the first rejected row.
/// </summary>
internal sealed class RejectedRowsFile(BlobStore blobs, IReadOnlyList<string> header) : IAsyncDisposable
{
    private StreamWriter? _writer;

    /// <summary>Relative blob path once created.</summary>
    public string? Path { get; private set; }

    /// <summary>Rows written.</summary>
    public long Rows { get; private set; }

    public async Task WriteAsync(IReadOnlyList<string?> values, long rowNumber, string reasons)
    {
        if (_writer is null)
        {
            var (path, stream) = blobs.Create(BlobStore.Rejected);
            Path = path;
            _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
            await WriteLineAsync(header.Append("行号").Append("错误原因").ToList());
        }
        var line = new List<string?>(values.Count + 2);
        line.AddRange(values);
        // Malformed records may have fewer fields than the header: pad so 行号 and 错误原因 stay in their columns.
        while (line.Count < header.Count) line.Add(null);
        line.Add(rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        line.Add(reasons);
        await WriteLineAsync(line);
        Rows++;
    }

    private async Task WriteLineAsync(IReadOnlyList<string?> fields)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            var f = fields[i] ?? "";
            if (f.IndexOfAny([',', '"', '\r', '\n']) >= 0 || f.StartsWith(' ') || f.EndsWith(' '))
                sb.Append('"').Append(f.Replace("\"", "\"\"")).Append('"');
            else sb.Append(f);
        }
        sb.Append("\r\n");
        await _writer!.WriteAsync(sb);
    }

    /// <summary>Closes the file and publishes it; returns its path (null when no row was rejected).</summary>
    public async Task<string?> CommitAsync()
    {
        if (_writer is null) return null;
        await _writer.DisposeAsync();
        _writer = null;
        blobs.Commit(Path!);
        return Path;
    }

    /// <summary>Closes and deletes the file.</summary>
    public async Task AbandonAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }
        await blobs.DeleteAsync(Path);
        Path = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await AbandonAsync();
    }
}

/// <summary>
/// Maps the running number of accepted rows (<c>_row</c>) back to the source row number, in memory proportional to the
/// number of places where the two drift apart (a rejected row, a record spanning several lines), not to the file size.
/// </summary>
internal sealed class RowNumberMap
{
    private readonly List<(long From, long Delta)> _runs = [];

    public void Note(long row, long sourceRow)
    {
        var delta = sourceRow - row;
        if (_runs.Count == 0 || _runs[^1].Delta != delta) _runs.Add((row, delta));
    }

    /// <summary>The source row number of accepted row <paramref name="row"/>.</summary>
    public long SourceRow(long row)
    {
        int lo = 0, hi = _runs.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_runs[mid].From <= row) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? row : row + _runs[found].Delta;
    }
}
