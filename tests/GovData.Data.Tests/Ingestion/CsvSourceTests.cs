using System.Text;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Tests.Ingestion;

public sealed class CsvSourceTests : IDisposable
{
    private static readonly Encoding Gbk = GbkEncoding();
    private static readonly Encoding Utf8NoBom = new UTF8Encoding(false);
    private readonly List<string> _files = [];

    internal static Encoding GbkEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }

    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private string Temp(string content, Encoding encoding, string ext = ".csv")
    {
        var path = Path.Combine(Path.GetTempPath(), $"govdata-ingest-{Guid.NewGuid():N}{ext}");
        File.WriteAllBytes(path, [.. encoding.GetPreamble(), .. encoding.GetBytes(content)]);
        _files.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    internal static async Task<(CsvSource Source, List<SourceRecord> Records)> ReadAll(string path, SourceOptions? options = null)
    {
        var source = await CsvSource.OpenAsync(path, options ?? new SourceOptions());
        var records = new List<SourceRecord>();
        await foreach (var r in source.ReadRecordsAsync()) records.Add(r);
        await source.DisposeAsync();
        return (source, records);
    }

    [Fact]
    public async Task Shenzhen_file_reads_alike_in_utf8_and_gb18030()
    {
        var (utf8, a) = await ReadAll(Fixture("shenzhen-szt-card-10000.csv"));
        var (gb, b) = await ReadAll(Fixture("shenzhen-szt-card-10000.gb18030.csv"));

        utf8.EncodingInfo.Name.ShouldBe("UTF-8");
        gb.EncodingInfo.Name.ShouldBe("GB18030");
        utf8.Description.ShouldBe("CSV，UTF-8 编码，逗号分隔");
        gb.Description.ShouldBe("CSV，GB18030 编码，逗号分隔");
        utf8.Header.ShouldBe(["deal_date", "close_date", "card_no", "deal_value", "deal_type", "company_name", "car_no", "station", "conn_mark", "deal_money", "equ_no"]);
        gb.Header.ShouldBe(utf8.Header);

        a.Count.ShouldBe(10_000);
        b.Count.ShouldBe(10_000);
        a.ShouldAllBe(r => r.Problem == null && r.Values.Length == 11);
        for (var i = 0; i < a.Count; i++)
        {
            a[i].RowNumber.ShouldBe(i + 2);
            b[i].RowNumber.ShouldBe(a[i].RowNumber);
            b[i].Values.ShouldBe(a[i].Values);
        }
        // line 71 of the file: "2018-09-01 05:39:10",...,巴士,金华南巴士,粤BU2313,"332(观澜)",0,595,227000010
        a[69].Values.ShouldBe(["2018-09-01 05:39:10", "2018-09-01 00:00:00", "CFBAJECDH", "800", "巴士", "金华南巴士", "粤BU2313", "332(观澜)", "0", "595", "227000010"]);
        a[70].Values[7].ShouldBe("M433(福永）");
        a[27].Values[6].ShouldBe("-");
        utf8.BytesRead.ShouldBe(utf8.BytesTotal);
        utf8.BytesTotal.ShouldBe(new FileInfo(Fixture("shenzhen-szt-card-10000.csv")).Length);
    }

    [Fact]
    public async Task Gbk_file_with_first_chinese_character_on_row_50000_is_detected()
    {
        var sb = new StringBuilder("id,name,note\n");
        for (var row = 2; row <= 60_000; row++)
            sb.Append(row).Append(',').Append(row == 50_000 ? "张三" : "zhang san").Append(",ascii only text\n");
        var gbk = Temp(sb.ToString(), Gbk);
        var utf8 = Temp(sb.ToString(), Utf8NoBom);
        new FileInfo(gbk).Length.ShouldBeGreaterThan(TextEncodingDetector.BlockSize); // the Chinese is past the first detection block

        var (source, records) = await ReadAll(gbk);
        source.EncodingInfo.Name.ShouldBe("GB18030");
        records.Count.ShouldBe(59_999);
        var row50000 = records.Single(r => r.RowNumber == 50_000);
        row50000.Values.ShouldBe(["50000", "张三", "ascii only text"]);

        var (utf8Source, utf8Records) = await ReadAll(utf8);
        utf8Source.EncodingInfo.Name.ShouldBe("UTF-8");
        utf8Records.Single(r => r.RowNumber == 50_000).Values[1].ShouldBe("张三");
    }

    [Fact]
    public async Task Utf8_sequences_split_across_detection_blocks_stay_utf8()
    {
        // "中" (3 bytes) straddles the 1 MiB block boundary
        var text = "h\n" + new string('a', TextEncodingDetector.BlockSize - 3) + "中文\n";
        var path = Temp(text, Utf8NoBom);
        await using var stream = File.OpenRead(path);
        (await TextEncodingDetector.DetectAsync(stream)).Name.ShouldBe("UTF-8");
        stream.Position.ShouldBe(0);
    }

    [Fact]
    public void Incomplete_tails_are_carried_over()
    {
        TextEncodingDetector.IncompleteTail("ab"u8).ShouldBe(0);
        TextEncodingDetector.IncompleteTail([0x61, 0xE4]).ShouldBe(1);
        TextEncodingDetector.IncompleteTail([0x61, 0xE4, 0xB8]).ShouldBe(2);
        TextEncodingDetector.IncompleteTail([0x61, 0xE4, 0xB8, 0xAD]).ShouldBe(0);
        TextEncodingDetector.IncompleteTail([0xF0, 0x9F, 0x98]).ShouldBe(3);
    }

    [Fact]
    public async Task Bom_and_no_bom()
    {
        const string text = "名称,代码\n济南市,370100\n";
        var (withBom, a) = await ReadAll(Temp(text, new UTF8Encoding(true)));
        var (noBom, b) = await ReadAll(Temp(text, Utf8NoBom));
        withBom.EncodingInfo.PreambleLength.ShouldBe(3);
        withBom.Description.ShouldBe("CSV，UTF-8 编码（带 BOM），逗号分隔");
        noBom.EncodingInfo.PreambleLength.ShouldBe(0);
        withBom.Header.ShouldBe(["名称", "代码"]);
        noBom.Header.ShouldBe(["名称", "代码"]);
        a.Single().Values.ShouldBe(["济南市", "370100"]);
        b.Single().Values.ShouldBe(["济南市", "370100"]);
    }

    [Fact]
    public async Task Utf16_with_bom_as_excel_unicode_text_writes_it()
    {
        var (source, records) = await ReadAll(Temp("名称\t代码\n济南市\t370100\n", new UnicodeEncoding(false, true)));
        source.EncodingInfo.Name.ShouldBe("UTF-16LE");
        source.Delimiter.ShouldBe('\t');
        records.Single().Values.ShouldBe(["济南市", "370100"]);
    }

    [Theory]
    [InlineData('\t', "制表符")]
    [InlineData(';', "分号")]
    [InlineData('|', "竖线")]
    [InlineData(',', "逗号")]
    public async Task Delimiters_are_detected(char delimiter, string name)
    {
        // commas inside the text and inside quotes must not mislead the detection
        var d = delimiter.ToString();
        var text = $"名称{d}地址{d}金额\n\"甲,乙公司\"{d}济南市历下区, 泉城路1号{d}1,234.50\n丙公司{d}\"青岛市{d}市南区\"{d}7\n丁公司{d}烟台市{d}8\n";
        var (source, records) = await ReadAll(Temp(text, Utf8NoBom));
        source.Delimiter.ShouldBe(delimiter);
        source.Description.ShouldEndWith(name + "分隔");
        source.Header.ShouldBe(["名称", "地址", "金额"]);
        if (delimiter != ',')
        {
            records.ShouldAllBe(r => r.Problem == null);
            records[0].Values.ShouldBe(["甲,乙公司", "济南市历下区, 泉城路1号", "1,234.50"]);
            records[1].Values.ShouldBe(["丙公司", $"青岛市{d}市南区", "7"]);
        }
    }

    [Fact]
    public async Task Forced_delimiter_and_encoding()
    {
        var path = Temp("a;b\n中;文\n", Gbk);
        var (source, records) = await ReadAll(path, new SourceOptions { Delimiter = ';', Encoding = "gbk" });
        source.Description.ShouldBe("CSV，GB18030 编码（指定），分号分隔");
        records.Single().Values.ShouldBe(["中", "文"]);
        await Should.ThrowAsync<SourceFormatException>(() => CsvSource.OpenAsync(path, new SourceOptions { Encoding = "klingon" }));
    }

    [Fact]
    public async Task Broken_quoting_and_ragged_rows_are_reported_by_line_and_reading_goes_on()
    {
        const string text =
            "姓名,城市,金额\n" +          // 1
            "张三,济南,1\n" +            // 2
            "李四,\"青岛\"市,2\n" +       // 3 text after a closing quote
            "王五,烟台,3\n" +            // 4
            "赵六,潍坊\n" +              // 5 one field short
            "钱七,临沂,4,多余\n" +        // 6 one field too many
            "孙八,\"淄博,5\n" +           // 7 quote never closed: swallows up to the next quote on line 9...
            "周九,枣庄,6\n" +            // 8
            "吴十,\"日照\",7\n" +         // 9 ... where text follows the closing quote: line 7 is reported, 8 and 9 read
            "郑一,\"德州\n\",8\n" +       // 10-11 a quoted line break that leaves the record well formed: kept
            "冯二,聊城,9\n";             // 12
        var (_, records) = await ReadAll(Temp(text, Utf8NoBom));

        records.Select(r => r.RowNumber).ShouldBe([2L, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
        var byRow = records.ToDictionary(r => r.RowNumber);
        byRow[2].Problem.ShouldBeNull();
        byRow[3].Rule.ShouldBe(ValueRules.Quote);
        byRow[3].Problem!.ShouldContain("第2个字段的结束引号后还有其他字符");
        byRow[3].Values.ShouldBe(["李四", "\"青岛\"市", "2"]);
        byRow[4].Values.ShouldBe(["王五", "烟台", "3"]);
        byRow[5].Rule.ShouldBe(ValueRules.Width);
        byRow[5].Problem.ShouldBe("有2个字段，表头有3个（少1个）");
        byRow[6].Problem.ShouldBe("有4个字段，表头有3个（多1个）");
        byRow[7].Rule.ShouldBe(ValueRules.Quote);
        byRow[8].Values.ShouldBe(["周九", "枣庄", "6"]);
        byRow[9].Values.ShouldBe(["吴十", "日照", "7"]);
        byRow[10].Values.ShouldBe(["郑一", "德州\n", "8"]);
        byRow[12].Values.ShouldBe(["冯二", "聊城", "9"]);
    }

    [Fact]
    public async Task A_quote_never_closed_before_the_end_of_the_file_costs_one_row()
    {
        var (_, records) = await ReadAll(Temp("a,b\n1,\"x\n2,y\n3,z\n", Utf8NoBom));
        records.Select(r => (r.RowNumber, r.Rule)).ShouldBe([(2L, ValueRules.Quote), (3L, null), (4L, null)]);
        records[0].Problem!.ShouldContain("引号没有闭合");
    }

    [Fact]
    public async Task A_quoted_line_break_that_breaks_the_width_is_a_quote_problem()
    {
        var (_, records) = await ReadAll(Temp("a,b,c\n1,\"x,2\n3,y\",z,q\n4,w,v\n", Utf8NoBom));
        records.Select(r => (r.RowNumber, r.Rule)).ShouldBe([(2L, ValueRules.Quote), (3L, ValueRules.Width), (4L, null)]);
        records[0].Problem!.ShouldContain("引号内的换行使记录跨越2行");
        records[2].Values.ShouldBe(["4", "w", "v"]);
    }

    [Fact]
    public async Task An_unclosed_quote_before_a_megabyte_of_lines_resynchronises_at_the_next_line()
    {
        var sb = new StringBuilder("id,text\n1,\"unclosed\n");
        for (var i = 2; i <= 40_000; i++) sb.Append(i).Append(",plain text without any quote at all\n");
        sb.Length.ShouldBeGreaterThan(CsvSource.MaxRecordChars);
        var (_, records) = await ReadAll(Temp(sb.ToString(), Utf8NoBom));
        records.Count.ShouldBe(40_000);
        records[0].Rule.ShouldBe(ValueRules.Quote);
        records[0].RowNumber.ShouldBe(2);
        records.Skip(1).ShouldAllBe(r => r.Problem == null);
        records[^1].RowNumber.ShouldBe(40_001);
        records[^1].Values.ShouldBe(["40000", "plain text without any quote at all"]);
    }

    [Fact]
    public async Task Long_fields_across_buffer_refills()
    {
        var big = new string('长', 300_000);
        var text = $"a,b\n1,\"{big}\"\"x\"\"\"\n2,{big}\n3,end\n";
        var (_, records) = await ReadAll(Temp(text, Utf8NoBom));
        records.Count.ShouldBe(3);
        records[0].Values[1].ShouldBe(big + "\"x\"");
        records[1].Values[1].ShouldBe(big);
        records[2].RowNumber.ShouldBe(4);
    }

    [Fact]
    public async Task Line_ends_blank_lines_escapes_and_trailing_delimiters()
    {
        const string text = "\r\n 名称 ,代码,\r\n\r\n\"他说\"\"好\"\"\",1,\r\n   \r\n济南,\"\",\r\n青岛,3";
        var (source, records) = await ReadAll(Temp(text, Utf8NoBom));
        source.HeaderRowNumber.ShouldBe(2);
        source.Header.ShouldBe(["名称", "代码"]);
        records.Select(r => r.RowNumber).ShouldBe([4L, 6, 7]);
        records[0].Values.ShouldBe(["他说\"好\"", "1"]);
        records[1].Values.ShouldBe(["济南", ""]);
        records[2].Values.ShouldBe(["青岛", "3"]);
        records.ShouldAllBe(r => r.Problem == null);
    }

    [Fact]
    public async Task Quotes_inside_unquoted_fields_and_blanks_after_closing_quotes_are_tolerated()
    {
        var (_, records) = await ReadAll(Temp("a,b,c\n5\"寸,\"x\"  ,y\n1,  \"b,c\", d \n", Utf8NoBom));
        records[0].Values.ShouldBe(["5\"寸", "x", "y"]);
        records[1].Values.ShouldBe(["1", "b,c", " d "]);
        records.ShouldAllBe(r => r.Problem == null);
    }

    [Fact]
    public async Task Empty_files_and_headers_are_refused_in_chinese()
    {
        (await Should.ThrowAsync<SourceFormatException>(() => CsvSource.OpenAsync(Temp("", Utf8NoBom), new SourceOptions())))
            .Message.ShouldBe("文件为空：没有表头行");
        (await Should.ThrowAsync<SourceFormatException>(() => CsvSource.OpenAsync(Temp("\n\n,,\n1,2\n", Utf8NoBom), new SourceOptions())))
            .Message.ShouldBe("表头行（第3行）为空");
        (await Should.ThrowAsync<SourceFormatException>(() => CsvSource.OpenAsync(Temp("\"a\"b,c\n", Utf8NoBom), new SourceOptions())))
            .Message.ShouldStartWith("表头行（第1行）无法读取：");
    }

    [Fact]
    public async Task Records_are_read_once_and_cancellation_is_honoured()
    {
        var sb = new StringBuilder("a\n");
        for (var i = 0; i < 5000; i++) sb.Append(i).Append('\n');
        await using var source = await CsvSource.OpenAsync(Temp(sb.ToString(), Utf8NoBom), new SourceOptions());
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in source.ReadRecordsAsync(cts.Token))
                if (++seen == 10) await cts.CancelAsync();
        });
        seen.ShouldBeLessThan(5000);
        await Should.ThrowAsync<InvalidOperationException>(async () => { await foreach (var _ in source.ReadRecordsAsync()) { } });
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n", ',')]
    [InlineData("a\tb\tc\n1\t2\t3\n", '\t')]
    [InlineData("a;b;c\n1;2,5;3\n", ';')]
    [InlineData("a|b\n1|2\n", '|')]
    [InlineData("only\n1\n", ',')]
    [InlineData("\"x;y\",b\n\"1;2\",3\n", ',')]
    public void Delimiter_detection(string sample, char expected) => CsvSource.DetectDelimiter(sample, true).ShouldBe(expected);
}
