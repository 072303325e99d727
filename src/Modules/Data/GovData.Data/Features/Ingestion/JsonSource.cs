using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// Streaming reader of JSON data: a top-level array of objects (<c>[{...},{...}]</c>, pretty-printed or not) or NDJSON
/// (one object per line), told apart by the first character (<c>[</c> or <c>{</c>) unless the format is given.
/// <list type="bullet">
/// <item>Utf8JsonReader over a pooled byte buffer, one object at a time (an object may not exceed <see cref="MaxRecordBytes"/>).</item>
/// <item>Header: the keys of ALL objects in first-seen order, collected by a first pass over the file (constant memory:
/// only the keys are kept, at most <see cref="MaxKeys"/>), so a key that first appears in the 5,000th object is a column
/// like any other. An object without a key has null there.</item>
/// <item>Values: strings as they are, numbers as their JSON text (invariant, digits kept exactly), true/false as
/// "true"/"false", null as null. A nested object or array is a RECORD problem naming the key.</item>
/// <item>Array: row number = the object's position (1-based); an element that is not an object is a RECORD problem; a
/// syntax error makes the rest of the file unreadable and is raised as <see cref="SourceFormatException"/> (by the first
/// pass, before any record is returned). NDJSON: row number = line number; a line that is not valid JSON or not an object
/// is a RECORD problem and reading goes on with the next line; blank lines are skipped.</item>
/// <item>UTF-8 only (RFC 8259), BOM allowed; comments and trailing commas tolerated.</item>
/// </list>
/// </summary>
internal sealed class JsonSource : ITabularSource
{
    public const int InitialBytes = 1 << 16;
    public const int MaxRecordBytes = 1 << 22;
    public const int MaxKeys = 1024;

    private readonly Stream _stream;
    private readonly KeyTable _keys;
    private readonly Scanner _scanner;
    private bool _started;
    private bool _disposed;

    private JsonSource(Stream stream, bool ndjson, KeyTable keys)
    {
        _stream = stream;
        _keys = keys;
        Ndjson = ndjson;
        BytesTotal = stream.Length;
        stream.Position = 0;
        _scanner = new Scanner(stream, ndjson, keys, collectKeys: false);
    }

    public SourceFormat Format => Ndjson ? SourceFormat.Ndjson : SourceFormat.Json;

    public bool Ndjson { get; }

    public string Description => Ndjson
        ? $"NDJSON（每行一个 JSON 对象），{Header.Count}个键"
        : $"JSON 对象数组，{Header.Count}个键";

    public IReadOnlyList<string> Header => _keys.Names;

    public long BytesTotal { get; }

    public long BytesRead => _scanner.BytesRead;

