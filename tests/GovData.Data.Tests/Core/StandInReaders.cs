using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;

namespace GovData.Data.Tests.Core;

/// <summary>
/// TEMPORARY stand-in for the ingestion adapter until the ingest branch (readers, ColumnConverter, HeaderMapping) lands
/// on main: a plain CSV reader (UTF-8 or GB18030, comma, double quotes) and minimal conversions. Removed after merging main.
/// </summary>
internal sealed class StandInReaderFactory : ILoadReaderFactory
{
    static StandInReaderFactory() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public Task<ILoadReader> OpenAsync(string path, string fileName, TableLayout layout, LoadOptions options, CancellationToken ct)
    {
        var bytes = File.ReadAllBytes(path);
        Encoding encoding;
        try { encoding = new UTF8Encoding(false, true); encoding.GetString(bytes); }
        catch (DecoderFallbackException) { encoding = Encoding.GetEncoding("gb18030"); }
        var text = encoding.GetString(bytes).TrimStart('\uFEFF');
        var records = Parse(text).ToList();
        if (records.Count == 0) throw new LoadInputException("文件为空");
        var header = records[0].Fields.Select(f => f ?? "").ToList();
        var indexes = new int[layout.Columns.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            var c = layout.Columns[i];
            var mapped = options.Mapping?.FirstOrDefault(m => string.Equals(m.Value, c.FieldName, StringComparison.OrdinalIgnoreCase) || m.Value == c.ItemName).Key;
            indexes[i] = header.FindIndex(h => mapped is not null ? h == mapped
                : string.Equals(h.Trim(), c.FieldName, StringComparison.OrdinalIgnoreCase) || h.Trim() == c.ItemName);
            if (indexes[i] < 0 && c.IsRequired) throw new LoadInputException($"文件缺少必填信息项“{c.ItemName}”（{c.FieldName}）对应的列");
        }
        return Task.FromResult<ILoadReader>(new Reader(header, indexes, records.Skip(1).ToList(), bytes.Length, layout, options,
            encoding is UTF8Encoding ? "CSV，UTF-8" : "CSV，GB18030"));
    }

    private static IEnumerable<(long Line, string?[] Fields, string? Problem)> Parse(string text)
    {
        var line = 1L;
        var i = 0;
        while (i < text.Length)
        {
            var start = line;
            var fields = new List<string?>();
            var sb = new StringBuilder();
            var quoted = false;
            string? problem = null;
            while (true)
            {
                if (i >= text.Length) { if (quoted) problem = "引号未闭合"; fields.Add(sb.ToString()); break; }
                var ch = text[i];
                if (quoted)
                {
                    if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                    if (ch == '"') { quoted = false; i++; continue; }
                    if (ch == '\n') line++;
                    sb.Append(ch); i++;
                    continue;
                }
                if (ch == '"') { quoted = true; i++; continue; }
                if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); i++; continue; }
                if (ch == '\r') { i++; continue; }
                if (ch == '\n') { fields.Add(sb.ToString()); i++; line++; break; }
                sb.Append(ch); i++;
            }
            if (fields.Count == 1 && fields[0] == "") continue;
            yield return (start, fields.ToArray(), problem);
        }
    }

    private sealed class Reader(List<string> header, int[] indexes, List<(long Line, string?[] Fields, string? Problem)> records, long size,
        TableLayout layout, LoadOptions options, string description) : ILoadReader
    {
        private long _read;
        public SourceFormat Format => SourceFormat.Csv;
        public string Description => description;
        public IReadOnlyList<string> Header => header;
        public IReadOnlyList<int> SourceIndexes => indexes;
        public long BytesTotal => size;
        public long BytesRead => records.Count == 0 ? size : size * _read / records.Count;

        public async IAsyncEnumerable<SourceRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var r in records)
            {
                ct.ThrowIfCancellationRequested();
                _read++;
                var problem = r.Problem ?? (r.Fields.Length != header.Count ? $"字段数为 {r.Fields.Length}，与表头的 {header.Count} 列不符" : null);
                yield return new SourceRecord(r.Line, r.Fields, problem);
            }
            await Task.CompletedTask;
        }

        public void Convert(SourceRecord record, object?[] values, List<CellProblem> problems)
        {
            var nulls = options.NullMarkers ?? ["", "-", "NULL"];
            for (var i = 0; i < layout.Columns.Count; i++)
            {
                var c = layout.Columns[i];
                var raw = indexes[i] >= 0 ? record.Values[indexes[i]]?.Trim() : null;
                if (raw is null || raw.Length == 0 || nulls.Contains(raw)) { values[i] = null; continue; }
                object? v = c.Kind switch
                {
                    ColumnKind.Text => raw,
                    ColumnKind.Decimal => decimal.TryParse(raw.Replace(",", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
                    ColumnKind.Double => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : null,
                    ColumnKind.Integer => long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
                    ColumnKind.Date => DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) ? dt : null,
                    ColumnKind.Timestamp => DateTime.TryParseExact(raw, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var ts) ? ts : null,
                    ColumnKind.Boolean => raw is "是" or "true" or "1" ? true : raw is "否" or "false" or "0" ? false : null,
                    _ => null,
                };
                if (v is null) problems.Add(new CellProblem(i, header[indexes[i]], raw, "TYPE", $"“{raw}”不是有效的{c.Kind}"));
                values[i] = v;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
