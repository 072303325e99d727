using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// Streaming reader of delimited text (CSV, TSV, semicolon or pipe separated), hand-written over a pooled char buffer.
/// <list type="bullet">
/// <item>Encoding: named in <see cref="SourceOptions.Encoding"/>, else decided over the whole file by
/// <see cref="TextEncodingDetector"/> (BOM → UTF-8/UTF-16; valid UTF-8 throughout → UTF-8; otherwise GB18030).</item>
/// <item>Delimiter: <see cref="SourceOptions.Delimiter"/>, else the one of , TAB ; | that splits the first lines (quotes
/// respected) into the same number of fields most consistently (comma on ties).</item>
/// <item>Quoting per RFC 4180 ("" inside quotes is a quote; quoted fields may span lines), tolerant of the real files:
/// quoted and unquoted fields mixed, a quote inside an unquoted field kept as written, blanks before an opening or
/// after a closing quote ignored, \n, \r\n and \r line ends, blank lines skipped, trailing empty fields beyond the header dropped.</item>
/// <item>Broken records become <see cref="SourceRecord.Problem"/>s (QUOTE: text after a closing quote, a quote never
/// closed, a quoted line break that leaves the record with the wrong number of fields; WIDTH: more or fewer fields than
/// the header; RECORD: a line over <see cref="MaxRecordChars"/>). After a QUOTE problem reading resumes at the line
/// after the one the broken record started on, so one stray quote costs one row, not the rest of the file.</item>
/// <item>Row numbers are the line the record starts on (header = its own line, normally 1).</item>
/// <item>Memory is fixed: a <see cref="ByteBlock"/>-byte read buffer and a char buffer of <see cref="InitialChars"/> that
/// grows only for a record longer than it, never beyond <see cref="MaxRecordChars"/> plus one block.</item>
/// </list>
/// </summary>
internal sealed class CsvSource : ITabularSource
{
    public const int ByteBlock = 1 << 16;
    public const int InitialChars = 1 << 17;
    public const int MaxRecordChars = 1 << 20;
    private const int MinFree = ByteBlock + 16;
    private const int SampleChars = 1 << 16;
    private const int SampleLines = 50;

    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n");

    private enum Outcome { Record, Skip, NeedMore, End }

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Decoder _decoder;
    private readonly byte[] _bytes;
    private int _bytesStart;
    private int _bytesEnd;
    private bool _streamEnded;
    private long _bytesRead;

    private char[] _chars;
    private int _pos;
    private int _len;
    private bool _final;
    private long _line = 1;
    private bool _skipToNewline;

    private char _delimiter = ',';
    private SearchValues<char> _stops = SearchValues.Create(",\r\n");
    private int _width = -1;
    private readonly List<string?> _fields = new(32);
    private bool _started;
    private bool _disposed;

