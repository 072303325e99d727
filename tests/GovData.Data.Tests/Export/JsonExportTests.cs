using System.Globalization;
using System.Text;
using System.Text.Json;
using GovData.Data.Domain;
using GovData.Data.Features.Export;

namespace GovData.Data.Tests.Export;

public sealed class JsonExportTests
{
    private static async Task<string> ExportAsync(bool lines, bool raw, IAsyncEnumerable<object?[]>? rows = null)
    {
        var output = new AsyncOnlyStream();
        await JsonExportWriter.WriteAsync(ExportTestData.Columns, rows ?? ExportTestData.ToAsync(ExportTestData.Rows()), output, raw, lines);
        return new UTF8Encoding(false, true).GetString(output.ToArray());
    }

    /// <summary>The typed value of a JSON property, read as the column's kind.</summary>
    private static object? Read(DataColumn column, JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => column.Kind switch
        {
            ColumnKind.Decimal => e.GetDecimal(),
            ColumnKind.Double => e.GetDouble(),
            ColumnKind.Integer => e.GetInt64(),
            _ => throw new InvalidDataException($"{column.FieldName}: number for a {column.Kind} column"),
        },
        JsonValueKind.String => column.Kind switch
        {
            ColumnKind.Date => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ColumnKind.Timestamp => e.GetDateTime(),
            _ => e.GetString(),
        },
        _ => throw new InvalidDataException(e.ValueKind.ToString()),
    };

    private static void ShouldMatch(IReadOnlyList<JsonElement> objects, bool raw)
    {
        var columns = ExportTestData.Columns;
        var expected = ExportTestData.Expected(raw);
        objects.Count.ShouldBe(expected.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            objects[r].EnumerateObject().Select(p => p.Name).ShouldBe(columns.Select(c => c.FieldName));
            for (var c = 0; c < columns.Count; c++)
            {
                var value = Read(columns[c], objects[r].GetProperty(columns[c].FieldName));
                if (!raw && columns[c].Masking != Catalog.Contracts.MaskingRule.None && value is not null) value.ShouldBeOfType<string>();
                value.ShouldBe(expected[r][c], $"row {r + 1}, {columns[c].FieldName}");
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Json_array_round_trips_typed_values(bool raw)
    {
        var text = await ExportAsync(lines: false, raw);
        using var doc = JsonDocument.Parse(text);
        doc.RootElement.ValueKind.ShouldBe(JsonValueKind.Array);
        ShouldMatch(doc.RootElement.EnumerateArray().ToList(), raw);
        text.ShouldContain("\"企业名称\":\"山东测试科技有限公司\"");     // Chinese as is, keys are field names
        text.ShouldContain("\"成立日期\":\"2018-08-31\"");
        text.ShouldContain("\"approved_at\":\"2018-08-31T22:14:50\"");
        text.ShouldContain("\"capital\":1234567.89");
        text.ShouldContain("\"active\":true");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ndjson_has_one_object_per_line(bool raw)
    {
        var text = await ExportAsync(lines: true, raw);
        text.ShouldEndWith("\n");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(ExportTestData.Rows().Count);
        var docs = lines.Select(l => JsonDocument.Parse(l)).ToList();
        ShouldMatch(docs.Select(d => d.RootElement).ToList(), raw);
        foreach (var d in docs) d.Dispose();
    }

    [Fact]
    public async Task Masked_values_never_leave_unless_raw()
    {
        var masked = await ExportAsync(lines: false, raw: false);
        masked.ShouldNotContain("13812341234");
        masked.ShouldContain("\"phone\":\"138****1234\"");
        masked.ShouldContain("\"legal_person\":\"张*\"");
    }

    [Fact]
    public async Task Large_exports_are_flushed_as_they_go_and_stay_valid()
    {
        var output = new AsyncOnlyStream();
        var n = await JsonExportWriter.WriteAsync(ExportTestData.Columns, ExportTestData.GeneratedAsync(30_000), output, raw: true, lines: false);
        n.ShouldBe(30_000);
        var bytes = output.ToArray();
        output.WriteCalls.ShouldBeGreaterThan(bytes.Length / (256 * 1024));
        using var doc = JsonDocument.Parse(bytes);
        doc.RootElement.GetArrayLength().ShouldBe(30_000);
        var row = doc.RootElement[29_999];
        row.GetProperty("staff").GetInt64().ShouldBe(30_000);
        row.GetProperty("lat").GetDouble().ShouldBe(30_000 / 7.0);
    }

    [Fact]
    public async Task Empty_exports_are_valid()
    {
        (await ExportAsync(lines: false, raw: true, ExportTestData.ToAsync([]))).ShouldBe("[]\n");
        (await ExportAsync(lines: true, raw: true, ExportTestData.ToAsync([]))).ShouldBe("");
    }

    [Fact]
    public async Task Non_finite_doubles_become_strings()
    {
        var row = ExportTestData.Rows()[0];
        row[7] = double.NaN;
        var text = await ExportAsync(lines: true, raw: true, ExportTestData.ToAsync([row]));
        text.ShouldContain("\"lat\":\"NaN\"");
        using var _ = JsonDocument.Parse(text);
    }
}
