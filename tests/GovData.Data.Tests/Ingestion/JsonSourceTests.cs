using System.Text;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Tests.Ingestion;

public sealed class JsonSourceTests : IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    private string Temp(string content, string ext = ".json", bool bom = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"govdata-ingest-{Guid.NewGuid():N}{ext}");
        File.WriteAllText(path, content, new UTF8Encoding(bom));
        _files.Add(path);
        return path;
    }

    private static async Task<(JsonSource, List<SourceRecord>)> ReadAll(string path, SourceOptions? options = null)
    {
        var source = await JsonSource.OpenAsync(path, options ?? new SourceOptions());
        var list = new List<SourceRecord>();
        await foreach (var r in source.ReadRecordsAsync()) list.Add(r);
        await source.DisposeAsync();
        return (source, list);
    }

    [Fact]
    public async Task Array_of_objects_with_keys_in_first_seen_order_over_the_whole_file()
    {
        const string json = """
            [
              {"名称": "济南", "人口": 941.5, "代码": "370100", "直辖": false},
              {"代码": "370200", "名称": "青岛\"西海岸\"", "人口": 1.0e3, "备注": null},
              {"名称": "烟台", "新增": true, "人口": 12345678901234567890}
            ]
            """;
        var (source, records) = await ReadAll(Temp(json, bom: true));
        source.Format.ShouldBe(SourceFormat.Json);
        source.Header.ShouldBe(["名称", "人口", "代码", "直辖", "备注", "新增"]);
        source.Description.ShouldBe("JSON 对象数组，6个键");
        records.Select(r => r.RowNumber).ShouldBe([1L, 2, 3]);
        records[0].Values.ShouldBe(["济南", "941.5", "370100", "false", null, null]);
        records[1].Values.ShouldBe(["青岛\"西海岸\"", "1.0e3", "370200", null, null, null]);
        records[2].Values.ShouldBe(["烟台", "12345678901234567890", null, null, null, "true"]);
        records.ShouldAllBe(r => r.Problem == null);
        source.BytesRead.ShouldBe(source.BytesTotal);
    }

    [Fact]
    public async Task Ndjson_rows_are_lines_and_bad_lines_do_not_stop_reading()
    {
        var ndjson = string.Join("\n",
            """{"id": 1, "name": "张三"}""",
            "",
            """{"id": 2, "name": "李四", "tags": ["a"]}""",
            """{"id": 3, "name": 坏}""",
            """[1, 2]""",
            """{"id": 4} {"id": 5}""",
            """{"id": 6, "name": "王五", "extra": {"x": 1}}""",
            """{"id": 7, "name": "赵六"}""") + "\r\n";
        var (source, records) = await ReadAll(Temp(ndjson, ".ndjson"));
        source.Format.ShouldBe(SourceFormat.Ndjson);
        source.Header.ShouldBe(["id", "name", "tags", "extra"]);
        records.Select(r => r.RowNumber).ShouldBe([1L, 3, 4, 5, 6, 7, 8]);
        records[0].Values.ShouldBe(["1", "张三", null, null]);
        records[1].Problem.ShouldBe("键“tags”的值是嵌套的数组，只支持文本、数值、逻辑值或 null");
        records[1].Rule.ShouldBe(ValueRules.Record);
        records[2].Problem!.ShouldStartWith("不是有效的 JSON");
        records[3].Problem.ShouldBe("这一行不是 JSON 对象");
        records[4].Problem!.ShouldStartWith("不是有效的 JSON");
        records[5].Problem.ShouldBe("键“extra”的值是嵌套的对象，只支持文本、数值、逻辑值或 null");
        records[6].Values.ShouldBe(["7", "赵六", null, null]);
        records[6].Problem.ShouldBeNull();
    }

    [Fact]
    public async Task Large_arrays_stream_across_buffer_refills()
    {
        var sb = new StringBuilder("[\n");
        for (var i = 1; i <= 20_000; i++)
        {
            if (i > 1) sb.Append(",\n");
            sb.Append("{\"序号\": ").Append(i).Append(", \"名称\": \"第").Append(i).Append("家企业\"");
            if (i == 15_000) sb.Append(", \"迟到的键\": \"出现\"");
            sb.Append('}');
        }
        sb.Append("\n]");
        var (source, records) = await ReadAll(Temp(sb.ToString()));
        source.Header.ShouldBe(["序号", "名称", "迟到的键"]);
        records.Count.ShouldBe(20_000);
        records[14_999].Values.ShouldBe(["15000", "第15000家企业", "出现"]);
        records[19_999].Values.ShouldBe(["20000", "第20000家企业", null]);
        records.ShouldAllBe(r => r.Problem == null);
    }

    [Fact]
    public async Task Elements_that_are_not_objects_are_problems()
    {
        var (_, records) = await ReadAll(Temp("""[{"a": 1}, 2, "x", [3], {"a": 4},]"""));
        records.Select(r => r.Problem is null).ShouldBe([true, false, false, false, true]);
        records[1].Problem.ShouldBe("数组元素不是 JSON 对象");
        records[4].Values.ShouldBe(["4"]);
    }

    [Theory]
    [InlineData("""[{"a": 1}, {"a": 2""", "JSON 数组没有结束")]
    [InlineData("""[{"a": 1} {"a": 2}]""", "数组元素之间缺少逗号")]
    [InlineData("""[{"a": 1}, {"a": x}]""", "JSON 语法错误（第1行附近，第2个对象）")]
    [InlineData("""[{"a": 1}] 多余""", "数组结束“]”之后还有其他内容")]
    [InlineData("""[]""", "没有任何含键的对象")]
    [InlineData("""  """, "文件为空")]
    [InlineData("""a,b""", "文件应以“[”或“{”开头")]
    public async Task Broken_arrays_are_refused_before_any_record(string json, string message)
    {
        var ex = await Should.ThrowAsync<SourceFormatException>(() => JsonSource.OpenAsync(Temp(json), new SourceOptions()));
        ex.Message.ShouldContain(message);
    }

    [Fact]
    public async Task Gbk_json_is_refused_with_advice()
    {
        var path = Path.Combine(Path.GetTempPath(), $"govdata-ingest-{Guid.NewGuid():N}.json");
        _files.Add(path);
        await File.WriteAllBytesAsync(path, CsvSourceTests.GbkEncoding().GetBytes("""[{"名称": "济南"}]"""));
        var ex = await Should.ThrowAsync<SourceFormatException>(() => JsonSource.OpenAsync(path, new SourceOptions()));
        ex.Message.ShouldContain("UTF-8");
    }

    [Fact]
    public async Task Forcing_ndjson_on_an_array_is_explained()
    {
        var ex = await Should.ThrowAsync<SourceFormatException>(() =>
            JsonSource.OpenAsync(Temp("""[{"a":1}]"""), new SourceOptions { Format = SourceFormat.Ndjson }));
        ex.Message.ShouldContain("是 JSON 数组而不是 NDJSON");
    }
}
