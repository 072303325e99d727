using System.Text;
using GovData.Data.Features.Export;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Data.Tests.Export;

public sealed class CsvExportTests
{
    private static async Task<byte[]> ExportAsync(ExportOptions options, bool raw, List<object?[]>? rows = null)
    {
        var output = new AsyncOnlyStream();
        var count = await CsvExportWriter.WriteAsync(ExportTestData.Columns, ExportTestData.ToAsync(rows ?? ExportTestData.Rows()), output, raw, options);
        count.ShouldBe((rows ?? ExportTestData.Rows()).Count);
        return output.ToArray();
    }

    private static void ShouldRoundTrip(List<string[]> records, bool raw, ExportHeader header = ExportHeader.Name)
    {
        var columns = ExportTestData.Columns;
        records[0].ShouldBe(columns.Select(c => header == ExportHeader.Code ? c.FieldName : c.ItemName).ToArray());
        var expected = ExportTestData.Expected(raw);
        records.Count.ShouldBe(expected.Count + 1);
        for (var r = 0; r < expected.Count; r++)
        {
            records[r + 1].Length.ShouldBe(columns.Count);
            for (var c = 0; c < columns.Count; c++)
                ExportTestData.Parse(columns[c], records[r + 1][c]).ShouldBe(expected[r][c], $"row {r + 1}, column {columns[c].ItemName}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Utf8_csv_round_trips_typed_values_through_a_strict_RFC4180_parser(bool raw)
    {
        var bytes = await ExportAsync(ExportOptions.Default, raw);
        bytes.AsSpan(0, 3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }).ShouldBeFalse("no BOM unless asked for");
        var text = new UTF8Encoding(false, true).GetString(bytes);
        text.ShouldEndWith("\r\n");
        ShouldRoundTrip(ExportTestData.ParseCsv(text), raw);
        // Formula-looking text is left alone without the Excel option.
        text.ShouldContain(",=SUM(A1:A9)\r\n");
        text.ShouldContain(",-负号开头,");
    }

    [Fact]
    public async Task Masking_applies_unless_raw()
    {
        var masked = Encoding.UTF8.GetString(await ExportAsync(ExportOptions.Default, raw: false));
        masked.ShouldNotContain("13812341234");
        masked.ShouldContain("138****1234");
        masked.ShouldContain("张*");
        masked.ShouldNotContain("张三");
        masked.ShouldContain("91370000163044841F");   // columns without a rule pass unchanged

        var raw = Encoding.UTF8.GetString(await ExportAsync(ExportOptions.Default, raw: true));
        raw.ShouldContain("13812341234");
        raw.ShouldContain("张三");
    }

    [Fact]
    public async Task Values_have_the_documented_text_forms()
    {
        var text = Encoding.UTF8.GetString(await ExportAsync(ExportOptions.Default, raw: true));
        var rows = ExportTestData.ParseCsv(text);
        rows[1][2].ShouldBe("1234567.89");
        rows[1][3].ShouldBe("2018-08-31");
        rows[1][4].ShouldBe("2018-08-31 22:14:50");
        rows[1][5].ShouldBe("true");
        rows[2][4].ShouldBe("2020-01-01 00:00:00.5");           // fractional seconds only when present
        rows[2][7].ShouldBe("100000000000000000000");           // 1E+20 without exponent
        rows[3][7].ShouldBe("0.00000015");
        rows[3][2].ShouldBe("12345678901234567890.125");        // decimals keep every digit
        rows[4][3].ShouldBe("");                                // null → empty field
        text.ShouldContain("\"含,逗号 与 \"\"引号\"\" 的名称\"");   // RFC 4180 quoting
        text.ShouldContain("\" 前后有空格 \"");                  // leading/trailing spaces are quoted so trimming readers keep them
    }

    [Fact]
    public async Task Bom_option_writes_the_bom_and_guards_formulas_for_Excel()
    {
        var options = new ExportOptions(ExportFormat.Csv, Bom: true);
        options.ExcelSafe.ShouldBeTrue();
        var bytes = await ExportAsync(options, raw: true);
        bytes.AsSpan(0, 3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }).ShouldBeTrue();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var rows = ExportTestData.ParseCsv(text);
        rows[3][10].ShouldBe("'=SUM(A1:A9)");
        rows[4][1].ShouldBe("'-负号开头");
        rows[5][1].ShouldBe("'@提及 +加号 生僻字𠀀");
        rows[5][9].ShouldBe("'+8613812341234");
        rows[5][10].ShouldBe("'\t制表符开头");
        rows[6][10].ShouldBe("'已有撇号");                 // not a formula: unchanged
        rows[2][2].ShouldBe("-0.5");                       // numbers are never prefixed
        rows[3][6].ShouldBe("1234567890123456789");

        // SharedKernel's reader (the platform's own import path) reads the same file.
        var read = TabularFile.ReadCsv(new MemoryStream(bytes));
        read.Count.ShouldBe(ExportTestData.Rows().Count + 1);
        read[1][1].ShouldBe("山东测试科技有限公司");
        read[2][1].ShouldBe("含,逗号 与 \"引号\" 的名称");
        read[2][10].ShouldBe("多行\r\n第二行\n第三行");
    }

    [Fact]
    public async Task Gbk_output_decodes_with_GB18030_to_the_same_text_as_the_Excel_UTF8_output()
    {
        var gbk = await ExportAsync(new ExportOptions(ExportFormat.Csv, Encoding: ExportEncoding.Gb18030), raw: true);
        var utf8 = await ExportAsync(new ExportOptions(ExportFormat.Csv, Bom: true), raw: true);
        gbk.AsSpan(0, 3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }).ShouldBeFalse();
        // Really GB-encoded: not valid UTF-8, and 企 is the two GBK bytes C6 F3.
        Should.Throw<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(gbk));
        gbk.AsSpan().IndexOf(new byte[] { 0xC6, 0xF3 }).ShouldBeGreaterThan(0);
        var decoded = ExportOptions.Gb18030.GetString(gbk);
        decoded.ShouldBe(Encoding.UTF8.GetString(utf8, 3, utf8.Length - 3));
        decoded.ShouldContain("生僻字𠀀");                  // outside GBK: GB18030 four-byte sequence, not '?'
        TabularFile.ReadCsv(new MemoryStream(gbk))[1][1].ShouldBe("山东测试科技有限公司");
    }

    [Fact]
    public async Task Header_can_use_field_codes()
    {
        var text = Encoding.UTF8.GetString(await ExportAsync(new ExportOptions(ExportFormat.Csv, Header: ExportHeader.Code), raw: true));
        var rows = ExportTestData.ParseCsv(text);
        ShouldRoundTrip(rows, raw: true, ExportHeader.Code);
        rows[0][0].ShouldBe("credit_code");
        rows[0][1].ShouldBe("企业名称");               // no field code: the item name is the field name
    }

    [Fact]
    public async Task Empty_export_is_the_header_only()
    {
        var text = Encoding.UTF8.GetString(await ExportAsync(ExportOptions.Default, raw: true, rows: []));
        ExportTestData.ParseCsv(text).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Output_is_written_in_bounded_chunks_while_rows_stream()
    {
        var output = new AsyncOnlyStream();
        var count = await CsvExportWriter.WriteAsync(ExportTestData.Columns, ExportTestData.GeneratedAsync(20_000), output, raw: true, ExportOptions.Default);
        count.ShouldBe(20_000);
        var bytes = output.ToArray();
        // Drained about every 64 KiB, not once at the end.
        output.WriteCalls.ShouldBeGreaterThan(bytes.Length / (256 * 1024));
        var rows = ExportTestData.ParseCsv(Encoding.UTF8.GetString(bytes));
        rows.Count.ShouldBe(20_001);
        var columns = ExportTestData.Columns;
        var expected = ExportTestData.Generated(12_345);
        for (var c = 0; c < columns.Count; c++) ExportTestData.Parse(columns[c], rows[12_345][c]).ShouldBe(expected[c]);
    }

    [Fact]
    public async Task A_row_of_the_wrong_width_is_refused()
    {
        var ex = await Should.ThrowAsync<InvalidOperationException>(() =>
            CsvExportWriter.WriteAsync(ExportTestData.Columns, ExportTestData.ToAsync([["only one"]]), new AsyncOnlyStream(), true, ExportOptions.Default));
        ex.Message.ShouldContain("第 1 行");
    }
}
