using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Regions;

namespace GovData.Bench.Ingest;

/// <summary>
/// The benchmark's source file: a deterministic CSV (UTF-8 without BOM, comma, CRLF, RFC 4180 quoting where needed) of
/// N enterprise rows with 10 typed columns — every value valid, so every row loads — written once and cached:
/// <list type="table">
/// <item>统一社会信用代码 (C,18, key, GB 32100: unique, valid check characters, region part = the row's region)</item>
/// <item>企业名称 (C,100, required)</item>
/// <item>成立日期 (D; 90% <c>2018-08-31</c>, 10% <c>2018/8/31</c>)</item>
/// <item>更新时间 (T; <c>2018-08-31 22:14:50</c>)</item>
/// <item>注册资本 (N,18,2; 90% <c>1234567.89</c>, 10% <c>"1,234,567.89"</c>)</item>
/// <item>从业人数 (I)</item>
/// <item>比率 (B, double)</item>
/// <item>是否存续 (L; 是/否)</item>
/// <item>行政区划代码 (C,6, GB/T 2260: the county-level codes of Shandong)</item>
/// <item>备注 (C,200; 20% empty)</item>
/// </list>
/// About 210 bytes a row: 5,000,000 rows ≈ 1.05 GB. The same seed always gives the same bytes.
/// </summary>
internal static class IngestFile
{
    /// <summary>Bump when the generated content changes (the cache key).</summary>
    private const int FormatVersion = 1;

    public static readonly string[] Header = ["统一社会信用代码", "企业名称", "成立日期", "更新时间", "注册资本", "从业人数", "比率", "是否存续", "行政区划代码", "备注"];

    /// <summary>The information items the file is loaded into (a published resource of the fake catalog).</summary>
    public static readonly CatalogItem[] Items =
    [
        new(1, "统一社会信用代码", "credit_code", ItemDataType.C, 18, null, true, true, "GB 32100", ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "企业名称", "name", ItemDataType.C, 100, null, true, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(3, "成立日期", "founded", ItemDataType.D, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "更新时间", "updated_at", ItemDataType.T, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "注册资本", "capital", ItemDataType.N, 18, 2, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(7, "比率", "ratio", ItemDataType.B, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(8, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(9, "行政区划代码", "region", ItemDataType.C, 6, null, false, false, "GB/T 2260", ItemSensitivity.Public, MaskingRule.None, null),
        new(10, "备注", "note", ItemDataType.C, 200, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ];

    private static readonly string[] Trades = ["科技", "贸易", "建设工程", "食品", "物流", "医药", "文化传媒", "农业发展", "新能源", "信息技术", "机械制造", "餐饮管理"];
    private static readonly string[] Brands = ["华信", "鲁泰", "齐鲁", "海岳", "泰山", "黄河", "明湖", "金桥", "瑞丰", "恒通", "东方", "银座", "德润", "鸿运", "嘉禾", "润华"];
    private static readonly string[] Notes =
    [
        "年度报告已公示，经营状况正常",
        "经营范围含食品销售，需取得许可后方可经营",
        "住所变更，已在登记机关办理变更登记手续",
        "列入重点监管对象名单，按季度开展抽查",
        "注册资本认缴，出资期限为二〇三〇年十二月三十一日",
        "法定代表人变更已备案；原法定代表人不再担任职务",
    ];

    /// <summary>The cached file for <paramref name="rows"/> rows under <paramref name="folder"/>, generated when missing.</summary>
    public static async Task<string> EnsureAsync(string folder, int rows)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"ingest-v{FormatVersion}-{rows}.csv");
        if (File.Exists(path))
        {
            Console.WriteLine($"源文件（缓存）：{path}，{new FileInfo(path).Length / 1e6:F1} MB");
            return path;
        }
        var sw = Stopwatch.StartNew();
        var temp = path + ".part";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20))
        {
            await writer.WriteAsync(string.Join(',', Header) + "\r\n");
            var regions = Regions();
            var random = new Random(20261122);
            var line = new StringBuilder(512);
            for (var i = 1; i <= rows; i++)
            {
                line.Clear();
                AppendRow(line, random, regions, i);
                await writer.WriteAsync(line);
            }
        }
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"生成源文件：{path}，{rows:N0} 行，{new FileInfo(path).Length / 1e6:F1} MB，用时 {sw.Elapsed.TotalSeconds:F1} 秒");
        return path;
    }

    /// <summary>Reads the first column of every <paramref name="every"/>-th data row (existing keys for lookups).</summary>
    public static List<string> ReadKeys(string path, int every, int max)
    {
        var keys = new List<string>();
        using var reader = new StreamReader(path, new UTF8Encoding(false), false, 1 << 20);
        reader.ReadLine();
        var n = 0;
        while (reader.ReadLine() is { } line && keys.Count < max)
            if (n++ % every == 0) keys.Add(line[..line.IndexOf(',')]);
        return keys;
    }

    private static string[] Regions() =>
        RegionDirectory.Default.ChildrenOf("370000").SelectMany(p => RegionDirectory.Default.ChildrenOf(p.Code))
            .Where(r => r.Level == RegionLevel.County).Select(r => r.Code).ToArray();

    private static void AppendRow(StringBuilder s, Random random, string[] regions, int i)
    {
        var inv = CultureInfo.InvariantCulture;
        var region = regions[random.Next(regions.Length)];
        // Organisation code body: 8 characters from the row number (unique per row), its check character and the code's.
        var code = CreditCode.Create('9', '1', region, i.ToString("D8", inv)).Value;
        s.Append(code).Append(',');
        s.Append("山东").Append(Brands[random.Next(Brands.Length)]).Append(Trades[random.Next(Trades.Length)]).Append("有限公司第")
            .Append(i.ToString(inv)).Append("分公司").Append(',');
        var founded = new DateOnly(1985, 1, 1).AddDays(random.Next(14_000));
        if (random.Next(10) == 0) s.Append(founded.Year.ToString(inv)).Append('/').Append(founded.Month.ToString(inv)).Append('/').Append(founded.Day.ToString(inv));
        else s.Append(founded.ToString("yyyy-MM-dd", inv));
        s.Append(',');
        s.Append(new DateTime(2015, 1, 1).AddSeconds(random.Next(340_000_000)).ToString("yyyy-MM-dd HH:mm:ss", inv)).Append(',');
        var capital = random.Next(1, 1_000_000_000) / 100m * random.Next(1, 50);
        if (random.Next(10) == 0) s.Append('"').Append(capital.ToString("#,##0.00", inv)).Append('"');
        else s.Append(capital.ToString("0.00", inv));
        s.Append(',');
        s.Append(random.Next(1, 20_000).ToString(inv)).Append(',');
        s.Append(Math.Round(random.NextDouble(), 6).ToString("R", inv)).Append(',');
        s.Append(random.Next(10) > 0 ? "是" : "否").Append(',');
        s.Append(region).Append(',');
        if (random.Next(5) > 0)
            s.Append(Notes[random.Next(Notes.Length)]).Append("（编号").Append(random.Next(100_000, 999_999).ToString(inv)).Append('）');
        s.Append("\r\n");
    }
}
