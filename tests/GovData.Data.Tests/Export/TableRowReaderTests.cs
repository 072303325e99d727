using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common;
using GovData.Tests.Common.Databases;

namespace GovData.Data.Tests.Export;

public sealed class TableRowReaderTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Rows_come_back_as_the_modules_CLR_values_in_row_order(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var connection = db.Settings.CreateConnection();
        await connection.OpenAsync();
        var layout = ExportTestData.Layout();
        var rows = ExportTestData.Rows();
        await ExportTables.CreateAndFillAsync(connection, provider, layout, rows);

        var read = new List<object?[]>();
        await foreach (var row in TableRowReader.ReadAsync(connection, provider, layout)) read.Add(row);

        read.Count.ShouldBe(rows.Count);
        for (var r = 0; r < rows.Count; r++)
            for (var c = 0; c < layout.Columns.Count; c++)
            {
                var expected = rows[r][c];
                var actual = read[r][c];
                if (expected is not null) actual.ShouldBeOfType(expected.GetType(), $"row {r + 1}, {layout.Columns[c].ItemName}");
                if (expected is decimal d && provider == DatabaseProvider.Sqlite && SignificantDigits(d) > 15)
                    // SQLite's NUMERIC affinity converts numeric text to REAL keeping 15 significant digits (sqlite.org/datatype3.html);
                    // that is the storage, the reader returns what is stored. PostgreSQL's numeric is exact.
                    actual.ShouldBe((decimal)(double)d);
                else
                    actual.ShouldBe(expected, $"row {r + 1}, {layout.Columns[c].ItemName}");
            }
    }

    private static int SignificantDigits(decimal d) => XlsxExportWriter.SignificantDigits(d.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Sql_uses_only_the_layouts_generated_identifiers()
    {
        var layout = ExportTestData.Layout(4);
        TableRowReader.SelectSql(layout).ShouldBe(
            $"SELECT c001, c002, c003, c004, c005, c006, c007, c008, c009, c010, c011 FROM {layout.TableName} ORDER BY _row");
        TableRowReader.SelectSql(layout, [layout.Columns[8], layout.Columns[0]]).ShouldBe($"SELECT c009, c001 FROM {layout.TableName} ORDER BY _row");

        var foreign = layout.Columns[0] with { ColumnName = "c001; DROP TABLE x" };
        Should.Throw<ArgumentException>(() => TableRowReader.SelectSql(layout, [foreign]));
        var other = layout.Columns[0] with { ColumnName = "c099" };
        Should.Throw<ArgumentException>(() => TableRowReader.SelectSql(layout, [other]));
        Should.Throw<ArgumentException>(() => TableRowReader.SelectSql(layout with { TableName = "data_resources" }));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Selected_columns_are_read_in_the_given_order(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var connection = db.Settings.CreateConnection();
        await connection.OpenAsync();
        var layout = ExportTestData.Layout();
        await ExportTables.CreateAndFillAsync(connection, provider, layout, ExportTestData.Rows());
        var read = new List<object?[]>();
        await foreach (var row in TableRowReader.ReadAsync(connection, provider, layout, [layout.Columns[9], layout.Columns[3]])) read.Add(row);
        read[0].ShouldBe(["13812341234", new DateOnly(2018, 8, 31)]);
        read[3].ShouldBe([null, null]);
    }

    /// <summary>
    /// 200,000 rows from a real table to CSV and XLSX files, read back completely. No time or memory assertion here:
    /// the 1M-row measurement is bench/GovData.Bench export-bench (docs/benchmarks.md).
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Two_hundred_thousand_rows_export_to_csv_and_xlsx_files(DatabaseProvider provider)
    {
        const int count = 200_000;
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var connection = db.Settings.CreateConnection();
        await connection.OpenAsync();
        var layout = ExportTestData.Layout();
        await ExportTables.CreateAndFillAsync(connection, provider, layout, Enumerable.Range(1, count).Select(i => ExportTestData.Generated(i)));
        var folder = TestEnvironment.NewTempFolder("export");
        try
        {
            var dataset = ExportTestData.Dataset with { Columns = layout.Columns };

            var csvPath = Path.Combine(folder, "export.csv");
            await using (var file = File.Create(csvPath))
                (await DataExporter.WriteAsync(new ExportOptions(ExportFormat.Csv, Bom: true), dataset,
                    TableRowReader.ReadAsync(connection, provider, layout), file, raw: false)).ShouldBe(count);
            var bytes = await File.ReadAllBytesAsync(csvPath);
            var records = ExportTestData.ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
            records.Count.ShouldBe(count + 1);
            foreach (var i in new[] { 1, 2, 99_999, count })
            {
                var expected = ExportTestData.Generated(i);
                for (var c = 0; c < layout.Columns.Count; c++)
                {
                    var want = Features.Masking.Masker.Apply(layout.Columns[c], expected[c]);
                    ExportTestData.Parse(layout.Columns[c], records[i][c]).ShouldBe(want, $"row {i}, {layout.Columns[c].ItemName}");
                }
            }

            var xlsxPath = Path.Combine(folder, "export.xlsx");
            await using (var file = File.Create(xlsxPath))
                (await DataExporter.WriteAsync(new ExportOptions(ExportFormat.Xlsx), dataset,
                    TableRowReader.ReadAsync(connection, provider, layout), file, raw: true)).ShouldBe(count);
            using var doc = SpreadsheetDocument.Open(xlsxPath, false);
            var sheet = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single();
            var rows = XlsxExportTests.ReadTyped(doc, sheet, layout.Columns, out var header);
            header.ShouldBe(layout.Columns.Select(c => c.ItemName));
            rows.Count.ShouldBe(count);
            foreach (var i in new[] { 1, 2, 99_999, count }) rows[i - 1].ShouldBe(ExportTestData.Generated(i), $"row {i}");
        }
        finally
        {
            TestEnvironment.TryDeleteFolder(folder);
        }
    }
}
