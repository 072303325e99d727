using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Tests.Ingestion;

/// <summary>The real Shenzhen card file through the whole reading layer: open, map the header, convert every value.</summary>
public sealed class ShenzhenPipelineTests
{
    private static readonly (string Name, string Code, ItemDataType Type, int? Length, bool Required)[] Items =
    [
        ("交易日期时间", "deal_date", ItemDataType.T, null, true),
        ("结算日期", "close_date", ItemDataType.D, null, true),
        ("卡号", "card_no", ItemDataType.C, 9, true),
        ("交易金额", "deal_value", ItemDataType.I, null, true),
        ("交易类型", "deal_type", ItemDataType.C, 10, true),
        ("公司名称", "company_name", ItemDataType.C, 20, false),
        ("车牌号或闸机号", "car_no", ItemDataType.C, 10, false),
        ("线路或站点", "station", ItemDataType.C, 20, false),
        ("联程标记", "conn_mark", ItemDataType.L, null, false),
        ("实收金额", "deal_money", ItemDataType.N, 10, false),
        ("设备编码", "equ_no", ItemDataType.C, 9, false),
    ];

    private static DataColumn[] Columns() => Items.Select((x, i) => new DataColumn(i + 1, DataColumn.ColumnNameOf(i + 1), x.Code, x.Name, x.Code,
        x.Type, DataColumn.KindOf(x.Type), x.Length, null, x.Required, false, null, ItemSensitivity.Public, MaskingRule.None)).ToArray();

    [Theory]
    [InlineData("shenzhen-szt-card-10000.csv")]
    [InlineData("shenzhen-szt-card-10000.gb18030.csv")]
    public async Task Every_value_of_the_real_file_converts(string file)
    {
        var columns = Columns();
        await using var source = await TabularSources.OpenAsync(CsvSourceTests.Fixture(file), new SourceOptions());
        var mapping = HeaderMapping.Automatic(source.Header, columns);
        mapping.IsValid.ShouldBeTrue();
        mapping.Warnings.ShouldBeEmpty();
        mapping.Bindings.ShouldAllBe(b => b.Match == HeaderMatch.FieldCode);

        var converters = ColumnConverter.For(columns, ConversionOptions.Default);
        var rows = 0;
        var nullStations = 0;
        var problems = new List<string>();
        object?[]? row71 = null;
        await foreach (var record in source.ReadRecordsAsync())
        {
            record.Problem.ShouldBeNull();
            rows++;
            var values = new object?[columns.Length];
            for (var c = 0; c < columns.Length; c++)
                if (!converters[c].TryConvert(mapping.ValueOf(record.Values, c), out values[c], out var problem))
                    problems.Add($"第{record.RowNumber}行 {columns[c].ItemName}：{problem!.Message}");
            if (values[7] is null) nullStations++;
            if (record.RowNumber == 71) row71 = values;
        }
        problems.ShouldBeEmpty();
        rows.ShouldBe(10_000);
        nullStations.ShouldBeGreaterThan(0); // "-" is a null marker
        row71.ShouldBe([new DateTime(2018, 9, 1, 5, 39, 10), new DateOnly(2018, 9, 1), "CFBAJECDH", 800L, "巴士", "金华南巴士", "粤BU2313", "332(观澜)",
            false, 595m, "227000010"]);
    }
}
