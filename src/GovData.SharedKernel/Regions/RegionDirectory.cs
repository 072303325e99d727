using System.Collections.Frozen;
using System.Reflection;

namespace GovData.SharedKernel.Regions;

/// <summary>Level of an administrative division in GB/T 2260.</summary>
public enum RegionLevel
{
    /// <summary>省级 (XX0000).</summary>
    Province = 1,
    /// <summary>地级 (XXXX00).</summary>
    Prefecture = 2,
    /// <summary>县级 (other codes).</summary>
    County = 3,
}

/// <summary>One administrative division (行政区划).</summary>
/// <param name="Code">Six-digit GB/T 2260 code.</param>
/// <param name="Name">Chinese name, e.g. 临沂市.</param>
/// <param name="Level">Province, prefecture or county.</param>
/// <param name="ParentCode">Code of the nearest existing ancestor, or null for a province.</param>
public sealed record Region(string Code, string Name, RegionLevel Level, string? ParentCode);

/// <summary>
/// The full GB/T 2260 list of county-level-and-above codes, loaded once from the embedded copy
/// (2024 edition, 民政部 via yescallop/areacodes, CC0). Immutable, so one shared instance serves every host.
/// </summary>
public sealed class RegionDirectory
{
    private readonly FrozenDictionary<string, Region> _byCode;
    private readonly FrozenDictionary<string, Region[]> _children;

    /// <summary>The embedded 2024 list.</summary>
    public static RegionDirectory Default { get; } = LoadEmbedded();

    /// <summary>Builds a directory from <c>code name</c> lines.</summary>
    public RegionDirectory(IEnumerable<string> lines)
    {
        var raw = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            var space = trimmed.IndexOf(' ');
            if (space != 6 || !IsSixDigits(trimmed.AsSpan(0, 6)))
                throw new FormatException($"行政区划代码表格式错误：“{trimmed}”");
            raw[trimmed[..6]] = trimmed[(space + 1)..].Trim();
        }

        var regions = new Dictionary<string, Region>(raw.Count);
        foreach (var (code, name) in raw)
        {
            var level = LevelOf(code);
            string? parent = null;
            if (level == RegionLevel.County)
            {
                // 直辖市 districts (110101) and 省直辖县级行政区划 (419001) have no prefecture row: fall back to the province.
                var prefecture = code[..4] + "00";
                parent = raw.ContainsKey(prefecture) ? prefecture : code[..2] + "0000";
            }
            else if (level == RegionLevel.Prefecture)
            {
                parent = code[..2] + "0000";
            }
            if (parent is not null && !raw.ContainsKey(parent)) parent = null;
            regions[code] = new Region(code, name, level, parent);
        }

        _byCode = regions.ToFrozenDictionary();
        _children = regions.Values.Where(r => r.ParentCode is not null)
            .GroupBy(r => r.ParentCode!)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(r => r.Code, StringComparer.Ordinal).ToArray());
        Provinces = regions.Values.Where(r => r.Level == RegionLevel.Province)
            .OrderBy(r => r.Code, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Number of codes in the list.</summary>
    public int Count => _byCode.Count;

    /// <summary>All 省级 divisions, ordered by code.</summary>
    public IReadOnlyList<Region> Provinces { get; }

    /// <summary>Finds a region by its code.</summary>
    public Region? Find(string? code) => code is not null && _byCode.TryGetValue(code, out var r) ? r : null;

    /// <summary>True when the code is a listed GB/T 2260 code.</summary>
    public bool IsValid(string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>Direct children of a region (prefectures of a province, counties of a prefecture).</summary>
    public IReadOnlyList<Region> ChildrenOf(string code) =>
        _children.TryGetValue(code, out var c) ? c : [];

    /// <summary>The chain from the province down to the region itself.</summary>
    public IReadOnlyList<Region> PathOf(string code)
    {
        var path = new List<Region>();
        for (var r = Find(code); r is not null; r = Find(r.ParentCode)) path.Insert(0, r);
        return path;
    }

    /// <summary>Full name, e.g. 山东省临沂市兰山区.</summary>
    public string FullName(string code) => string.Concat(PathOf(code).Select(r => r.Name));

    /// <summary>
    /// Checks a region code and explains in Chinese what is wrong, or returns null when valid.
    /// </summary>
    public string? Validate(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "行政区划代码不能为空";
        if (code.Length != 6) return $"行政区划代码“{code}”应为6位数字，实际为{code.Length}位";
        if (!IsSixDigits(code)) return $"行政区划代码“{code}”只能包含数字";
        if (!_byCode.ContainsKey(code)) return $"行政区划代码“{code}”不在 GB/T 2260 县级及以上行政区划代码表中";
        return null;
    }

    /// <summary>True when <paramref name="code"/> equals or lies under <paramref name="ancestor"/>.</summary>
    public bool IsWithin(string code, string ancestor) => PathOf(code).Any(r => r.Code == ancestor);

    private static RegionLevel LevelOf(string code) =>
        code.EndsWith("0000", StringComparison.Ordinal) ? RegionLevel.Province
        : code.EndsWith("00", StringComparison.Ordinal) ? RegionLevel.Prefecture
        : RegionLevel.County;

    private static bool IsSixDigits(ReadOnlySpan<char> s)
    {
        if (s.Length != 6) return false;
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    private static RegionDirectory LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("GovData.Regions.gbt2260-2024.txt")
            ?? throw new InvalidOperationException("缺少内嵌的行政区划代码表");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return new RegionDirectory(lines);
    }
}
