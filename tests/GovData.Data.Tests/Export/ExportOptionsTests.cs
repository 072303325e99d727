using System.Net.Http.Headers;
using GovData.Data.Features.Export;

namespace GovData.Data.Tests.Export;

public sealed class ExportOptionsTests
{
    [Theory]
    [InlineData(null, null, null, null, "Csv", false, "Utf8", "Name")]
    [InlineData("CSV", "true", null, "code", "Csv", true, "Utf8", "Code")]
    [InlineData("csv", null, "gbk", null, "Csv", false, "Gb18030", "Name")]
    [InlineData("csv", "false", "GB18030", "name", "Csv", false, "Gb18030", "Name")]
    [InlineData("json", null, null, null, "Json", false, "Utf8", "Name")]
    [InlineData("ndjson", null, "utf-8", null, "Ndjson", false, "Utf8", "Name")]
    [InlineData("xlsx", null, null, "code", "Xlsx", false, "Utf8", "Code")]
    [InlineData(" xml ", "false", null, "name", "Xml", false, "Utf8", "Name")]
    public void Valid_options_parse(string? format, string? bom, string? encoding, string? header,
        string f, bool b, string e, string h)
    {
        ExportOptions.TryParse(format, bom, encoding, header, out var options, out var errors).ShouldBeTrue(string.Join("; ", errors.SelectMany(x => x.Value)));
        options.ShouldBe(new ExportOptions(Enum.Parse<ExportFormat>(f), b, Enum.Parse<ExportEncoding>(e), Enum.Parse<ExportHeader>(h)));
    }

    [Theory]
    [InlineData("pdf", null, null, null, "format", "不支持的导出格式“pdf”")]
    [InlineData("csv", "maybe", null, null, "bom", "参数 bom 的值“maybe”无效")]
    [InlineData("json", "true", null, null, "bom", "仅适用于 CSV")]
    [InlineData("csv", null, "big5", null, "encoding", "不支持的字符编码“big5”")]
    [InlineData("xlsx", null, "gbk", null, "encoding", "仅适用于 CSV")]
    [InlineData("csv", "true", "gbk", null, "bom", "只能用于 UTF-8")]
    [InlineData("csv", null, null, "both", "header", "参数 header 的值“both”无效")]
    [InlineData("json", null, null, "code", "header", "仅适用于 CSV 与 XLSX")]
    public void Bad_options_are_refused_in_chinese_naming_the_parameter(string? format, string? bom, string? encoding, string? header,
        string field, string message)
    {
        ExportOptions.TryParse(format, bom, encoding, header, out _, out var errors).ShouldBeFalse();
        errors.Keys.ShouldContain(field);
        errors[field].ShouldContain(m => m.Contains(message));
    }

    [Fact]
    public void Content_types_and_file_names()
    {
        new ExportOptions(ExportFormat.Csv).ContentType.ShouldBe("text/csv; charset=utf-8");
        new ExportOptions(ExportFormat.Csv, Encoding: ExportEncoding.Gb18030).ContentType.ShouldBe("text/csv; charset=gb18030");
        new ExportOptions(ExportFormat.Ndjson).ContentType.ShouldStartWith("application/x-ndjson");
        new ExportOptions(ExportFormat.Xlsx).ContentType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        new ExportOptions(ExportFormat.Xml).FileName("企业法人库", 3).ShouldBe("企业法人库_3.xml");
        new ExportOptions(ExportFormat.Csv).FileName("a/b:c*?\"<>|\u0001", 1).ShouldBe("a_b_c________1.csv");
    }

    [Fact]
    public void Content_disposition_carries_the_chinese_name_as_RFC5987_and_an_ascii_fallback()
    {
        var header = new ExportOptions(ExportFormat.Csv).ContentDisposition("企业法人库 (2024)", "303026010201/1", 3);
        header.ShouldBe("attachment; filename=\"303026010201-1_3.csv\"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E6%B3%95%E4%BA%BA%E5%BA%93%20%282024%29_3.csv");
        var parsed = ContentDispositionHeaderValue.Parse(header);
        parsed.FileNameStar.ShouldBe("企业法人库 (2024)_3.csv");
        parsed.FileName!.Trim('"').ShouldBe("303026010201-1_3.csv");
    }

    [Fact]
    public void Excel_safety_follows_bom_or_gbk()
    {
        ExportOptions.Default.ExcelSafe.ShouldBeFalse();
        new ExportOptions(ExportFormat.Csv, Bom: true).ExcelSafe.ShouldBeTrue();
        new ExportOptions(ExportFormat.Csv, Encoding: ExportEncoding.Gb18030).ExcelSafe.ShouldBeTrue();
    }

    [Theory]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1.5e-7, "0.00000015")]
    [InlineData(-1.25e-10, "-0.000000000125")]
    [InlineData(1.2345e16, "12345000000000000")]
    [InlineData(36.65, "36.65")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    public void Doubles_are_written_without_exponent_and_round_trip(double value, string text)
    {
        ExportValues.FormatDouble(value).ShouldBe(text);
        if (double.IsFinite(value)) double.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(value);
    }

    [Fact]
    public void Doubles_round_trip_over_many_magnitudes()
    {
        var random = new Random(42);
        for (var i = 0; i < 10_000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300));
            var text = ExportValues.FormatDouble(value);
            text.ShouldNotContain("E");
            double.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(value);
        }
    }
}
