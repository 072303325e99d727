using GovData.SharedKernel.Regions;

namespace GovData.Data.Features.Demo;

/// <summary>A generated person: the name, sex, birth date and citizen number agree with each other.</summary>
internal sealed record DemoPerson(string Name, bool Male, DateOnly Birth, string IdNumber, string CountyCode, DemoCity City);

/// <summary>What kind of organisation a resource's 统一社会信用代码 and names belong to.</summary>
internal enum DemoOrgKind
{
    /// <summary>企业 (91…, 93… for 农民专业合作社), registered by 市场监督管理局.</summary>
    Enterprise,
    /// <summary>个体工商户 (92…).</summary>
    Individual,
    /// <summary>社会组织 (51/52/53…), registered by 民政.</summary>
    SocialOrganization,
    /// <summary>机关 (11…).</summary>
    Government,
    /// <summary>事业单位 (12…).</summary>
    PublicInstitution,
}

/// <summary>
/// A generated organisation: the 统一社会信用代码's region is where it registered, the authority is that region's
/// registration authority, the address lies in that region, the status depends on its age.
/// </summary>
internal sealed record DemoOrganization(
    string CreditCode, string Name, string RegionCode, DemoCity City, string CountyCode, string Authority, DateOnly Established,
    string LegalRepresentative, string Type, string Address, string Status);

/// <summary>Makes <see cref="DemoPerson"/>s and <see cref="DemoOrganization"/>s from a <see cref="DemoFaker"/>.</summary>
internal sealed class DemoEntities(DemoFaker faker)
{
    private ShandongPlaces Places => faker.Places;

    public DemoPerson Person(int minAge = 18, int maxAge = 80, bool? male = null)
    {
        var (city, county) = Places.County(faker.Random);
        var isMale = male ?? faker.Chance(0.5);
        var birth = faker.BirthDate(minAge, maxAge);
        return new DemoPerson(faker.PersonName(), isMale, birth, faker.IdNumber(county.Code, birth, isMale), county.Code, city);
    }

    // ------------------------------------------------------------------ enterprises (企业法人库 and every resource about companies)

    /// <summary>法人类型 (C,6) with realistic shares; 农民合作社 get kind 3 in their credit code.</summary>
    private static readonly (string Type, double Weight)[] EnterpriseTypes =
    [
        ("有限责任公司", 86), ("股份有限公司", 4), ("外商投资企业", 2), ("集体所有制", 2.5), ("全民所有制", 1.5), ("股份合作制", 1), ("农民合作社", 3),
    ];

    private static readonly (string Word, double Weight)[] Industries =
    [
        ("科技", 12), ("商贸", 9), ("贸易", 5), ("建筑工程", 5), ("建设工程", 4), ("机械设备", 4), ("食品", 3), ("农业科技", 3), ("物流", 4),
        ("网络科技", 5), ("信息技术", 4), ("环保科技", 3), ("新材料", 2), ("生物科技", 2), ("医药", 1.5), ("餐饮管理", 3), ("文化传媒", 3),
        ("广告", 2), ("装饰工程", 3), ("汽车销售", 1.5), ("化工", 1.5), ("纺织", 1), ("服装", 1), ("电子", 2), ("电气", 1.5),
        ("新能源", 2), ("房地产开发", 1.5), ("物业管理", 2), ("劳务", 2), ("人力资源", 1.5), ("教育咨询", 1.5), ("企业管理咨询", 2),
        ("供应链管理", 1.5), ("实业", 2), ("金属制品", 1.5), ("塑料制品", 1), ("包装", 1), ("印刷", 0.8), ("家具", 0.8), ("水产", 0.8),
        ("健康管理", 1), ("旅游开发", 0.8), ("工程监理", 0.5), ("检测技术", 0.8), ("软件", 1.5), ("智能科技", 2), ("能源", 1),
    ];

    private static readonly string[] FactoryWords = ["机械厂", "五金厂", "砖瓦厂", "食品厂", "纸箱厂", "服装厂", "农机修造厂", "建筑安装公司", "综合商店", "粮油加工厂"];

    private static readonly string[] StateOwnedWords = ["建筑工程公司", "物资公司", "供销总公司", "运输公司", "粮食储备库", "市政工程公司", "医药公司", "机械厂"];

    private static readonly string[] CooperativeWords = ["蔬菜种植", "果品", "粮食种植", "畜牧养殖", "农机服务", "食用菌", "花生种植", "茶叶", "苹果种植", "中药材种植"];

    private static readonly string[] IndividualWords = ["百货商店", "便利店", "餐馆", "小吃店", "理发店", "五金店", "建材经营部", "汽车修理部", "水果店", "日杂店", "服装店", "烟酒店", "快餐店", "家电维修部"];

    /// <summary>Cumulative weights of the founding years from a first year to the anchor's (about +12% companies a year).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, double[]> YearWeights = new();