    public static async Task<JsonSource> OpenAsync(string path, SourceOptions options, CancellationToken ct = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            return await OpenAsync(stream, options, ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens JSON held in a seekable stream; the source owns and disposes it.</summary>
    public static async Task<JsonSource> OpenAsync(Stream stream, SourceOptions options, CancellationToken ct = default)
    {
        if (options.Encoding is { Length: > 0 } enc && TextEncodingDetector.Named(enc).CodePage != Encoding.UTF8.CodePage)
            throw new SourceFormatException($"JSON 文件只支持 UTF-8 编码，不能按“{enc}”读取");
        stream.Position = 0;
        var first = await FirstSignificantByteAsync(stream, ct);
        bool ndjson = first switch
        {
            (byte)'[' => false,
            (byte)'{' => true,
            -1 => throw new SourceFormatException("文件为空：没有 JSON 数据"),
            _ => throw new SourceFormatException("不是 JSON 对象数组或 NDJSON：文件应以“[”或“{”开头"),
        };
        if (options.Format == SourceFormat.Ndjson && !ndjson)
            throw new SourceFormatException("文件以“[”开头，是 JSON 数组而不是 NDJSON（每行一个对象）");

        var keys = new KeyTable();
        stream.Position = 0;
        var pass = new Scanner(stream, ndjson, keys, collectKeys: true);
        try
        {
            var count = 0;
            while (true)
            {
                var step = pass.Next(out _);
                if (step == Scanner.Step.End) break;
                if (step == Scanner.Step.NeedMore) await pass.FillAsync(ct);
                else if ((++count & 1023) == 0) ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            pass.Release();
        }
        if (keys.Count == 0) throw new SourceFormatException("JSON 文件中没有任何含键的对象，无法确定字段");
        return new JsonSource(stream, ndjson, keys);
    }

    private static async Task<int> FirstSignificantByteAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var first = true;
        while (true)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0) return -1;
            var span = buffer.AsSpan(0, n);
            if (first && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
            first = false;
            foreach (var b in span)
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
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
            var step = _scanner.Next(out var record);
            if (step == Scanner.Step.End) yield break;
            if (step == Scanner.Step.NeedMore)
            {
                await _scanner.FillAsync(ct);
                continue;
            }
            yield return record!;
            if ((++count & 1023) == 0) ct.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _scanner.Release();
        await _stream.DisposeAsync();
    }

    /// <summary>Keys in first-seen order, with their UTF-8 bytes for allocation-free matching.</summary>
    private sealed class KeyTable
    {
        private readonly List<byte[]> _utf8 = [];
        public List<string> Names { get; } = [];
        public int Count => Names.Count;

        public int Find(ref Utf8JsonReader reader, int hint)
        {
            if (hint < _utf8.Count && reader.ValueTextEquals(_utf8[hint])) return hint;
            for (var i = 0; i < _utf8.Count; i++)
                if (i != hint && reader.ValueTextEquals(_utf8[i])) return i;
            return -1;
        }

        public int Add(string name)
        {
            if (Names.Count >= MaxKeys) throw new SourceFormatException($"JSON 对象的键超过{MaxKeys}个，不像是表格数据");
            Names.Add(name);
            _utf8.Add(Encoding.UTF8.GetBytes(name));
            return Names.Count - 1;
        }
    }

    /// <summary>One pass over the file: the keys pass (collects keys, validates) or the records pass.</summary>
    private sealed class Scanner(Stream stream, bool ndjson, KeyTable keys, bool collectKeys)
    {
        public enum Step { Record, NeedMore, End }

        private static readonly JsonReaderOptions Options = new()
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 64,
        };

        private byte[] _buf = ArrayPool<byte>.Shared.Rent(InitialBytes);
        private int _pos;
        private int _len;
        private bool _final;
        private bool _firstFill = true;
        private long _line = 1;
        private long _index;
        private bool _started;
        private bool _afterElement;
        private bool _ended;
        private bool _skipLine;

        public long BytesRead { get; private set; }

        public void Release()
        {
            if (_buf.Length == 0) return;
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = [];
        }

        public async ValueTask FillAsync(CancellationToken ct)
        {
            if (_pos > 0)
            {
                Array.Copy(_buf, _pos, _buf, 0, _len - _pos);
                _len -= _pos;
                _pos = 0;
            }
            if (_buf.Length - _len < InitialBytes / 2)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_buf.Length * 2);
                Array.Copy(_buf, bigger, _len);
                ArrayPool<byte>.Shared.Return(_buf);
                _buf = bigger;
            }
            var n = await stream.ReadAsync(_buf.AsMemory(_len), ct);
            if (n == 0) _final = true;
            BytesRead += n;
            _len += n;
            if (_firstFill && _len >= 3 && _buf.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _pos = 3;
            if (_firstFill && (_len >= 3 || _final)) _firstFill = false;
        }

        public Step Next(out SourceRecord? record)
        {
            record = null;
            if (_firstFill && !_final) return Step.NeedMore;
            return ndjson ? NextLine(out record) : NextElement(out record);
        }

        private Step NextElement(out SourceRecord? record)
        {
            record = null;
            while (true)
            {
                while (_pos < _len && _buf[_pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    if (_buf[_pos] == (byte)'\n') _line++;
                    _pos++;
                }
                if (_pos >= _len)
                {
                    if (!_final) return Step.NeedMore;
                    if (!_ended) throw new SourceFormatException($"JSON 数组没有结束：文件在第{_line}行意外结束（缺少“]”）");
                    return Step.End;
                }
                var b = _buf[_pos];
                if (_ended)
                    throw new SourceFormatException($"JSON 语法错误（第{_line}行）：数组结束“]”之后还有其他内容");
                if (!_started)
                {
                    if (b != (byte)'[') throw new SourceFormatException("JSON 文件应以“[”开头");
                    _started = true;
                    _pos++;
                    continue;
                }
                if (_afterElement)
                {
                    if (b == (byte)',') { _pos++; _afterElement = false; continue; }
                    if (b == (byte)']') { _pos++; _ended = true; continue; }
                    throw new SourceFormatException($"JSON 语法错误（第{_line}行，第{_index}个对象之后）：数组元素之间缺少逗号");
                }
                if (b == (byte)']') { _pos++; _ended = true; continue; }

                var span = _buf.AsSpan(_pos, _len - _pos);
                // never a final block: an object cut off by the end of the file reads as incomplete, not as a syntax error
                var reader = new Utf8JsonReader(span, isFinalBlock: false, new JsonReaderState(Options));
                string?[]? values;
                string? problem;
                bool complete;
                try
                {
                    complete = ReadElement(ref reader, out values, out problem);
                }
                catch (JsonException ex)
                {
                    throw new SourceFormatException(
                        $"JSON 语法错误（第{_line + (ex.LineNumber ?? 0)}行附近，第{_index + 1}个对象）：{Explain(ex)}，其后的内容无法读取");
                }
                catch (InvalidOperationException) when (!Utf8.IsValid(span))
                {
                    throw new SourceFormatException($"JSON 文件应为 UTF-8 编码：第{_index + 1}个对象含有无效的 UTF-8 字节（可能是 GBK/GB18030，请转换为 UTF-8）");
                }
                if (!complete)
                {
                    if (_final) throw new SourceFormatException($"JSON 数组没有结束：第{_index + 1}个对象不完整");
                    if (_len - _pos >= MaxRecordBytes)
                        throw new SourceFormatException($"第{_index + 1}个 JSON 对象超过{MaxRecordBytes / 1024 / 1024} MB，不像是表格数据");
                    return Step.NeedMore;
                }
                var consumed = (int)reader.BytesConsumed;
                var element = span[..consumed];
                if (collectKeys && !Utf8.IsValid(element))
                    throw new SourceFormatException($"JSON 文件应为 UTF-8 编码：第{_index + 1}个对象含有无效的 UTF-8 字节（可能是 GBK/GB18030，请转换为 UTF-8）");
                _line += element.Count((byte)'\n');
                _pos += consumed;
                _index++;
                _afterElement = true;
                record = new SourceRecord(_index, values ?? [], problem) { Rule = problem is null ? null : ValueRules.Record };
                return Step.Record;
            }
        }

        private Step NextLine(out SourceRecord? record)
        {
            record = null;
            while (true)
            {
                if (_pos >= _len) return _final ? Step.End : Step.NeedMore;
                var rest = _buf.AsSpan(_pos, _len - _pos);
                var nl = rest.IndexOf((byte)'\n');
                if (nl < 0 && !_final)
                {
                    if (rest.Length < MaxRecordBytes) return Step.NeedMore;
                    // a line longer than any record: report it once, then drop bytes until its end
                    if (!_skipLine)
                    {
                        _skipLine = true;
                        _pos = _len;
                        record = collectKeys ? null : Problem(_line, $"这一行超过{MaxRecordBytes / 1024 / 1024} MB，不像是一条记录");
                        return collectKeys ? Step.NeedMore : Step.Record;
                    }
                    _pos = _len;
                    return Step.NeedMore;
                }
                var lineLength = nl < 0 ? rest.Length : nl;
                var line = rest[..lineLength];
                var number = _line;
                _pos += nl < 0 ? lineLength : nl + 1;
                _line++;
                if (_skipLine)
                {
                    _skipLine = false;
                    continue;
                }
                line = line.Trim(" \t\r"u8);
                if (line.IsEmpty) continue;

                if (collectKeys && !Utf8.IsValid(line))
                    throw new SourceFormatException($"JSON 文件应为 UTF-8 编码：第{number}行含有无效的 UTF-8 字节（可能是 GBK/GB18030，请转换为 UTF-8）");
                var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(Options));
                string?[]? values;
                string? problem;
                try
                {
                    ReadElement(ref reader, out values, out problem);
                    if (reader.Read()) problem ??= "一行只能有一个 JSON 对象";
                }
                catch (InvalidOperationException) when (!Utf8.IsValid(line))
                {
                    throw new SourceFormatException($"JSON 文件应为 UTF-8 编码：第{number}行含有无效的 UTF-8 字节（可能是 GBK/GB18030，请转换为 UTF-8）");
                }
                catch (JsonException ex)
                {
                    if (collectKeys) continue;
                    record = Problem(number, $"不是有效的 JSON：{Explain(ex)}");
                    return Step.Record;
                }
                if (collectKeys) continue;
                record = new SourceRecord(number, values ?? [], problem) { Rule = problem is null ? null : ValueRules.Record };
                return Step.Record;
            }
        }

        private SourceRecord Problem(long row, string message) =>
            new(row, new string?[keys.Count], message) { Rule = ValueRules.Record };

        /// <summary>Reads one element; false when the buffer ends inside it.</summary>
        private bool ReadElement(ref Utf8JsonReader reader, out string?[]? values, out string? problem)
        {
            values = null;
            problem = null;
            if (!reader.Read()) return false;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                if (reader.TokenType == JsonTokenType.StartArray && !reader.TrySkip()) return false;
                problem = ndjson ? "这一行不是 JSON 对象" : "数组元素不是 JSON 对象";
                values = collectKeys ? null : new string?[keys.Count];
                return true;
            }
            if (!collectKeys) values = new string?[keys.Count];
            var ordinal = 0;
            while (true)
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.EndObject) return true;
                var index = keys.Find(ref reader, ordinal++);
                if (index < 0 && collectKeys) index = keys.Add(reader.GetString() ?? "");
                if (!reader.Read()) return false;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        if (values is not null && index >= 0) values[index] = reader.GetString();
                        break;
                    case JsonTokenType.Number:
                        if (values is not null && index >= 0) values[index] = Encoding.UTF8.GetString(reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                        if (values is not null && index >= 0) values[index] = "true";
                        break;
                    case JsonTokenType.False:
                        if (values is not null && index >= 0) values[index] = "false";
                        break;
                    case JsonTokenType.Null:
                        if (values is not null && index >= 0) values[index] = null;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (!collectKeys && index >= 0)
                            problem ??= $"键“{keys.Names[index]}”的值是嵌套的{(reader.TokenType == JsonTokenType.StartObject ? "对象" : "数组")}，只支持文本、数值、逻辑值或 null";
                        if (!reader.TrySkip()) return false;
                        break;
                }
            }
        }

        private static string Explain(JsonException ex) =>
            ex.BytePositionInLine is { } col ? $"第{col + 1}个字节附近格式错误" : "格式错误";
    }
}
