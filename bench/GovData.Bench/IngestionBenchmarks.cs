using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Codes;

namespace GovData.Bench;

/// <summary>
/// The reading and validation layer of a data load, per row of a generated CSV with 10 typed columns (integer, credit
/// code, name, region code, money with thousands separators, double, date, timestamp, boolean, value domain):
/// reading alone (the parser limit), then reading + full conversion and validation. No database.
/// <c>dotnet run -c Release --project bench/GovData.Bench -- --filter '*Ingestion*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class IngestionBenchmarks
{
    private const int Rows = 200_000;
    private string _path = "";
    private string _xlsx = "";
    private string _json = "";
    private ColumnConverter[] _converters = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"govdata-bench-ingest-{Environment.ProcessId}.csv");
        var random = new Random(42);
        var codes = Enumerable.Range(0, 1000)
            .Select(i => CreditCode.Create('9', '1', "370100", (10_000_000 + i * 7919).ToString(CultureInfo.InvariantCulture)).Value).ToArray();
        string[] regions = ["370102", "370103", "370104", "370105", "370112", "370113", "371302", "371311"];
        using (var w = new StreamWriter(_path, false, new UTF8Encoding(false)))
        {
            w.Write("序号,统一社会信用代码,企业名称,行政区划代码,注册资本,比率,成立日期,更新时间,是否有效,性别\n");
            var day = new DateTime(2000, 1, 1);
            for (var i = 1; i <= Rows; i++)
            {
                var amount = (random.Next(1, 100_000_000) / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
                var d = day.AddDays(random.Next(0, 9000));
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{i},{codes[i % codes.Length]},\"山东测试科技有限公司{i}\",{regions[i % regions.Length]},\"{amount}\",{random.NextDouble():0.####},{d:yyyy-MM-dd},{d.AddSeconds(random.Next(86400)):yyyy-MM-dd HH:mm:ss},{(i % 3 == 0 ? "是" : "否")},{1 + i % 2}\n"));
            }
        }
        // the same rows as an XLSX workbook (inline strings, as the SharedKernel writer makes them) and a JSON array
        var rows = File.ReadLines(_path).Select(l => (IReadOnlyList<string>)SplitCsvLine(l)).ToList();
        _xlsx = Path.ChangeExtension(_path, ".xlsx");
        using (var x = File.Create(_xlsx)) GovData.SharedKernel.Spreadsheets.TabularFile.WriteXlsx(x, [("数据", rows)]);
        _json = Path.ChangeExtension(_path, ".json");
        using (var j = new StreamWriter(_json, false, new UTF8Encoding(false)))
        {
            j.Write('[');
            for (var r = 1; r < rows.Count; r++)
            {
                if (r > 1) j.Write(",\n");
                j.Write('{');
                for (var c = 0; c < rows[0].Count; c++)
                {
                    if (c > 0) j.Write(',');
                    j.Write(System.Text.Json.JsonSerializer.Serialize(rows[0][c]));
                    j.Write(':');
                    j.Write(System.Text.Json.JsonSerializer.Serialize(rows[r][c]));
                }
                j.Write('}');
            }
            j.Write(']');
        }
        var columns = new (string Name, ItemDataType Type, int? Length, int? Precision, string? Domain)[]
        {
            ("序号", ItemDataType.I, null, null, null),
            ("统一社会信用代码", ItemDataType.C, 18, null, null),
            ("企业名称", ItemDataType.C, 100, null, null),
            ("行政区划代码", ItemDataType.C, 6, null, null),
            ("注册资本", ItemDataType.Y, 16, 2, null),
            ("比率", ItemDataType.F, null, null, null),
            ("成立日期", ItemDataType.D, null, null, null),
            ("更新时间", ItemDataType.T, null, null, null),
            ("是否有效", ItemDataType.L, null, null, null),
            ("性别", ItemDataType.C, 1, null, "1-男;2-女"),
        };
        _converters = columns.Select((c, i) => ColumnConverter.For(
            new DataColumn(i + 1, DataColumn.ColumnNameOf(i + 1), c.Name, c.Name, null, c.Type, DataColumn.KindOf(c.Type), c.Length, c.Precision,
                true, false, c.Domain, ItemSensitivity.Public, MaskingRule.None), ConversionOptions.Default)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_path);
        File.Delete(_xlsx);
        File.Delete(_json);
    }

    private static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields.ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "limit: CSV read only, per row")]
    public async Task<long> ReadOnly()
    {
        await using var source = await CsvSource.OpenAsync(_path, new SourceOptions());
        long n = 0;
        await foreach (var r in source.ReadRecordsAsync()) n += r.Values.Length;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "XLSX read only (inline strings), per row")]
    public async Task<long> XlsxReadOnly()
    {
        await using var source = await TabularSources.OpenAsync(_xlsx, new SourceOptions());
        long n = 0;
        await foreach (var r in source.ReadRecordsAsync()) n += r.Values.Length;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "JSON array read only (two passes), per row")]
    public async Task<long> JsonReadOnly()
    {
        await using var source = await TabularSources.OpenAsync(_json, new SourceOptions());
        long n = 0;
        await foreach (var r in source.ReadRecordsAsync()) n += r.Values.Length;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "CSV read + convert + validate 10 columns, per row")]
    public async Task<long> ReadAndValidate()
    {
        await using var source = await CsvSource.OpenAsync(_path, new SourceOptions());
        long problems = 0;
        var values = new object?[_converters.Length];
        await foreach (var r in source.ReadRecordsAsync())
        {
            for (var c = 0; c < _converters.Length; c++)
                if (!_converters[c].TryConvert(r.Values[c], out values[c], out _)) problems++;
        }
        if (problems != 0) throw new InvalidOperationException($"{problems} problems in generated data");
        return problems;
    }
}
