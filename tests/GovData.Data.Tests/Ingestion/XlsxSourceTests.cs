using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Data.Tests.Ingestion;

public sealed class XlsxSourceTests : IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    private string NewPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"govdata-ingest-{Guid.NewGuid():N}.xlsx");
        _files.Add(path);
        return path;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static Cell Shared(string reference, int index) =>
        new() { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture)) };

    private static Cell Number(string reference, double value, uint? style = null) =>
        new() { CellReference = reference, CellValue = new CellValue(Num(value)), StyleIndex = style is { } s ? s : null };

    private static Cell Inline(string reference, string text) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };

    private static Row RowOf(uint index, params Cell[] cells) => new(cells) { RowIndex = index };

    /// <summary>A workbook with a notes sheet first and a data sheet second, shared and inline strings, date styles, sparse rows.</summary>
    private string BuildWorkbook(bool date1904 = false)
    {
        var path = NewPath();
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook(new WorkbookProperties { Date1904 = date1904 });

        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy/m/d h:mm" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" },
                new NumberingFormat { NumberFormatId = 166, FormatCode = "0.00E+00" },
                new NumberingFormat { NumberFormatId = 167, FormatCode = "#,##0.00\"元\";[Red]-#,##0.00\"元\"" }),
            new Fonts(new Font()), new Fills(new Fill()), new Borders(new Border()),
            new CellStyleFormats(new CellFormat()),
            new CellFormats(
                new CellFormat { NumberFormatId = 0 },   // 0 General
                new CellFormat { NumberFormatId = 14 },  // 1 date
                new CellFormat { NumberFormatId = 22 },  // 2 date time
                new CellFormat { NumberFormatId = 164 }, // 3 custom date time
                new CellFormat { NumberFormatId = 165 }, // 4 custom Chinese date
                new CellFormat { NumberFormatId = 166 }, // 5 scientific: not a date
                new CellFormat { NumberFormatId = 20 },  // 6 time
                new CellFormat { NumberFormatId = 167 })); // 7 money with 元: not a date

        var sst = wb.AddNewPart<SharedStringTablePart>();
        sst.SharedStringTable = new SharedStringTable(
            new SharedStringItem(new Text("名称")),       // 0
            new SharedStringItem(new Text("金额")),       // 1
            new SharedStringItem(new Text(" 日期 ")),     // 2
            new SharedStringItem(new Text("有效")),       // 3
            new SharedStringItem(new Text("备注")),       // 4
            new SharedStringItem(new Text("济南")),       // 5
            new SharedStringItem(                          // 6 rich text with a phonetic guide
                new Run(new Text("富")), new Run(new Text("文本")),
                new PhoneticRun(new Text("フ")) { BaseTextStartIndex = 0, EndingBaseIndex = 1 }),
            new SharedStringItem(new Text("说明文字")));  // 7

        var notes = wb.AddNewPart<WorksheetPart>();
        notes.Worksheet = new Worksheet(new SheetData(RowOf(1, Shared("A1", 7))));

        var data = wb.AddNewPart<WorksheetPart>();
        data.Worksheet = new Worksheet(new SheetData(
            RowOf(2, Shared("A2", 0), Shared("B2", 1), Shared("C2", 2), Inline("D2", "时间"), Shared("E2", 3), Shared("F2", 4), new Cell { CellReference = "G2" }),
            RowOf(3, Shared("A3", 5), Number("B3", 1234.5, 7), Number("C3", Serial(2018, 8, 31, date1904), 1),
                Number("D3", Serial(2018, 8, 31, date1904) + (22 * 3600 + 14 * 60 + 50) / 86400.0, 2),
                new Cell { CellReference = "E3", DataType = CellValues.Boolean, CellValue = new CellValue("1") }, Shared("F3", 6)),
            RowOf(5, Inline("A5", "青岛"), Number("C5", Serial(2019, 1, 2, date1904), 4)),
            RowOf(6, Number("A6", 0.1 + 0.2), Number("B6", 0.0015, 5), Number("D6", Serial(2018, 8, 31, date1904) + 9.0 / 24 + 5.0 / 1440, 3),
                new Cell { CellReference = "F6", DataType = CellValues.String, CellValue = new CellValue("公式结果"), CellFormula = new CellFormula("\"公式\"&\"结果\"") }),
            RowOf(7, Shared("A7", 5), Number("H7", 1)),
            RowOf(8, new Cell { CellReference = "A8" }, new Cell { CellReference = "B8", StyleIndex = 1 }),
            RowOf(9, Number("D9", 0.5, 6), new Cell { CellReference = "B9", DataType = CellValues.Error, CellValue = new CellValue("#N/A") })));

        wb.Workbook.AppendChild(new Sheets(
            new Sheet { Id = wb.GetIdOfPart(notes), SheetId = 1, Name = "说明" },
            new Sheet { Id = wb.GetIdOfPart(data), SheetId = 2, Name = "数据 2024" }));
        wb.Workbook.Save();
        return path;
    }

    private static double Serial(int y, int m, int d, bool date1904) => new DateTime(y, m, d).ToOADate() - (date1904 ? 1462 : 0);

    private static async Task<(XlsxSource, List<SourceRecord>)> ReadAll(string path, SourceOptions options)
    {
        var source = await XlsxSource.OpenAsync(path, options);
        var list = new List<SourceRecord>();
        await foreach (var r in source.ReadRecordsAsync()) list.Add(r);
        await source.DisposeAsync();
        return (source, list);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cells_dates_numbers_and_sparse_rows(bool date1904)
    {
        var (source, records) = await ReadAll(BuildWorkbook(date1904), new SourceOptions { Sheet = "数据2024" });
        source.SheetName.ShouldBe("数据 2024");
        source.Description.ShouldBe("Excel 工作簿（.xlsx），工作表“数据 2024”");
        source.HeaderRowNumber.ShouldBe(2);
        source.Header.ShouldBe(["名称", "金额", "日期", "时间", "有效", "备注"]);

        records.Select(r => r.RowNumber).ShouldBe([3L, 5, 6, 7, 9]);
        records[0].Values.ShouldBe(["济南", "1234.5", "2018-08-31", "2018-08-31 22:14:50", "true", "富文本"]);
        records[1].Values.ShouldBe(["青岛", null, "2019-01-02", null, null, null]);
        records[2].Values.ShouldBe(["0.3", "0.0015", null, "2018-08-31 09:05:00", null, "公式结果"]);
        records[3].Rule.ShouldBe(ValueRules.Width);
        records[3].Problem.ShouldBe("第8列（H列）有值，但表头只有6列");
        records[4].Values.ShouldBe([null, "#N/A", null, "12:00:00", null, null]);
        records.Where(r => r.Problem == null).ShouldAllBe(r => r.Values.Length == 6);
        source.BytesRead.ShouldBeGreaterThan(0);
        source.BytesRead.ShouldBeLessThanOrEqualTo(source.BytesTotal);
    }

    [Fact]
    public async Task First_sheet_by_default_and_missing_sheets_named()
    {
        var path = BuildWorkbook();
        var (source, records) = await ReadAll(path, new SourceOptions());
        source.SheetName.ShouldBe("说明");
        source.Header.ShouldBe(["说明文字"]);
        records.ShouldBeEmpty();
        var ex = await Should.ThrowAsync<SourceFormatException>(() => XlsxSource.OpenAsync(path, new SourceOptions { Sheet = "不存在" }));
        ex.Message.ShouldBe("工作簿中没有名为“不存在”的工作表，现有工作表：“说明”、“数据 2024”");
    }

    [Fact]
    public async Task Workbooks_written_by_the_shared_kernel_read_back()
    {
        var path = NewPath();
        await using (var file = File.Create(path))
        {
            IReadOnlyList<string>[] rows = [["统一社会信用代码", "名称"], ["91370100168291340X", "山东测试有限公司"], ["", ""], ["91370100MA3C0000X1", "第二家"]];
            TabularFile.WriteXlsx(file, [("企业", rows)]);
        }
        var (source, records) = await ReadAll(path, new SourceOptions());
        source.Header.ShouldBe(["统一社会信用代码", "名称"]);
        records.Select(r => r.RowNumber).ShouldBe([2L, 4]);
        records[1].Values.ShouldBe(["91370100MA3C0000X1", "第二家"]);
    }

    [Fact]
    public async Task Damaged_files_are_refused_in_chinese()
    {
        var path = NewPath();
        await File.WriteAllTextAsync(path, "这不是 Excel 文件");
        var ex = await Should.ThrowAsync<SourceFormatException>(() => XlsxSource.OpenAsync(path, new SourceOptions()));
        ex.Message.ShouldStartWith("无法读取 XLSX 文件");
    }

    [Theory]
    [InlineData("yyyy-mm-dd", "Date")]
    [InlineData("[$-804]yyyy\"年\"m\"月\"d\"日\";@", "Date")]
    [InlineData("mmm-yy", "Date")]
    [InlineData("yyyy/m/d h:mm:ss", "DateTime")]
    [InlineData("h:mm AM/PM", "Time")]
    [InlineData("[h]:mm:ss", "Time")]
    [InlineData("0.00E+00", "None")]
    [InlineData("#,##0.00\"元\"", "None")]
    [InlineData("[Red]#,##0;[Blue]-#,##0", "None")]
    [InlineData("General", "None")]
    [InlineData("\"day\"0", "None")]
    public void Custom_number_formats(string code, string expected) => XlsxSource.KindOfFormatCode(code).ToString().ShouldBe(expected);
}

public sealed class XlsxEscapeTests
{
    [Theory]
    [InlineData("第一行_x000D_\n第二行", "第一行\r\n第二行")]
    [InlineData("A_x0009_B", "A\tB")]
    [InlineData("_x005F_x0041_", "_x0041_")]   // an escaped underscore keeps the literal text
    [InlineData("no_xescape_here", "no_xescape_here")]
    [InlineData("_x00", "_x00")]
    public void Ooxml_escapes_are_decoded(string stored, string expected) =>
        GovData.Data.Features.Ingestion.XlsxSource.DecodeEscapes(stored).ShouldBe(expected);
}