    /// <summary>A founding date from <paramref name="fromYear"/> on, later years more likely (about +12% a year since 1990).</summary>
    private DateOnly FoundingDate(int fromYear)
    {
        var to = DemoFaker.Anchor.Year;
        var cumulative = YearWeights.GetOrAdd(fromYear, from =>
        {
            var weights = new double[to - from + 1];
            var acc = 0.0;
            for (var y = from; y <= to; y++) weights[y - from] = acc += Math.Pow(1.12, y - from);
            return weights;
        });
        var x = faker.Random.Double() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, x);
        var year = fromYear + Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
        var first = new DateOnly(year, 1, 1);
        var last = year == to ? DemoFaker.Anchor : new DateOnly(year, 12, 31);
        return faker.Date(first, last);
    }

    private static readonly double TypeWeights = EnterpriseTypes.Sum(t => t.Weight);
    private static readonly double IndustryWeights = Industries.Sum(t => t.Weight);

    private static string Weighted((string Word, double Weight)[] list, double total, double x)
    {
        var target = x * total;
        foreach (var (word, weight) in list)
        {
            if (target < weight) return word;
            target -= weight;
        }
        return list[^1].Word;
    }

    /// <summary>法人状态 by age: old companies are more often 注销 or 吊销.</summary>
    private string Status(DateOnly established)
    {
        var age = DemoFaker.Anchor.Year - established.Year;
        var (cancelled, revoked) = age switch
        {
            >= 15 => (0.26, 0.12),
            >= 8 => (0.16, 0.07),
            >= 3 => (0.10, 0.03),
            _ => (0.04, 0.005),
        };
        var x = faker.Random.Double();
        if (x < cancelled) return "注销";
        if (x < cancelled + revoked) return "吊销";
        return x < cancelled + revoked + (1 - cancelled - revoked) * 0.25 ? "在业" : "存续";
    }

    /// <summary>Where a company registered: the province (1%), a city (11%) or a county (88%).</summary>
    private (string RegionCode, DemoCity City, Region County) RegistrationPlace()
    {
        var (city, county) = Places.County(faker.Random);
        var x = faker.Random.Double();
        if (x < 0.01) return (ShandongPlaces.ProvinceCode, Places.Cities[0], Places.Cities[0].Counties[0]);
        return x < 0.12 ? (city.Region.Code, city, county) : (county.Code, city, county);
    }

    /// <summary>The place part of a name: 山东, the city (济南) or the county (章丘).</summary>
    private string NamePlace(string registeredAt, DemoCity city, Region county)
    {
        if (registeredAt == ShandongPlaces.ProvinceCode) return "山东";
        var x = faker.Random.Double();
        var countyShort = ShandongPlaces.ShortName(county.Name);
        if (registeredAt == county.Code && x < 0.3 && countyShort != "市中") return countyShort;
        return x < 0.88 ? city.Short : "山东";
    }

    public DemoOrganization Organization(DemoOrgKind kind) => kind switch
    {
        DemoOrgKind.Individual => Individual(),
        DemoOrgKind.SocialOrganization => SocialOrganization(),
        DemoOrgKind.Government => PublicBody(government: true),
        DemoOrgKind.PublicInstitution => PublicBody(government: false),
        _ => Enterprise(),
    };

    /// <summary>A company of 企业法人库 (credit code 91…/93…, 法人类型, 法人状态 …).</summary>
    public DemoOrganization Enterprise()
    {
        var type = Weighted(EnterpriseTypes, TypeWeights, faker.Random.Double());
        var (regionCode, city, county) = RegistrationPlace();
        var established = type switch
        {
            // Publicly and collectively owned enterprises are mostly older; cooperatives exist since the 2007 law.
            "全民所有制" or "集体所有制" => faker.Date(new DateOnly(1982, 1, 1), new DateOnly(2005, 12, 31)),
            "股份合作制" => faker.Date(new DateOnly(1992, 1, 1), new DateOnly(2012, 12, 31)),
            "农民合作社" => FoundingDate(2008),
            _ => FoundingDate(1990),
        };
        var place = NamePlace(regionCode, city, county);
        var trade = faker.TradeName();
        var industry = Weighted(Industries, IndustryWeights, faker.Random.Double());
        var name = type switch
        {
            "股份有限公司" => (regionCode == ShandongPlaces.ProvinceCode || faker.Chance(0.5) ? "山东" : city.Short) + trade + industry + "股份有限公司",
            "集体所有制" => ShandongPlaces.ShortName(county.Name) + trade + faker.Pick(FactoryWords),
            "全民所有制" => city.Region.Name + faker.Pick(StateOwnedWords),
            "股份合作制" => place + trade + industry + "股份合作公司",
            "农民合作社" => ShandongPlaces.ShortName(county.Name) + trade + faker.Pick(CooperativeWords) + "专业合作社",
            _ => place + trade + industry + (faker.Chance(0.02) ? "集团有限公司" : "有限公司"),
        };
        if (type == "全民所有制" && faker.Chance(0.6)) name = city.Region.Name + trade + faker.Pick(StateOwnedWords);
        var kindCode = type == "农民合作社" ? '3' : '1';
        var code = faker.CreditCode('9', kindCode, regionCode, established);
        return new DemoOrganization(code, name, regionCode, city, county.Code, Places.Authority(regionCode), established, faker.PersonName(), type,
            faker.Address(county.Code, withRoom: type is "有限责任公司" or "股份有限公司" or "外商投资企业"), Status(established));
    }

    private DemoOrganization Individual()
    {
        var (city, county) = Places.County(faker.Random);
        var established = FoundingDate(1995);
        var owner = faker.PersonName();
        var name = faker.Chance(0.3)
            ? ShandongPlaces.ShortName(county.Name) + owner + faker.Pick(IndividualWords)
            : city.Short + "市" + ShandongPlaces.ShortName(county.Name) + faker.TradeName() + faker.Pick(IndividualWords);
        return new DemoOrganization(faker.CreditCode('9', '2', county.Code, established), name, county.Code, city, county.Code, Places.Authority(county.Code),
            established, owner, "个体工商户", faker.Address(county.Code), Status(established));
    }

    private static readonly string[] AssociationFields = ["个体劳动者", "私营企业", "物流", "建筑业", "餐饮", "软件行业", "电子商务", "养老服务", "书法家", "摄影家", "老年体育", "青年企业家", "果业", "旅游", "律师", "家庭服务业"];

    private static readonly string[] NonProfitWords = ["养老服务中心", "职业培训学校", "康复中心", "社会工作服务中心", "幼儿园", "文化艺术培训学校", "公益服务中心"];

    private DemoOrganization SocialOrganization()
    {
        var (city, county) = Places.County(faker.Random);
        var established = FoundingDate(1995);
        var x = faker.Random.Double();
        string name, type, region;
        char kind;
        if (x < 0.45)
        {
            region = faker.Chance(0.3) ? city.Region.Code : county.Code;
            name = (region == city.Region.Code ? city.Region.Name : city.Region.Name + county.Name) + faker.Pick(AssociationFields) + faker.Pick(["协会", "商会", "研究会", "促进会", "联合会"]);
            (type, kind) = ("社会团体", '1');
        }
        else if (x < 0.92)
        {
            region = county.Code;
            name = city.Short + "市" + ShandongPlaces.ShortName(county.Name) + faker.TradeName() + faker.Pick(NonProfitWords);
            (type, kind) = ("民办非企业单位", '2');
        }
        else
        {
            region = faker.Chance(0.5) ? ShandongPlaces.ProvinceCode : city.Region.Code;
            name = (region == ShandongPlaces.ProvinceCode ? "山东省" : city.Region.Name) + faker.TradeName() + faker.Pick(["慈善基金会", "教育基金会", "公益基金会"]);
            (type, kind) = ("基金会", '3');
        }
        var authority = region == ShandongPlaces.ProvinceCode ? "山东省民政厅" : region == city.Region.Code ? city.Region.Name + "民政局" : CivilAffairs(county.Code);
        return new DemoOrganization(faker.CreditCode('5', kind, region, established), name, region, city, county.Code, authority, established, faker.PersonName(),
            type, faker.Address(county.Code), faker.Chance(0.9) ? "正常" : "注销");
    }

    private string CivilAffairs(string countyCode)
    {
        var region = Places.Regions.Find(countyCode)!;
        return (region.Name.EndsWith('区') ? Places.CityOf(countyCode).Region.Name + region.Name : region.Name) + "民政局";
    }

    private static readonly string[] Bureaus = ["发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "大数据局"];

    private static readonly string[] Institutions = ["政务服务中心", "不动产登记中心", "公共就业和人才服务中心", "社会保险事业中心", "疾病预防控制中心", "城市建设综合服务中心", "公共资源交易中心", "档案馆", "图书馆", "农业技术推广中心", "大数据中心", "住房公积金管理中心", "园林绿化服务中心", "水文中心"];

    private DemoOrganization PublicBody(bool government)
    {
        var (city, county) = Places.County(faker.Random);
        var level = faker.Random.Double();
        var (region, prefix) = level < 0.1 ? (ShandongPlaces.ProvinceCode, "山东省") : level < 0.4 ? (city.Region.Code, city.Region.Name)
            : (county.Code, county.Name.EndsWith('区') ? city.Region.Name + county.Name : county.Name);
        var name = prefix + (government ? faker.Pick(Bureaus) : faker.Pick(Institutions));
        var established = faker.Date(new DateOnly(1980, 1, 1), new DateOnly(2019, 12, 31));
        var authority = prefix + (government ? "机构编制委员会办公室" : "事业单位登记管理局");
        return new DemoOrganization(faker.CreditCode('1', government ? '1' : '2', region, established), name, region, city, county.Code, authority, established,
            faker.PersonName(), government ? "机关法人" : "事业单位法人", faker.Address(county.Code), "正常");
    }

    /// <summary>A company name for roles in a row (建设单位, 承担单位 …) without the rest of an organisation.</summary>
    public string CompanyName(string industry)
    {
        var (city, _) = Places.County(faker.Random);
        return (faker.Chance(0.7) ? city.Short : "山东") + faker.TradeName() + industry + "有限公司";
    }
}
