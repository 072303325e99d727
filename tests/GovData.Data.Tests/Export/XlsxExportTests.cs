using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Data.Tests.Export;

public sealed class XlsxExportTests
{
    private static async Task<byte[]> ExportAsync(bool raw, IAsyncEnumerable<object?[]>? rows = null, ExportHeader header = ExportHeader.Name,
        int maxRowsPerSheet = XlsxExportWriter.ExcelMaxRows)
    {
        var output = new AsyncOnlyStream();
        await XlsxExportWriter.WriteAsync(ExportTestData.Columns, rows ?? ExportTestData.ToAsync(ExportTestData.Rows()), output, raw, header,
            maxRowsPerSheet: maxRowsPerSheet);
        return output.ToArray();
    }

    /// <summary>A sheet read with the Open XML SDK as typed values: date-styled serials become dates, text per column kind.</summary>
    internal static List<object?[]> ReadTyped(SpreadsheetDocument doc, Sheet sheet, IReadOnlyList<DataColumn> columns, out string[] header)
    {
        var part = (WorksheetPart)doc.WorkbookPart!.GetPartById(sheet.Id!.Value!);
        var rows = new List<object?[]>();
        header = [];
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            if (row.RowIndex!.Value == 1)
            {
                header = row.Elements<Cell>().Select(c => c.InlineString!.InnerText).ToArray();
                continue;
            }
            var values = new object?[columns.Count];
            foreach (var cell in row.Elements<Cell>())
            {
                var i = TabularFile.ColumnIndex(cell.CellReference!.Value)!.Value;
                var column = columns[i];
                var style = cell.StyleIndex?.Value ?? 0;
                if (cell.DataType?.Value == CellValues.InlineString) values[i] = ExportTestData.Parse(column, Unescape(cell.InlineString!.InnerText));
                else if (cell.DataType?.Value == CellValues.Boolean) values[i] = cell.CellValue!.Text == "1";
                else if (style == XlsxExportWriter.DateStyle) values[i] = DateOnly.FromDateTime(DateTime.FromOADate(double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)));
                else if (style == XlsxExportWriter.TimestampStyle) values[i] = DateTime.FromOADate(double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture));
                else values[i] = ExportTestData.Parse(column, cell.CellValue!.Text);
            }
            rows.Add(values);
        }
        return rows;
    }

    // Excel's _xHHHH_ escapes, decoded as Excel does when opening the file.
    private static string Unescape(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "_x([0-9A-Fa-f]{4})_", m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber)).ToString());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Workbook_opens_with_the_OpenXml_SDK_is_schema_valid_and_round_trips_typed_values(bool raw)
    {
        var bytes = await ExportAsync(raw);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2007).Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        errors.ShouldBeEmpty();
        var sheets = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
        sheets.Select(s => s.Name!.Value).ShouldBe(["数据"]);
        var columns = ExportTestData.Columns;
        var rows = ReadTyped(doc, sheets[0], columns, out var header);
        header.ShouldBe(columns.Select(c => c.ItemName));
        var expected = ExportTestData.Expected(raw);
        rows.Count.ShouldBe(expected.Count);
        for (var r = 0; r < expected.Count; r++)
            for (var c = 0; c < columns.Count; c++)
                rows[r][c].ShouldBe(expected[r][c], $"row {r + 1}, {columns[c].ItemName}");
    }

    [Fact]
    public async Task Cells_are_typed_so_Excel_shows_numbers_and_dates()
    {
        var bytes = await ExportAsync(raw: true);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var part = doc.WorkbookPart!.WorksheetParts.Single();
        var cells = part.Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        cells["C2"].DataType.ShouldBeNull();                         // 1234567.89: a number
        cells["C2"].CellValue!.Text.ShouldBe("1234567.89");
        cells["D2"].StyleIndex!.Value.ShouldBe(XlsxExportWriter.DateStyle);
        cells["D2"].CellValue!.Text.ShouldBe("43343");                // 2018-08-31 as an Excel serial
        cells["E2"].StyleIndex!.Value.ShouldBe(XlsxExportWriter.TimestampStyle);
        cells["F2"].DataType!.Value.ShouldBe(CellValues.Boolean);
        cells["A1"].StyleIndex!.Value.ShouldBe(XlsxExportWriter.HeaderStyle);
        cells["C4"].DataType!.Value.ShouldBe(CellValues.InlineString);   // 23 significant digits: text, Excel would round it
        cells["G4"].DataType!.Value.ShouldBe(CellValues.InlineString);   // 19-digit integer: text
        cells["D4"].DataType!.Value.ShouldBe(CellValues.InlineString);   // 1899-01-01: before Excel's 1900 calendar, text
        cells.ContainsKey("D5").ShouldBeFalse();                           // null: no cell

        var styles = doc.WorkbookPart.WorkbookStylesPart!.Stylesheet;
        var formats = styles.NumberingFormats!.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value);
        var xfs = styles.CellFormats!.Elements<CellFormat>().ToList();
        formats[xfs[(int)XlsxExportWriter.DateStyle].NumberFormatId!.Value].ShouldBe("yyyy-mm-dd");
        formats[xfs[(int)XlsxExportWriter.TimestampStyle].NumberFormatId!.Value].ShouldBe("yyyy-mm-dd hh:mm:ss");
    }

    [Fact]
    public async Task SharedKernel_TabularFile_reads_the_workbook()
    {
        var bytes = await ExportAsync(raw: false, header: ExportHeader.Code);
        var rows = TabularFile.Read(new MemoryStream(bytes), "export.xlsx");
        rows.Count.ShouldBe(ExportTestData.Rows().Count + 1);
        rows[0].Cells.ShouldBe(ExportTestData.Columns.Select(c => c.FieldName));
        rows[1][0].ShouldBe("91370000163044841F");
        rows[1][8].ShouldBe("张*");
        rows[1][9].ShouldBe("138****1234");
        rows[2][1].ShouldBe("含,逗号 与 \"引号\" 的名称");
        rows[1][5].ShouldBe("TRUE");
        rows[4][3].ShouldBe("");   // null date: empty, later cells stay in their columns
        rows[4][1].ShouldBe("-负号开头");
        TabularFile.SheetNames(new MemoryStream(bytes)).ShouldBe(["数据"]);
    }

    [Fact]
    public async Task Rows_beyond_the_sheet_limit_continue_on_new_sheets_with_their_own_header()
    {
        // Excel's 1,048,576 rows lowered to 1,000 (999 data rows per sheet) to keep the test quick.
        var bytes = await ExportAsync(raw: true, ExportTestData.GeneratedAsync(2_500), maxRowsPerSheet: 1_000);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        new OpenXmlValidator(FileFormatVersions.Office2007).Validate(doc).ShouldBeEmpty();
        var sheets = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
        sheets.Select(s => s.Name!.Value).ShouldBe(["数据", "数据2", "数据3"]);
        var columns = ExportTestData.Columns;
        var all = new List<object?[]>();
        foreach (var sheet in sheets)
        {
            var rows = ReadTyped(doc, sheet, columns, out var header);
            header.ShouldBe(columns.Select(c => c.ItemName));
            rows.Count.ShouldBeLessThanOrEqualTo(999);
            all.AddRange(rows);
        }
        all.Count.ShouldBe(2_500);
        foreach (var i in new[] { 1, 999, 1_000, 1_998, 2_500 })
            all[i - 1].ShouldBe(ExportTestData.Generated(i));
        // TabularFile reads a named sheet.
        TabularFile.Read(new MemoryStream(bytes), "x.xlsx", "数据3").Count.ShouldBe(1 + 2_500 - 2 * 999);
    }

    [Fact]
    public async Task Empty_export_has_a_header_only_sheet()
    {
        var bytes = await ExportAsync(raw: true, ExportTestData.ToAsync([]));
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        new OpenXmlValidator(FileFormatVersions.Office2007).Validate(doc).ShouldBeEmpty();
        TabularFile.Read(new MemoryStream(bytes), "x.xlsx").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Characters_xml_cannot_carry_are_escaped_the_way_Excel_decodes_them()
    {
        var row = ExportTestData.Rows()[0];
        row[1] = "控制\u0001字符 _x0041_ 字面";
        row[10] = new string('长', XlsxExportWriter.ExcelMaxCellText + 10);
        var bytes = await ExportAsync(raw: true, ExportTestData.ToAsync([row]));
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var cells = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        cells["B2"].InlineString!.InnerText.ShouldBe("控制_x0001_字符 _x005F_x0041_ 字面");
        Unescape(cells["B2"].InlineString!.InnerText).ShouldBe((string)row[1]!);   // what Excel shows
        XlsxExportWriter.CellText("a\u0001b").ShouldBe("a_x0001_b");
        cells["K2"].InlineString!.InnerText.Length.ShouldBe(XlsxExportWriter.ExcelMaxCellText);
    }

    [Fact]
    public async Task The_package_is_a_plain_streamed_zip_with_the_minimal_parts()
    {
        var bytes = await ExportAsync(raw: true);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ShouldBe(
            ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
        // No shared-string table: text is inline, so nothing has to be held in memory until the end.
        zip.GetEntry("xl/sharedStrings.xml").ShouldBeNull();
    }

    [Theory]
    [InlineData("12345678901234567890.125", 23)]
    [InlineData("-0.500", 1)]
    [InlineData("1234567.89", 9)]
    [InlineData("0.000123", 3)]
    [InlineData("100", 3)]
    [InlineData("99999999999999.99", 16)]
    public void Significant_digits_decide_number_or_text(string text, int digits) =>
        XlsxExportWriter.SignificantDigits(text).ShouldBe(digits);
}
