using System.Globalization;
using System.Text;
using Bogus;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Features.Demo;

/// <summary>
/// Deterministic Chinese fake values for the demo (演示数据): person names from Bogus zh_CN, and everything Bogus does not
/// know about China built here from real rules — 统一社会信用代码 (GB 32100 with the GB 11714 organisation code inside),
/// 身份证号 (GB 11643 check digit), mobile and landline numbers with Shandong area codes, plates, addresses in real
/// Shandong counties, company names made of a place, a trade name, an industry and a legal form. The same seed gives the
/// same values on every machine and every day: dates are relative to the fixed <see cref="Anchor"/>, not to today.
/// </summary>
internal sealed class DemoFaker
{
    /// <summary>The "today" of generated values (dates in the data never pass it).</summary>
    public static readonly DateOnly Anchor = new(2026, 6, 30);

    /// <summary>Bogus's zh_CN name lists (100 surnames, 134 given names), read once: picking from arrays is ten times faster than Faker.Name.</summary>
    private static readonly Lazy<(string[] Surnames, string[] GivenNames)> Names = new(() =>
    {
        var name = (Bogus.Bson.BObject)Database.GetLocale("zh_CN")["name"];
        static string[] Strings(Bogus.Bson.BValue list)
        {
            var array = (Bogus.Bson.BArray)list;
            return Enumerable.Range(0, array.Count).Select(i => array[i].StringValue).ToArray();
        }
        return (Strings(name["last_name"]), Strings(name["first_name"]));
    });

    public DemoFaker(int seed, ShandongPlaces places)
    {
        Random = new Randomizer(seed);
        Places = places;
    }

    public Randomizer Random { get; }

    public ShandongPlaces Places { get; }

