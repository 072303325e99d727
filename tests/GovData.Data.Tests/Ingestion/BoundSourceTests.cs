using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Codes;

namespace GovData.Data.Tests.Ingestion;

public sealed class BoundSourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"govdata-ingest-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_path);

    private static DataColumn Col(int ordinal, string name, string code, ItemDataType type, bool required = false, int? length = null) =>
        new(ordinal, DataColumn.ColumnNameOf(ordinal), code, name, code, type, DataColumn.KindOf(type), length, null, required, false, null,
            ItemSensitivity.Public, MaskingRule.None);

    private static readonly DataColumn[] Columns =
    [
        Col(1, "统一社会信用代码", "USCC", ItemDataType.C, required: true, length: 18),
        Col(2, "企业名称", "QYMC", ItemDataType.C, required: true),
        Col(3, "成立日期", "CLRQ", ItemDataType.D),
        Col(4, "注册资本", "ZCZB", ItemDataType.N),
    ];

    [Fact]
    public async Task A_gbk_file_bound_with_a_user_mapping_reports_each_bad_value()
    {
        var good = CreditCode.Create('9', '1', "370100", "16829134").Value;
        var bad = good[..17] + (good[17] == '0' ? '1' : '0');
        var text = $"代码,名称,日期,资本,多余\n{good},甲公司,2018年8月31日,\"1,000\",x\n{bad},乙公司,2018-02-30,#,y\n{good},丙公司,-,-,z\n{good},丁,2018/1/1\n";
        await File.WriteAllBytesAsync(_path, CsvSourceTests.GbkEncoding().GetBytes(text));

        await using var bound = await BoundSource.OpenAsync(_path, Columns, new SourceOptions(),
            ConversionOptions.Default.WithNullMarkers(["-", "#"]),
            new Dictionary<string, string> { ["代码"] = "USCC", ["名称"] = "企业名称", ["日期"] = "clrq", ["资本"] = "ZCZB", ["多余"] = "" });
        bound.Format.ShouldBe(SourceFormat.Csv);
        bound.Description.ShouldBe("CSV，GB18030 编码，逗号分隔；4列对应数据项，忽略1列");
        bound.SourceIndexes.ShouldBe([0, 1, 2, 3]);

        var rows = new List<(long Row, object?[] Values, List<ValueFailure> Failures, string? RecordProblem)>();
        await foreach (var record in bound.ReadRecordsAsync())
        {
            var values = new object?[Columns.Length];
            var failures = new List<ValueFailure>();
            if (record.Problem is null) bound.Convert(record, values, failures);
            rows.Add((record.RowNumber, values, failures, record.Problem));
        }
        rows.Count.ShouldBe(4);
        rows[0].Values.ShouldBe([good, "甲公司", new DateOnly(2018, 8, 31), 1000m]);
        rows[0].Failures.ShouldBeEmpty();
        rows[1].Failures.Select(f => (f.Column, f.SourceColumn, f.Value, f.Problem.Rule)).ShouldBe(
            [(0, "代码", bad, ValueRules.CreditCode), (2, "日期", "2018-02-30", ValueRules.Date)]);
        rows[1].Values[3].ShouldBeNull();
        rows[2].Values.ShouldBe([good, "丙公司", null, null]);
        rows[3].RecordProblem.ShouldBe("有3个字段，表头有5个（少2个）");
        bound.BytesRead.ShouldBe(bound.BytesTotal);
    }

    [Fact]
    public async Task Mapping_errors_refuse_the_file()
    {
        await File.WriteAllTextAsync(_path, "名称,日期\n甲,2018-08-31\n");
        var ex = await Should.ThrowAsync<SourceFormatException>(() =>
            BoundSource.OpenAsync(_path, Columns, new SourceOptions(), ConversionOptions.Default, null));
        ex.Message.ShouldBe("必填数据项“统一社会信用代码”在文件中没有对应的列；必填数据项“企业名称”在文件中没有对应的列");
    }
}
