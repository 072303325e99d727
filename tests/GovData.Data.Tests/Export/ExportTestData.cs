using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.Data.Features.Masking;

namespace GovData.Data.Tests.Export;

/// <summary>Columns of every kind (two masked, two without field code) and rows with the awkward values exports must survive.</summary>
internal static class ExportTestData
{
    public static readonly CatalogItem[] Items =
    [
        new(1, "统一社会信用代码", "credit_code", ItemDataType.C, 18, null, true, true, "GB 32100", ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "企业名称", null, ItemDataType.C, 200, null, true, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(3, "注册资本", "capital", ItemDataType.Y, 24, 3, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "成立日期", null, ItemDataType.D, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "核准时间", "approved_at", ItemDataType.T, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(7, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(8, "纬度", "lat", ItemDataType.B, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(9, "法定代表人", "legal_person", ItemDataType.C, 50, null, false, false, null, ItemSensitivity.Sensitive, MaskingRule.Name, null),
        new(10, "联系电话", "phone", ItemDataType.C, 20, null, false, false, null, ItemSensitivity.Sensitive, MaskingRule.Mobile, null),
        new(11, "1号 备注/说明", null, ItemDataType.M, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ];

    public static readonly Guid ResourceId = Guid.Parse("0195f2c4-1a2b-7c3d-8e9f-001122334455");

    public static TableLayout Layout(int version = 1) => TableLayout.For(ResourceId, version, Items);

    public static IReadOnlyList<DataColumn> Columns => Layout().Columns;

    public static ExportDataset Dataset => new("303026010201/1", "企业法人库（测试）", 3, Columns);

    /// <summary>Fresh rows every call (writers mask in place).</summary>
    public static List<object?[]> Rows() =>
    [
        ["91370000163044841F", "山东测试科技有限公司", 1234567.89m, new DateOnly(2018, 8, 31), new DateTime(2018, 8, 31, 22, 14, 50), true, 42L, 36.65, "张三", "13812341234", "普通备注"],
        ["91370100MA3C8XYZ1K", "含,逗号 与 \"引号\" 的名称", -0.5m, new DateOnly(2024, 2, 29), new DateTime(2020, 1, 1, 0, 0, 0, 500), false, -7L, 1e20, "欧阳娜娜", "1234", "多行\r\n第二行\n第三行"],
        ["91370200MA3D000001", " 前后有空格 ", 12345678901234567890.125m, new DateOnly(1899, 1, 1), new DateTime(1899, 12, 31, 8, 0, 0), true, 1234567890123456789L, 1.5e-7, "李", null, "=SUM(A1:A9)"],
        ["91370300MA3E000002", "-负号开头", 0m, null, null, null, null, null, null, null, null],
        ["91370400MA3F000003", "@提及 +加号 生僻字𠀀", 100m, new DateOnly(1900, 3, 1), new DateTime(2099, 12, 31, 23, 59, 59), false, 0L, -2.5, "司马相如", "+8613812341234", "\t制表符开头"],
        ["91370500MA3G000004", "ASCII only", 99999999999999.99m, new DateOnly(9999, 12, 31), new DateTime(1900, 3, 1, 0, 0, 1), true, long.MinValue + 1, 123456.789, "Ann", "15900001111", "'已有撇号"],
    ];

    /// <summary>Generated rows (for volume tests), all kinds filled.</summary>
    public static object?[] Generated(long i) =>
    [
        "9137" + i.ToString("D14", CultureInfo.InvariantCulture),
        "企业" + i.ToString(CultureInfo.InvariantCulture) + "号",
        (decimal)i * 1.25m,
        new DateOnly(2000, 1, 1).AddDays((int)(i % 9000)),
        new DateTime(2020, 1, 1).AddSeconds(i * 37),
        i % 3 == 0,
        i,
        i / 7.0,
        "王" + (i % 10).ToString(CultureInfo.InvariantCulture),
        "139" + (i % 100_000_000).ToString("D8", CultureInfo.InvariantCulture),
        i % 5 == 0 ? null : "备注 " + i.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>What a reader should get back: the values, masked unless raw.</summary>
    public static List<object?[]> Expected(bool raw)
    {
        var columns = Columns;
        return Rows().Select(r => r.Select((v, i) => raw ? v : Masker.Apply(columns[i], v)).ToArray()).ToList();
    }

    public static async IAsyncEnumerable<object?[]> ToAsync(IEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return (object?[])row.Clone();
        }
    }

    public static async IAsyncEnumerable<object?[]> GeneratedAsync(long count)
    {
        for (long i = 1; i <= count; i++)
        {
            if (i % 10_000 == 0) await Task.Yield();
            yield return Generated(i);
        }
    }

    /// <summary>Typed value of a text cell as written by the text exports (CSV, XML, XLSX text cells).</summary>
    public static object? Parse(DataColumn column, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return column.Kind switch
        {
            ColumnKind.Text => text,
            ColumnKind.Decimal => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
            ColumnKind.Double => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            ColumnKind.Integer => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            ColumnKind.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ColumnKind.Timestamp => DateTime.ParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"],
                CultureInfo.InvariantCulture, DateTimeStyles.None),
            ColumnKind.Boolean => text switch { "true" => true, "false" => false, _ => throw new FormatException($"not a boolean: {text}") },
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
    }

    /// <summary>Strict RFC 4180 parser (CRLF or LF records, quoted fields with "" escapes); throws on malformed input.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        var atFieldStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n')) throw new FormatException($"text after closing quote at {i}");
                    continue;
                }
                field.Append(c);
                i++;
                continue;
            }
            if (c == '"' && atFieldStart) { quoted = true; atFieldStart = false; i++; continue; }
            if (c == '"') throw new FormatException($"bare quote at {i}");
            if (c == ',') { fields.Add(field.ToString()); field.Clear(); atFieldStart = true; i++; continue; }
            if (c is '\r' or '\n')
            {
                if (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) throw new FormatException($"bare CR at {i}");
                i += c == '\r' ? 2 : 1;
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                atFieldStart = true;
                continue;
            }
            field.Append(c);
            atFieldStart = false;
            i++;
        }
        if (quoted) throw new FormatException("unterminated quote");
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add([.. fields]); }
        return records;
    }
}

/// <summary>
/// An output that behaves like Kestrel's response body: not seekable, and synchronous writes/flushes throw.
/// Collects what was written.
/// </summary>
internal sealed class AsyncOnlyStream : Stream
{
    private readonly MemoryStream _inner = new();

    public int WriteCalls { get; private set; }

    public byte[] ToArray() => _inner.ToArray();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override void Write(ReadOnlySpan<byte> buffer) =>
        throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        WriteCalls++;
        await Task.Yield();
        _inner.Write(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
