using GovData.SharedKernel.Regions;

namespace GovData.Data.Features.Demo;

/// <summary>A prefecture-level city of the demo province with what the demo data needs about it.</summary>
/// <param name="Region">GB/T 2260 entry (e.g. 370100 济南市).</param>
/// <param name="Short">Name without 市 (济南).</param>
/// <param name="AreaCode">Telephone area code (0531).</param>
/// <param name="LocalDigits">Digits of a local landline number (8 in 济南 and 青岛, 7 elsewhere).</param>
/// <param name="Plates">Licence-plate letters after 鲁.</param>
/// <param name="Longitude">Approximate centre (WGS 84).</param>
/// <param name="Latitude">Approximate centre (WGS 84).</param>
/// <param name="Weight">Share of the province's registered enterprises (relative).</param>
/// <param name="Counties">The county-level divisions under it (GB/T 2260).</param>
internal sealed record DemoCity(Region Region, string Short, string AreaCode, int LocalDigits, string Plates, double Longitude, double Latitude,
    double Weight, IReadOnlyList<Region> Counties);

/// <summary>
/// Real Shandong (山东省, 370000) places for demo data: the sixteen prefecture-level cities with their GB/T 2260 counties
/// (from SharedKernel <see cref="RegionDirectory"/>), telephone area codes, plate letters, approximate centres, and the
/// names of the market-regulation authorities (市场监督管理局) by region.
/// </summary>
internal sealed class ShandongPlaces
{
    public const string ProvinceCode = "370000";

    /// <summary>(code, area code, local digits, plate letters, longitude, latitude, relative weight).</summary>
    private static readonly (string Code, string Area, int Digits, string Plates, double Lon, double Lat, double Weight)[] CityFacts =
    [
        ("370100", "0531", 8, "AS", 117.00, 36.65, 13),
        ("370200", "0532", 8, "BU", 120.38, 36.07, 16),
        ("370300", "0533", 7, "C", 118.05, 36.81, 5),
        ("370400", "0632", 7, "D", 117.32, 34.81, 3),
        ("370500", "0546", 7, "E", 118.67, 37.43, 3),
        ("370600", "0535", 7, "FY", 121.45, 37.46, 8),
        ("370700", "0536", 7, "GV", 119.16, 36.71, 9),
        ("370800", "0537", 7, "H", 116.59, 35.41, 7),
        ("370900", "0538", 7, "J", 117.09, 36.20, 4),
        ("371000", "0631", 7, "K", 122.12, 37.51, 3),
        ("371100", "0633", 7, "L", 119.53, 35.42, 3),
        ("371300", "0539", 7, "Q", 118.36, 35.10, 9),
        ("371400", "0534", 7, "N", 116.36, 37.44, 4),
        ("371500", "0635", 7, "P", 115.99, 36.46, 4),
        ("371600", "0543", 7, "M", 117.97, 37.38, 3),
        ("371700", "0530", 7, "R", 115.48, 35.23, 6),
    ];

    private readonly double[] _cumulative;
    private readonly Dictionary<string, string> _fullNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _authorities = new(StringComparer.Ordinal);

    public ShandongPlaces(RegionDirectory regions)
    {
        Regions = regions;
        Province = regions.Find(ProvinceCode) ?? throw new InvalidOperationException("行政区划代码表中没有山东省（370000）");
        var cities = new List<DemoCity>();
        foreach (var f in CityFacts)
        {
            var region = regions.Find(f.Code) ?? throw new InvalidOperationException($"行政区划代码表中没有 {f.Code}");
            var counties = regions.ChildrenOf(f.Code);
            if (counties.Count == 0) throw new InvalidOperationException($"{region.Name}（{f.Code}）没有县级行政区划");
            cities.Add(new DemoCity(region, region.Name.TrimEnd('市'), f.Area, f.Digits, f.Plates, f.Lon, f.Lat, f.Weight, counties));
        }
        Cities = cities;
        _cumulative = new double[cities.Count];
        var sum = 0.0;
        for (var i = 0; i < cities.Count; i++) _cumulative[i] = sum += cities[i].Weight;
        Counties = cities.SelectMany(c => c.Counties).ToList();
        foreach (var code in cities.SelectMany(c => c.Counties.Select(x => x.Code).Prepend(c.Region.Code)).Prepend(ProvinceCode))
        {
            _fullNames[code] = regions.FullName(code);
            _authorities[code] = AuthorityOf(code);
        }
    }

    public RegionDirectory Regions { get; }

    public Region Province { get; }

    public IReadOnlyList<DemoCity> Cities { get; }

    /// <summary>Every county-level code of the province.</summary>
    public IReadOnlyList<Region> Counties { get; }

    /// <summary>A city, weighted by its share of enterprises.</summary>
    public DemoCity City(Bogus.Randomizer random)
    {
        var x = random.Double() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, x);
        return Cities[Math.Min(i < 0 ? ~i : i, Cities.Count - 1)];
    }

    /// <summary>A county of a weighted city.</summary>
    public (DemoCity City, Region County) County(Bogus.Randomizer random)
    {
        var city = City(random);
        return (city, city.Counties[random.Number(city.Counties.Count - 1)]);
    }

    /// <summary>The city a county-level code belongs to.</summary>
    public DemoCity CityOf(string code) => Cities.FirstOrDefault(c => code.StartsWith(c.Region.Code[..4], StringComparison.Ordinal)) ?? Cities[0];

    /// <summary>Full name: 山东省济南市历下区 (county), 山东省济南市 (city), 山东省.</summary>
    public string FullName(string code) => _fullNames.TryGetValue(code, out var name) ? name : Regions.FullName(code);

    /// <summary>历下区 → 历下, 胶州市 → 胶州, 平阴县 → 平阴 (names of two characters stay whole).</summary>
    public static string ShortName(string name) =>
        name.Length > 2 && (name.EndsWith('区') || name.EndsWith('县') || name.EndsWith('市')) ? name[..^1] : name;

    /// <summary>
    /// The market-regulation authority registering in a region: 山东省市场监督管理局, 济南市市场监督管理局,
    /// 济南市历下区市场监督管理局 (districts carry their city), 胶州市市场监督管理局, 平阴县市场监督管理局.
    /// </summary>
    public string Authority(string code) => _authorities.TryGetValue(code, out var name) ? name : AuthorityOf(code);

    private string AuthorityOf(string code)
    {
        var region = Regions.Find(code) ?? Province;
        return region.Level switch
        {
            RegionLevel.Province => region.Name + "市场监督管理局",
            RegionLevel.Prefecture => region.Name + "市场监督管理局",
            _ when region.Name.EndsWith('区') => CityOf(code).Region.Name + region.Name + "市场监督管理局",
            _ => region.Name + "市场监督管理局",
        };
    }
}