    private CsvSource(Stream stream, bool ownsStream, TextEncodingInfo encoding)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        EncodingInfo = encoding;
        _decoder = encoding.Encoding.GetDecoder();
        _bytes = ArrayPool<byte>.Shared.Rent(ByteBlock);
        _chars = ArrayPool<char>.Shared.Rent(InitialChars);
        BytesTotal = stream.Length;
    }

    public SourceFormat Format => SourceFormat.Csv;

    public string Description => $"CSV，{EncodingInfo.Describe()}，{DelimiterName(Delimiter)}分隔";

    public IReadOnlyList<string> Header { get; private set; } = [];

    /// <summary>The line the header was found on (1 unless the file starts with blank lines).</summary>
    public long HeaderRowNumber { get; private set; }

    public TextEncodingInfo EncodingInfo { get; }

    public char Delimiter => _delimiter;

    public long BytesTotal { get; }

    public long BytesRead => _bytesRead;

    /// <summary>Opens a CSV file: detects encoding and delimiter and reads the header.</summary>
    public static async Task<CsvSource> OpenAsync(string path, SourceOptions options, CancellationToken ct = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            return await OpenAsync(stream, ownsStream: true, options, ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a CSV held in a seekable stream (read from position 0).</summary>
    public static async Task<CsvSource> OpenAsync(Stream stream, bool ownsStream, SourceOptions options, CancellationToken ct = default)
    {
        TextEncodingInfo encoding;
        if (options.Encoding is { Length: > 0 } name)
        {
            var named = TextEncodingDetector.Named(name);
            var preamble = 0;
            if (named.CodePage == Encoding.UTF8.CodePage && stream.CanSeek)
            {
                stream.Position = 0;
                var head = new byte[3];
                var n = await stream.ReadAtLeastAsync(head, 3, throwOnEndOfStream: false, ct);
                if (n == 3 && head is [0xEF, 0xBB, 0xBF]) preamble = 3;
            }
            encoding = new TextEncodingInfo(named, named.CodePage == 54936 ? "GB18030" : named.WebName.ToUpperInvariant(), preamble, true);
        }
        else
        {
            encoding = await TextEncodingDetector.DetectAsync(stream, ct);
        }
        if (stream.CanSeek) stream.Position = encoding.PreambleLength;

        var source = new CsvSource(stream, ownsStream, encoding);
        source._bytesRead = encoding.PreambleLength;
        try
        {
            await source.StartAsync(options, ct);
            return source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(SourceOptions options, CancellationToken ct)
    {
        while (!_final && _len < SampleChars) await FillAsync(ct);
        if (options.Delimiter is { } forced)
        {
            if (forced is '"' or '\r' or '\n') throw new SourceFormatException($"不能用“{forced}”作分隔符");
            SetDelimiter(forced);
        }
        else SetDelimiter(DetectDelimiter(_chars.AsSpan(0, _len), _final));

        while (true)
        {
            var outcome = Parse(out var record);
            if (outcome == Outcome.NeedMore) { await FillAsync(ct); continue; }
            if (outcome == Outcome.Skip) continue;
            if (outcome == Outcome.End) throw new SourceFormatException("文件为空：没有表头行");
            if (record!.Problem is not null)
                throw new SourceFormatException($"表头行（第{record.RowNumber}行）无法读取：{record.Problem}");
            var header = record.Values.Select(HeaderText.CleanHeader).ToList();
            while (header.Count > 0 && header[^1].Length == 0) header.RemoveAt(header.Count - 1);
            if (header.Count == 0) throw new SourceFormatException($"表头行（第{record.RowNumber}行）为空");
            Header = header;
            HeaderRowNumber = record.RowNumber;
            _width = header.Count;
            return;
        }
    }

    public async IAsyncEnumerable<SourceRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) throw new InvalidOperationException("数据记录只能读取一次");
        _started = true;
        var count = 0;
        while (true)
        {
            switch (Parse(out var record))
            {
                case Outcome.Record:
                    yield return record!;
                    if ((++count & 1023) == 0) ct.ThrowIfCancellationRequested();
                    break;
                case Outcome.NeedMore:
                    await FillAsync(ct);
                    break;
                case Outcome.End:
                    yield break;
            }
        }
    }

    // ---------------------------------------------------------------- parsing

    private Outcome Parse(out SourceRecord? record)
    {
        record = null;
        var buf = _chars;
        var len = _len;
        var i = _pos;

        if (_skipToNewline)
        {
            var nl = buf.AsSpan(i, len - i).IndexOfAny('\n', '\r');
            if (nl < 0)
            {
                _pos = len;
                return _final ? Outcome.End : Outcome.NeedMore;
            }
            i += nl;
            if (buf[i] == '\r' && i + 1 >= len && !_final) { _pos = i; return Outcome.NeedMore; }
            i += buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
            _line++;
            _pos = i;
            _skipToNewline = false;
        }

        // blank lines
        while (true)
        {
            if (i >= len)
            {
                _pos = i;
                return _final ? Outcome.End : Outcome.NeedMore;
            }
            var c = buf[i];
            if (c == '\n') { i++; _line++; _pos = i; continue; }
            if (c == '\r')
            {
                if (i + 1 >= len && !_final) { _pos = i; return Outcome.NeedMore; }
                i += i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
                _line++;
                _pos = i;
                continue;
            }
            break;
        }

        var start = i;
        var startLine = _line;
        var quotedBreaks = 0;
        var fields = _fields;
        fields.Clear();
        while (true)
        {
            if (i >= len)
            {
                if (!_final) return More(start, startLine, inQuotes: false, out record);
                fields.Add(""); // a delimiter right before the end of the file
                break;
            }
            if (buf[i] == ' ')
            {
                // blanks before an opening quote (a, "b,c") are not part of the value
                var q = i;
                while (q < len && buf[q] == ' ') q++;
                if (q >= len && !_final) return More(start, startLine, inQuotes: false, out record);
                if (q < len && buf[q] == '"') i = q;
            }
            if (buf[i] == '"')
            {
                var segStart = i + 1;
                var j = segStart;
                var escaped = false;
                while (true)
                {
                    var k = j < len ? buf.AsSpan(j, len - j).IndexOfAny(QuotedStops) : -1;
                    if (k < 0)
                    {
                        if (!_final) return More(start, startLine, inQuotes: true, out record);
                        return QuoteProblem(start, startLine, $"第{fields.Count + 1}个字段的引号没有闭合", out record);
                    }
                    j += k;
                    if (buf[j] == '\n')
                    {
                        quotedBreaks++;
                        j++;
                        continue;
                    }
                    if (j + 1 >= len && !_final) return More(start, startLine, inQuotes: true, out record);
                    if (j + 1 < len && buf[j + 1] == '"')
                    {
                        escaped = true;
                        j += 2;
                        continue;
                    }
                    break;
                }
                var value = escaped ? Unescape(buf.AsSpan(segStart, j - segStart)) : new string(buf, segStart, j - segStart);
                i = j + 1;
                while (i < len && buf[i] == ' ') i++;
                if (i >= len && !_final) return More(start, startLine, inQuotes: false, out record);
                if (i < len && buf[i] != _delimiter && buf[i] != '\n' && buf[i] != '\r')
                    return QuoteProblem(start, startLine, $"第{fields.Count + 1}个字段的结束引号后还有其他字符（字段内的引号应写成两个引号 \"\"）", out record);
                fields.Add(value);
            }
            else
            {
                var k = buf.AsSpan(i, len - i).IndexOfAny(_stops);
                if (k < 0)
                {
                    if (!_final) return More(start, startLine, inQuotes: false, out record);
                    k = len - i;
                }
                fields.Add(k == 0 ? "" : new string(buf, i, k));
                i += k;
            }

            if (i >= len) break; // end of file
            var c = buf[i];
            if (c == _delimiter)
            {
                i++;
                continue;
            }
            if (c == '\r')
            {
                if (i + 1 >= len && !_final) return More(start, startLine, inQuotes: false, out record);
                i += i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
            }
            else i++; // '\n'
            break;
        }

        _pos = i;
        _line = startLine + quotedBreaks + 1;

        if (_width >= 0)
        {
            while (fields.Count > _width && string.IsNullOrEmpty(fields[^1])) fields.RemoveAt(fields.Count - 1);
            if (fields.Count == 1 && _width > 1 && string.IsNullOrWhiteSpace(fields[0])) return Outcome.Skip; // a line of blanks
            if (fields.Count != _width)
            {
                if (quotedBreaks > 0)
                    return QuoteProblem(start, startLine,
                        $"引号不匹配：引号内的换行使记录跨越{quotedBreaks + 1}行，字段数为{fields.Count}个，与表头的{_width}个不符", out record);
                var diff = fields.Count < _width ? $"少{_width - fields.Count}个" : $"多{fields.Count - _width}个";
                record = new SourceRecord(startLine, fields.ToArray(), $"有{fields.Count}个字段，表头有{_width}个（{diff}）") { Rule = ValueRules.Width };
                return Outcome.Record;
            }
        }
        record = new SourceRecord(startLine, fields.ToArray(), null);
        return Outcome.Record;
    }

    /// <summary>The record does not end inside the buffer: read more — unless it is already longer than any record may be.</summary>
    private Outcome More(int start, long startLine, bool inQuotes, out SourceRecord? record)
    {
        record = null;
        _pos = start;
        _line = startLine;
        if (_len - start < MaxRecordChars) return Outcome.NeedMore;
        if (inQuotes)
            return QuoteProblem(start, startLine, $"引号没有闭合（记录超过{MaxRecordChars}个字符）", out record);
        record = new SourceRecord(startLine, [], $"记录超过{MaxRecordChars}个字符，无法读取") { Rule = ValueRules.Record };
        _skipToNewline = true;
        return Outcome.Record;
    }

    /// <summary>
    /// Reports a record with broken quoting and resumes at the line after the one it started on. The record's fields are
    /// its first line split at every delimiter (quotes ignored), for the rejected-rows file.
    /// </summary>
    private Outcome QuoteProblem(int start, long startLine, string message, out SourceRecord? record)
    {
        var rest = _chars.AsSpan(start, _len - start);
        var nl = rest.IndexOfAny('\n', '\r');
        ReadOnlySpan<char> line;
        if (nl < 0)
        {
            line = rest.Length > 4096 ? rest[..4096] : rest;
            if (_final) _pos = _len;
            else
            {
                _pos = _len;
                _skipToNewline = true;
            }
            _line = startLine;
        }
        else
        {
            line = rest[..nl];
            var next = start + nl + (rest[nl] == '\r' && nl + 1 < rest.Length && rest[nl + 1] == '\n' ? 2 : 1);
            _pos = next;
            _line = startLine + 1;
        }
        var values = new List<string?>();
        foreach (var range in line.Split(_delimiter)) values.Add(line[range].ToString());
        record = new SourceRecord(startLine, values.ToArray(), message) { Rule = ValueRules.Quote };
        return Outcome.Record;
    }

    private static string Unescape(ReadOnlySpan<char> s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            sb.Append(s[i]);
            if (s[i] == '"' && i + 1 < s.Length && s[i + 1] == '"') i++;
        }
        return sb.ToString();
    }

    // ---------------------------------------------------------------- buffer

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_pos > 0)
        {
            Array.Copy(_chars, _pos, _chars, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }
        if (_chars.Length - _len < MinFree)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _len + MinFree));
            Array.Copy(_chars, bigger, _len);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = bigger;
        }
        var added = false;
        while (!added && !_final)
        {
            if (_bytesStart == _bytesEnd && !_streamEnded)
            {
                _bytesStart = 0;
                _bytesEnd = await _stream.ReadAsync(_bytes.AsMemory(0, ByteBlock), ct);
                if (_bytesEnd == 0) _streamEnded = true;
                else _bytesRead += _bytesEnd;
            }
            _decoder.Convert(_bytes, _bytesStart, _bytesEnd - _bytesStart, _chars, _len, _chars.Length - _len, _streamEnded,
                out var used, out var produced, out var completed);
            _bytesStart += used;
            _len += produced;
            added = produced > 0;
            if (_streamEnded && _bytesStart == _bytesEnd && completed) _final = true;
        }
    }

    // ---------------------------------------------------------------- delimiter

    private void SetDelimiter(char delimiter)
    {
        _delimiter = delimiter;
        _stops = SearchValues.Create(delimiter.ToString() + "\r\n");
    }

    /// <summary>
    /// Picks , TAB ; or | from the first lines: per candidate, count its occurrences outside quotes on each line; the
    /// candidate present in the header whose count on the other lines most often equals the header's wins (comma on ties).
    /// </summary>
    internal static char DetectDelimiter(ReadOnlySpan<char> sample, bool complete)
    {
        ReadOnlySpan<char> candidates = [',', '\t', ';', '|'];
        Span<int> header = stackalloc int[4];
        Span<int> consistent = stackalloc int[4];
        Span<int> counts = stackalloc int[4];
        header.Clear();
        consistent.Clear();
        counts.Clear();
        var lines = 0;
        var inQuotes = false;
        var content = false;
        for (var i = 0; i <= sample.Length && lines < SampleLines; i++)
        {
            if (i == sample.Length && !complete) break; // a cut-off last line would not count fairly
            var c = i == sample.Length ? '\n' : sample[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
                content = true;
                continue;
            }
            if (inQuotes && i < sample.Length) continue; // delimiters and line breaks inside quotes
            if (c is '\n' or '\r')
            {
                if (content)
                {
                    for (var k = 0; k < 4; k++)
                    {
                        if (lines == 0) header[k] = counts[k];
                        else if (counts[k] == header[k]) consistent[k]++;
                    }
                    lines++;
                }
                counts.Clear();
                content = false;
                inQuotes = false;
                continue;
            }
            content = true;
            var idx = candidates.IndexOf(c);
            if (idx >= 0) counts[idx]++;
        }
        var best = -1;
        for (var k = 0; k < 4; k++)
        {
            if (header[k] == 0) continue;
            if (best < 0 || consistent[k] > consistent[best] || consistent[k] == consistent[best] && header[k] > header[best]) best = k;
        }
        return best < 0 ? ',' : candidates[best];
    }

    private static string DelimiterName(char c) => c switch
    {
        ',' => "逗号",
        '\t' => "制表符",
        ';' => "分号",
        '|' => "竖线",
        _ => $"“{c}”",
    };

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<byte>.Shared.Return(_bytes);
        if (_ownsStream) await _stream.DisposeAsync();
    }
}