    /// <summary>A stable seed from a text (FNV-1a; <c>string.GetHashCode</c> differs per process).</summary>
    public static int Seed(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 16777619u;
        }
        return (int)(hash & 0x7FFFFFFF);
    }

    public T Pick<T>(IReadOnlyList<T> list) => list[Random.Number(list.Count - 1)];

    public bool Chance(double probability) => Random.Double() < probability;

    public int Between(int min, int max) => Random.Number(min, max);

    public string Digits(int count)
    {
        Span<char> buffer = stackalloc char[count];
        for (var i = 0; i < count; i++) buffer[i] = (char)('0' + Random.Number(9));
        return new string(buffer);
    }

    // ---------------------------------------------------------------- people

    /// <summary>A Chinese name (surname + given name) from Bogus zh_CN.</summary>
    public string PersonName() => Pick(Names.Value.Surnames) + Pick(Names.Value.GivenNames);

    /// <summary>
    /// A GB 11643 citizen number: a Shandong county code (birthplace), the birth date, a three-digit sequence whose parity
    /// gives the sex (odd: male), and the ISO 7064 MOD 11-2 check character.
    /// </summary>
    public string IdNumber(string countyCode, DateOnly birth, bool male)
    {
        var sequence = Random.Number(0, 499) * 2 + (male ? 1 : 0);
        var first17 = countyCode + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("000", CultureInfo.InvariantCulture);
        return first17 + IdNumberValidator.CheckCharacter(first17);
    }

    /// <summary>A birth date for someone between <paramref name="minAge"/> and <paramref name="maxAge"/> at <see cref="Anchor"/>.</summary>
    public DateOnly BirthDate(int minAge, int maxAge) => Date(Anchor.AddYears(-maxAge), Anchor.AddYears(-minAge));

    private static readonly string[] MobilePrefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158",
        "159", "166", "173", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
    ];

    /// <summary>An 11-digit mobile number (1[3-9] + 9 digits).</summary>
    public string Mobile() => Pick(MobilePrefixes) + Digits(8);

    /// <summary>A landline with the city's area code: 0531-86123456 (8 local digits in 济南/青岛, 7 elsewhere; first digit 5–8).</summary>
    public string Landline(DemoCity city) => city.AreaCode + "-" + (char)('5' + Random.Number(3)) + Digits(city.LocalDigits - 1);

    /// <summary>A contact number: mostly mobile, sometimes the city's landline.</summary>
    public string Phone(DemoCity city) => Chance(0.65) ? Mobile() : Landline(city);

    /// <summary>鲁A·12345 style plate (written without the dot): the city's letter and five characters, at most two letters.</summary>
    public string Plate(DemoCity city)
    {
        var letter = city.Plates[Random.Number(city.Plates.Length - 1)];
        var tail = new StringBuilder(5);
        var letters = 0;
        for (var i = 0; i < 5; i++)
        {
            if (letters < 2 && Chance(0.2)) { tail.Append(PlateLetters[Random.Number(PlateLetters.Length - 1)]); letters++; }
            else tail.Append((char)('0' + Random.Number(9)));
        }
        return "鲁" + letter + tail;
    }

    private const string PlateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";

    // ---------------------------------------------------------------- organisations

    /// <summary>
    /// A 统一社会信用代码 (GB 32100): registration authority (9 = 市场监管), kind (1 企业, 2 个体工商户, 3 农民专业合作社; other
    /// authorities their own), the registering region's GB/T 2260 code, the 9-character organisation code (eight body
    /// characters + GB 11714 check character: numeric bodies before the 2015 reform, "MA…" afterwards) and the check character.
    /// </summary>
    public string CreditCode(char authority, char kind, string regionCode, DateOnly established)
    {
        Span<char> body = stackalloc char[8];
        if (established < new DateOnly(2015, 10, 1))
        {
            body[0] = "35678"[Random.Number(4)];
            for (var i = 1; i < 8; i++) body[i] = (char)('0' + Random.Number(9));
        }
        else
        {
            body[0] = 'M';
            body[1] = 'A';
            for (var i = 2; i < 8; i++) body[i] = SharedKernel.Codes.CreditCode.Alphabet[Random.Number(SharedKernel.Codes.CreditCode.Alphabet.Length - 1)];
        }
        return SharedKernel.Codes.CreditCode.Create(authority, kind, regionCode, new string(body)).Value;
    }

    /// <summary>A GB 11714 organisation code (8 characters + check character).</summary>
    public string OrganizationCode()
    {
        var body = Digits(8);
        return body + SharedKernel.Codes.CreditCode.OrganizationCheckCharacter(body);
    }

    private static readonly string[] TradeFirst =
    [
        "鑫", "华", "泰", "瑞", "恒", "润", "德", "盛", "昌", "鸿", "宏", "金", "源", "丰", "诚", "信", "和", "安", "康", "远", "达", "通", "新",
        "博", "嘉", "正", "天", "永", "聚", "汇", "优", "卓", "睿", "智", "启", "明", "广", "海", "蓝", "绿", "锦", "益", "兴", "旺", "隆",
        "福", "祥", "晟", "翔", "骏", "宸", "弘", "逸", "鼎", "浩", "铭", "昊", "峰", "川", "岳", "泉", "沃", "朗", "禾", "欣", "舜", "航",
    ];

    private static readonly string[] TradeSecond =
    [
        "鑫", "华", "泰", "瑞", "恒", "润", "德", "盛", "昌", "鸿", "宏", "源", "丰", "诚", "信", "和", "安", "康", "远", "达", "通", "博", "嘉",
        "正", "聚", "汇", "优", "卓", "睿", "智", "启", "明", "广", "海", "锦", "益", "兴", "旺", "隆", "福", "祥", "晟", "翔", "骏", "宸",
        "弘", "鼎", "浩", "铭", "昊", "峰", "川", "岳", "沃", "朗", "禾", "欣", "航", "辰", "宇", "阳", "洋", "业", "邦", "创", "特", "赢",
    ];

    /// <summary>Trade names that are (or sound like) well-known real companies and brands of the province: never generated.</summary>
    private static readonly HashSet<string> RealTradeNames =
    [
        "华泰", "新华", "恒通", "国泰", "鲁花", "海尔", "海信", "浪潮", "张裕", "魏桥", "潍柴", "万华", "玲珑", "南山", "西王", "晨鸣", "东岳",
        "双星", "九阳", "鲁泰", "华鲁", "信发", "京博", "利华", "鲁信", "鲁能", "鲁商", "山推", "齐鲁", "泰和", "华信", "恒安", "恒源", "德信",
        "安康", "永安", "天和", "远达", "鸿达", "宏达", "金盛", "和信", "兴业", "广汇", "博远", "正泰", "明泰", "海兴", "益海", "嘉华",
    ];

    /// <summary>A two-character trade name (字号): syllable pairs or a Bogus zh_CN given name, never a listed real brand.</summary>
    public string TradeName()
    {
        while (true)
        {
            string name;
            if (Chance(0.25))
            {
                name = Pick(Names.Value.GivenNames);
                if (name.Length != 2) continue;
            }
            else
            {
                name = Pick(TradeFirst) + Pick(TradeSecond);
                if (name[0] == name[1]) continue;
            }
            if (!RealTradeNames.Contains(name)) return name;
        }
    }

    // ---------------------------------------------------------------- places and addresses

    private static readonly string[] StreetRoots =
    [
        "经十", "经七", "纬二", "泉城", "历山", "解放", "和平", "文化", "建设", "人民", "胜利", "新华", "黄河", "泰山", "工业", "科技", "振兴",
        "幸福", "长江", "青年", "东风", "光明", "团结", "北京", "上海", "南京", "香港", "正阳", "金山", "银河", "花园", "明湖", "滨河",
        "府前", "政通", "站前", "迎宾", "开元", "学院", "华山", "嵩山", "昆仑", "珠江", "松花江", "东岳", "海滨", "沿河", "朝阳", "永安",
    ];

    private static readonly string[] StreetSuffixes = ["路", "路", "路", "街", "大街", "大道", "东路", "西路", "南路", "北路", "中路"];

    private static readonly string[] Buildings = ["大厦", "商务中心", "科技园", "创业园", "国际广场", "产业园", "金融中心", "工业园"];

    /// <summary>A street name (经十路, 黄河大道 …).</summary>
    public string Street() => Pick(StreetRoots) + Pick(StreetSuffixes);

    /// <summary>山东省济南市历下区经十路1234号[某某大厦1502室]; <paramref name="withRoom"/> adds a building and room.</summary>
    public string Address(string countyCode, bool withRoom = false)
    {
        var text = Places.FullName(countyCode) + Street() + Random.Number(1, 9999).ToString(CultureInfo.InvariantCulture) + "号";
        if (withRoom && Chance(0.5))
            text += Pick(StreetRoots) + Pick(Buildings) + Random.Number(1, 28).ToString(CultureInfo.InvariantCulture) + Random.Number(1, 20).ToString("00", CultureInfo.InvariantCulture) + "室";
        return text;
    }

    /// <summary>Longitude and latitude near the city's centre (within about 50 km), 7 decimals.</summary>
    public (decimal Longitude, decimal Latitude) Coordinates(DemoCity city) =>
        (Math.Round((decimal)(city.Longitude + (Random.Double() - 0.5) * 0.9), 7), Math.Round((decimal)(city.Latitude + (Random.Double() - 0.5) * 0.7), 7));

    // ---------------------------------------------------------------- dates and numbers

    /// <summary>A date between the two (inclusive).</summary>
    public DateOnly Date(DateOnly from, DateOnly to) =>
        from.AddDays(Random.Number(0, Math.Max(0, to.DayNumber - from.DayNumber)));

    /// <summary>A date in the last <paramref name="years"/> years before <see cref="Anchor"/>.</summary>
    public DateOnly RecentDate(int years) => Date(Anchor.AddYears(-years), Anchor);

    /// <summary>A time of day during office hours, as a timestamp on <paramref name="day"/>.</summary>
    public DateTime OfficeTime(DateOnly day) => day.ToDateTime(new TimeOnly(Random.Number(8, 17), Random.Number(59), Random.Number(59)));

    /// <summary>A timestamp at any time of the day.</summary>
    public DateTime AnyTime(DateOnly day) => day.ToDateTime(new TimeOnly(Random.Number(23), Random.Number(59), Random.Number(59)));

    /// <summary>A decimal between <paramref name="min"/> and <paramref name="max"/>, rounded to <paramref name="decimals"/> places.</summary>
    public decimal Amount(decimal min, decimal max, int decimals = 2) => Math.Round(min + (max - min) * (decimal)Random.Double(), decimals);

    /// <summary>A log-uniform amount (many small, few large), rounded to <paramref name="decimals"/>.</summary>
    public decimal LogAmount(double min, double max, int decimals = 2) =>
        Math.Round((decimal)Math.Exp(Math.Log(min) + (Math.Log(max) - Math.Log(min)) * Random.Double()), decimals);

    public static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Text(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Text(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    public static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}
