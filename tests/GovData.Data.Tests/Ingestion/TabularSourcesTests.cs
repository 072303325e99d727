using System.Text;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Data.Tests.Ingestion;

public sealed class TabularSourcesTests : IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    private string Temp(byte[] content, string ext)
    {
        var path = Path.Combine(Path.GetTempPath(), $"govdata-ingest-{Guid.NewGuid():N}{ext}");
        File.WriteAllBytes(path, content);
        _files.Add(path);
        return path;
    }

    private string Text(string content, string ext) => Temp(Encoding.UTF8.GetBytes(content), ext);

    private string Workbook(string ext)
    {
        using var ms = new MemoryStream();
        TabularFile.WriteXlsx(ms, [("表", new IReadOnlyList<string>[] { ["a"], ["1"] })]);
        return Temp(ms.ToArray(), ext);
    }

    private static async Task<ITabularSource> Open(string path, SourceOptions? options = null) =>
        await TabularSources.OpenAsync(path, options ?? new SourceOptions());

    [Fact]
    public async Task Readers_are_chosen_by_extension_content_or_option()
    {
        await using (var s = await Open(Text("a,b\n1,2\n", ".csv"))) s.Format.ShouldBe(SourceFormat.Csv);
        await using (var s = await Open(Text("a\tb\n1\t2\n", ".tsv"))) s.Format.ShouldBe(SourceFormat.Csv);
        await using (var s = await Open(Workbook(".xlsx"))) s.Format.ShouldBe(SourceFormat.Xlsx);
        await using (var s = await Open(Workbook(".csv"))) s.Format.ShouldBe(SourceFormat.Xlsx);         // renamed workbook: the content wins
        await using (var s = await Open(Workbook(".dat"))) s.Format.ShouldBe(SourceFormat.Xlsx);
        await using (var s = await Open(Text("[{\"a\":1}]", ".json"))) s.Format.ShouldBe(SourceFormat.Json);
        await using (var s = await Open(Text("{\"a\":1}\n{\"a\":2}\n", ".json"))) s.Format.ShouldBe(SourceFormat.Ndjson);
        await using (var s = await Open(Text("{\"a\":1}\n", ".jsonl"))) s.Format.ShouldBe(SourceFormat.Ndjson);
        await using (var s = await Open(Text("  [{\"a\":1}]", ".dat"))) s.Format.ShouldBe(SourceFormat.Json);
        await using (var s = await Open(Text("a,b\n1,2\n", ".dat"))) s.Format.ShouldBe(SourceFormat.Csv);
        await using (var s = await Open(Text("{\"a\":1}", ".dat"), new SourceOptions { Format = SourceFormat.Csv })) s.Format.ShouldBe(SourceFormat.Csv);
    }

    [Fact]
    public async Task Records_come_through_the_interface()
    {
        await using var source = await Open(CsvSourceTests.Fixture("shenzhen-szt-card-10000.gb18030.csv"));
        source.Description.ShouldBe("CSV，GB18030 编码，逗号分隔");
        var n = 0;
        await foreach (var r in source.ReadRecordsAsync()) n++;
        n.ShouldBe(10_000);
    }

    [Theory]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 }, ".xls", "旧版 Excel（.xls）")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D }, ".pdf", "PDF 文件")]
    [InlineData(new byte[] { 0x61, 0x2C, 0x62, 0x0A }, ".xlsx", "不是有效的 .xlsx 工作簿")]
    [InlineData(new byte[] { 0x01, 0x00, 0x02, 0x00 }, ".bin", "不是文本文件")]
    [InlineData(new byte[0], ".csv", "为空")]
    public async Task Unreadable_files_are_refused_in_chinese(byte[] content, string ext, string message)
    {
        var ex = await Should.ThrowAsync<SourceFormatException>(() => TabularSources.OpenAsync(Temp(content, ext), new SourceOptions()));
        ex.Message.ShouldContain(message);
    }

    [Fact]
    public async Task Missing_files_are_named()
    {
        var ex = await Should.ThrowAsync<SourceFormatException>(() => TabularSources.OpenAsync("/nonexistent/数据.csv", new SourceOptions()));
        ex.Message.ShouldBe("找不到文件“数据.csv”");
    }

    [Fact]
    public void Extensions() => TabularSources.FormatOfExtension("企业.JSONL").ShouldBe(SourceFormat.Ndjson);
}
