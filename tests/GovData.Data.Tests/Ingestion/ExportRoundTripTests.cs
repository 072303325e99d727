using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Codes;

namespace GovData.Data.Tests.Ingestion;

/// <summary>What the export writers produce, the ingestion readers and converters read back to the same values.</summary>
public sealed class ExportRoundTripTests : IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    private static readonly CatalogItem[] Items =
    [
        new(1, "统一社会信用代码", "uscc", ItemDataType.C, 18, null, true, true, "GB 32100", ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "企业名称", null, ItemDataType.C, 100, null, true, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(3, "注册资本", "capital", ItemDataType.Y, 18, 2, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "成立日期", "founded", ItemDataType.D, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "核准时间", "approved_at", ItemDataType.T, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(7, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(8, "纬度", "lat", ItemDataType.B, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(9, "性别", "sex", ItemDataType.C, 1, null, false, false, "1-男;2-女", ItemSensitivity.Public, MaskingRule.None, null),
        new(10, "备注", "note", ItemDataType.M, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ];

    private static readonly IReadOnlyList<DataColumn> Columns = TableLayout.For(Guid.NewGuid(), 1, Items).Columns;

    private static string Code(int i) => CreditCode.Create('9', '1', "370100", (16_829_130 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Value;

    private static List<object?[]> Rows() =>
    [
        [Code(1), "含,逗号 与 \"引号\" 的名称", 1234567.89m, new DateOnly(2018, 8, 31), new DateTime(2018, 8, 31, 22, 14, 50), true, 42L, 36.65, "1", "多行\n第二行"],
        [Code(2), "生僻字𠀀 ＡＢＣ（全角）", -0.5m, new DateOnly(2024, 2, 29), new DateTime(2000, 1, 1), false, -7L, 1.5e-7, "2", null],
        [Code(3), "ASCII only", 0m, null, null, null, null, null, null, "普通备注"],
        [Code(4), "大额", 9999999999999999.99m, new DateOnly(1900, 3, 1), new DateTime(2099, 12, 31, 23, 59, 59), true, 123456789012345L, -2.5, "1", "制表符\t在中间"],
    ];

    private static async IAsyncEnumerable<object?[]> Stream(List<object?[]> rows)
    {
        foreach (var r in rows) yield return r;
        await Task.CompletedTask;
    }

    public static TheoryData<string, string, string> Formats => new()
    {
        { "csv", "utf8", "name" },
        { "csv", "utf8-bom", "code" },
        { "csv", "gbk", "name" },
        { "json", "", "" },
        { "ndjson", "", "" },
        { "xlsx", "", "name" },
        { "xlsx", "", "code" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Exports_read_back_to_the_same_values(string format, string encoding, string header)
    {
        var options = new ExportOptions(
            format switch { "csv" => ExportFormat.Csv, "json" => ExportFormat.Json, "ndjson" => ExportFormat.Ndjson, _ => ExportFormat.Xlsx },
            Bom: encoding == "utf8-bom",
            Encoding: encoding == "gbk" ? ExportEncoding.Gb18030 : ExportEncoding.Utf8,
            Header: header == "code" ? ExportHeader.Code : ExportHeader.Name);
        var path = Path.Combine(Path.GetTempPath(), $"govdata-roundtrip-{Guid.NewGuid():N}.{format}");
        _files.Add(path);
        await using (var file = File.Create(path))
            (await DataExporter.WriteAsync(options, new ExportDataset("303026010201/1", "往返测试", 1, Columns), Stream(Rows()), file, raw: true))
                .ShouldBe(4);

        await using var bound = await BoundSource.OpenAsync(path, Columns, new SourceOptions(), ConversionOptions.Default, null);
        if (encoding == "gbk") bound.Description.ShouldStartWith("CSV，GB18030 编码");
        bound.Mapping.Bindings.Count.ShouldBe(Columns.Count);
        var read = new List<object?[]>();
        await foreach (var record in bound.ReadRecordsAsync())
        {
            record.Problem.ShouldBeNull();
            var values = new object?[Columns.Count];
            var failures = new List<ValueFailure>();
            bound.Convert(record, values, failures);
            failures.ShouldBeEmpty(string.Join("；", failures.Select(f => $"{f.SourceColumn}={f.Value}: {f.Problem.Message}")));
            read.Add(values);
        }
        read.Count.ShouldBe(4);
        var expected = Rows();
        for (var r = 0; r < expected.Count; r++)
            for (var c = 0; c < Columns.Count; c++)
                read[r][c].ShouldBe(expected[r][c], $"第{r + 1}行 {Columns[c].ItemName}（{format}）");
    }
}
