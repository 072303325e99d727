using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Regions;

namespace GovData.Data.Features.Demo;

/// <summary>
/// Generates the rows of a demo table from its columns (the published information items): each value is chosen by the
/// item's name, type, length and value domain — 姓名, 身份证号 with a valid check digit, 手机号, 地址 in a real Shandong county,
/// dates, amounts, 统一社会信用代码, 行政区划代码, codes in the formats of the real registers, enumerations from the item's
/// 值域 — and values of one row agree with each other (the 性别 and 出生日期 of the person whose 身份证号 it is, the
/// 登记机关 of the region in the credit code, 有效期至 after 发证日期 …).
/// <para>
/// Every value is passed through the module's own <see cref="ColumnConverter"/> — the validation a load applies — so
/// the demo holds exactly what a valid file would load; a generated value that fails is a bug and raises an exception.
/// Key items are unique: a row whose key repeats an earlier one is drawn again, and when the key's value space is used
/// up (a key with a handful of possible values) the table simply ends there.
/// </para>
/// </summary>
internal sealed class DemoRowGenerator
{
    private const int KeyAttempts = 60;

    private readonly IReadOnlyList<DataColumn> _columns;
    private readonly ColumnConverter[] _converters;
    private readonly DemoFaker _faker;
    private readonly DemoEntities _entities;
    private readonly string _resource;
    private readonly DemoOrgKind _orgKind;
    private readonly int[] _keyColumns;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private Row _row = new();

    public DemoRowGenerator(string resourceName, IReadOnlyList<DataColumn> columns, DemoFaker faker)
    {
        _resource = resourceName;
        _columns = columns;
        _converters = ColumnConverter.For(columns, ConversionOptions.Default);
        _faker = faker;
        _entities = new DemoEntities(faker);
        _orgKind = OrgKindOf(resourceName);
        _keyColumns = columns.Where(c => c.IsKey).Select(c => c.Ordinal - 1).ToArray();
    }

    /// <summary>The kind of organisation a resource is about, from its name.</summary>
    public static DemoOrgKind OrgKindOf(string resourceName) => resourceName switch
    {
        _ when Has(resourceName, "社会组织", "社会团体", "基金会") => DemoOrgKind.SocialOrganization,
        _ when Has(resourceName, "个体工商户") => DemoOrgKind.Individual,
        _ when Has(resourceName, "机关法人") => DemoOrgKind.Government,
        _ when Has(resourceName, "事业单位") => DemoOrgKind.PublicInstitution,
        _ => DemoOrgKind.Enterprise,
    };

    private static bool Has(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));

    /// <summary>
    /// Fills the next row: <paramref name="texts"/> as a file would hold them and <paramref name="values"/> converted
    /// (the module's CLR values). False when no new key could be found (the key's value space is exhausted).
    /// </summary>
    public bool TryNext(string?[] texts, object?[] values)
    {
        for (var attempt = 0; attempt < KeyAttempts; attempt++)
        {
            _row = new Row();
            for (var i = 0; i < _columns.Count; i++)
            {
                var text = Generate(_columns[i]);
                if (text is not null && _columns[i].Length is { } max && _columns[i].Kind == ColumnKind.Text && text.Length > max) text = Fit(text, max);
                if (!_converters[i].TryConvert(text, out var value, out var problem))
                {
                    // An enumeration in the item's 值域 wins over what the name suggested.
                    if (_converters[i].ChecksDomain && _converters[i].Domain.Entries.Count > 0)
                    {
                        var entry = _faker.Pick(_converters[i].Domain.Entries);
                        text = entry.Code ?? entry.Label;
                        if (_converters[i].TryConvert(text, out value, out problem)) { texts[i] = text; values[i] = value; continue; }
                    }
                    throw new InvalidOperationException(
                        $"演示数据生成错误：资源“{_resource}”信息项“{_columns[i].ItemName}”的值“{text}”未通过校验：{problem!.Message}");
                }
                texts[i] = text;
                values[i] = value;
            }
            if (_keyColumns.Length == 0) return true;
            var key = string.Join('\u001F', _keyColumns.Select(k => ColumnConverter.Format(values[k]) ?? "\u2205"));
            if (_keys.Add(key)) return true;
        }
        return false;
    }

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..max];

    // ------------------------------------------------------------------ the row's shared entities

    private sealed class Row
    {
        public DemoPerson? Person;
        public DemoPerson? Groom;
        public DemoPerson? Bride;
        public DemoOrganization? Org;
        public DateOnly? Base;
        public (DemoCity City, Region County)? Place;
        public int? Pick;
    }

    private DemoPerson Person => _row.Person ??= _entities.Person(_resource.Contains("学生", StringComparison.Ordinal) || _resource.Contains("学籍", StringComparison.Ordinal) ? 6 : 18,
        _resource.Contains("老年", StringComparison.Ordinal) || _resource.Contains("养老", StringComparison.Ordinal) ? 95 : 80);

    private DemoOrganization Org => _row.Org ??= _entities.Organization(_orgKind);

    private (DemoCity City, Region County) Place => _row.Place ??= _row.Org is { } o
        ? (o.City, _faker.Places.Regions.Find(o.CountyCode)!)
        : _row.Person is { } p ? (p.City, _faker.Places.Regions.Find(p.CountyCode)!) : _faker.Places.County(_faker.Random);

    private DateOnly Base => _row.Base ??= _faker.RecentDate(6);

    /// <summary>One index per row shared by paired lists (chemical name and CAS number, disease name and code …).</summary>
    private int PairIndex(int count) => (_row.Pick ??= _faker.Random.Number(int.MaxValue - 1)) % count;

    private T Pick<T>(params T[] options) => _faker.Pick(options);

    private string CountyShort => ShandongPlaces.ShortName(Place.County.Name);

    private string RegionPrefix => Place.County.Name.EndsWith('区') ? Place.City.Region.Name + Place.County.Name : Place.County.Name;

    private string Year(DateOnly d) => d.Year.ToString(CultureInfo.InvariantCulture);

    private string Seq(int digits) => _faker.Digits(digits);

    // ------------------------------------------------------------------ values

    private string? Generate(DataColumn c)
    {
        var name = c.ItemName;
        if (!c.IsRequired && !c.IsKey && OptionalIsEmpty(name)) return null;
        return Named(c, name) ?? ByValidator(c) ?? ByPattern(c, name) ?? ByType(c);
    }

    /// <summary>
    /// Optional items left empty in some rows, as real registers have them — except the identifying facts of a register
    /// entry (names, status, type, authority, founding date, domicile), which a register always fills.
    /// </summary>
    private bool OptionalIsEmpty(string name) => name switch
    {
        "法人名称" or "企业名称" or "单位名称" or "机构名称" or "社会组织名称" or "姓名" or "法定代表人" or "法人类型" or "法人状态" or "登记状态"
            or "批准或核准机关" or "登记机关" or "批准时间" or "成立日期" or "法人处所" or "住所" => false,
        "移出日期" => _faker.Chance(0.65),
        "不合格项目" => _faker.Chance(0.8),
        "备注" => _faker.Chance(0.6),
        "营业期限至" => _faker.Chance(0.3),
        "办结日期" or "结案日期" or "结题日期" => _faker.Chance(0.15),
        _ => _faker.Chance(0.02),
    };

    private string? ByValidator(DataColumn c)
    {
        var validator = _converters[c.Ordinal - 1].Validator;
        return validator switch
        {
            CreditCodeValidator => Org.CreditCode,
            IdNumberValidator => Person.IdNumber,
            RegionCodeValidator => Place.County.Code,
            PhoneValidator => _faker.Phone(Place.City),
            _ => null,
        };
    }

    private string? Named(DataColumn c, string name)
    {
        switch (name)
        {
            // ---- people
            case "姓名" or "执业医师姓名" or "注册建造师姓名" or "传承人姓名" or "承包方代表" or "项目负责人" or "网格员":
                return Person.Name;
            case "新生儿姓名":
                return (_row.Person ??= _entities.Person(0, 1)).Name;
            case "母亲姓名": return _entities.Person(22, 40, male: false).Name;
            case "父亲姓名": return _entities.Person(22, 45, male: true).Name;
            case "男方姓名": return (_row.Groom ??= _entities.Person(22, 60, male: true)).Name;
            case "女方姓名": return (_row.Bride ??= _entities.Person(20, 58, male: false)).Name;
            case "男方公民身份号码": return (_row.Groom ??= _entities.Person(22, 60, male: true)).IdNumber;
            case "女方公民身份号码": return (_row.Bride ??= _entities.Person(20, 58, male: false)).IdNumber;
            case "社会保障号码": return Person.IdNumber;
            case "性别": return Person.Male ? "1" : "2";
            case "出生日期": return DemoFaker.Text(Person.Birth);
            case "出生时间": return DemoFaker.Text(_faker.AnyTime((_row.Person ??= _entities.Person(0, 1)).Birth));
            case "民族": return _faker.Chance(0.96) ? "01" : Pick("03", "03", "11", "10", "08", "02");
            case "户籍地址" or "居住地址": return _faker.Address(Place.County.Code);
            case "户号": return Place.County.Code + Seq(9);
            case "与户主关系": return Pick("02", "10", "20", "30", "51", "52");
            case "文化程度": return Pick("10", "20", "20", "30", "30", "60", "70", "70", "80");
            case "婚姻状况": return Pick("10", "20", "20", "20", "30", "40");
            case "学籍号": return "G" + Person.IdNumber;
            case "银行账号": return Pick("6217", "6228", "6222", "6230", "6214") + Seq(15);
            case "公积金账号": return Place.City.Region.Code[..4] + Seq(10);
            case "申请人名称": return _faker.Chance(0.7) ? Person.Name : Org.Name;
            case "权利人": return _faker.Chance(0.6) ? Person.Name : Org.Name;
            case "被执行人名称" or "信用主体名称": return Org.Name;

            // ---- organisations
            case "法人名称" or "企业名称" or "单位名称" or "社会组织名称" or "机构名称": return Org.Name;
            case "法定代表人": return Org.LegalRepresentative;
            case "批准或核准机关" or "登记机关": return Org.Authority;
            case "批准时间" or "成立日期": return DemoFaker.Text(Org.Established);
            case "法人类型": return Org.Type;
            case "法人处所" or "住所": return Org.Address;
            case "法人状态": return Org.Status;
            case "登记状态": return Org.Status;
            case "注册资本": return DemoFaker.Text(Math.Round(_faker.LogAmount(100_000, 200_000_000, 0) / 10_000) * 10_000);
            case "企业类型": return Pick("173", "173", "173", "173", "174", "150", "160", "110", "120", "130", "300");
            case "所属行业": return Pick("C3311", "C3484", "C2929", "C1391", "E4813", "F5191", "F5212", "G5438", "I6510", "I6421", "L7212", "M7320", "A0141", "H6210", "K7020");
            case "组织机构代码": return _faker.OrganizationCode();
            case "营业期限至": return DemoFaker.Text(Org.Established.AddYears(Pick(20, 30, 50)).AddDays(-1));
            case "经营范围": return BusinessScope();
            case "业务主管单位": return (Place.County.Name.EndsWith('区') ? Place.City.Region.Name + Place.County.Name : Place.County.Name) + Pick("民政局", "教育和体育局", "文化和旅游局", "工商业联合会", "科学技术协会", "卫生健康局");
            case "登记证号": return "鲁" + Pick("民", "社证", "基证") + "字第" + Seq(6) + "号";
            case "社会组织类型": return Org.Type;
            case "经营主体名称": return CountyShort + _faker.TradeName() + Pick("家庭农场", "家庭农场", "种植专业合作社", "农机服务专业合作社", "农业科技有限公司", "农业发展有限公司");
            case "养老机构名称": return RegionPrefix + _faker.TradeName() + Pick("养老院", "颐养中心", "老年公寓", "敬老院", "康养中心");
            case "旅行社名称": return Place.City.Short + _faker.TradeName() + Pick("国际旅行社有限公司", "旅行社有限公司", "旅游服务有限公司");
            case "殡葬服务机构名称": return RegionPrefix + Pick("殡仪馆", "公墓", "殡葬服务中心", "骨灰堂");
            case "医疗机构名称": return Hospital();
            case "学校名称": return School();
            case "场馆名称": return Venue();
            case "景区名称": return CountyShort + _faker.TradeName() + Pick("山风景区", "湖湿地公园", "古镇旅游区", "生态旅游区", "森林公园", "民俗文化村");
            case "承担单位": return _faker.Chance(0.5) ? "山东" + _faker.TradeName() + Pick("大学", "理工学院", "研究院", "科学院研究所", "农业科学院") : _entities.CompanyName(Pick("科技", "智能科技", "生物科技", "新材料"));
            case "建设单位": return _faker.Chance(0.4) ? RegionPrefix + Pick("城市建设投资集团有限公司", "城市建设综合服务中心", "住房和城乡建设局") : _entities.CompanyName(Pick("置业", "房地产开发", "实业"));
            case "施工单位": return _entities.CompanyName(Pick("建设工程", "建筑工程", "建工集团", "路桥工程"));
            case "监理单位": return _entities.CompanyName(Pick("工程监理", "建设监理", "工程咨询"));
            case "办理部门" or "认定部门" or "承办单位" or "发证机关":
                return _faker.Chance(0.4)
                    ? "山东省" + Pick("市场监督管理局", "人力资源和社会保障厅", "住房和城乡建设厅", "生态环境厅", "交通运输厅", "民政厅", "教育厅", "应急管理厅", "卫生健康委员会", "发展和改革委员会")
                    : Place.City.Region.Name + Pick("市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局", "生态环境局", "交通运输局", "民政局", "教育局", "应急管理局", "卫生健康委员会", "行政审批服务局");

            // ---- dates that depend on others in the row
            case "有效期至" or "检验有效期至":
                return DemoFaker.Text(Base.AddYears(name == "有效期至" ? Pick(3, 5, 5, 6) : 1).AddDays(-1));
            case "整改期限": return DemoFaker.Text(Base.AddDays(_faker.Between(15, 90)));
            case "办结日期" or "结案日期" or "竣工验收日期" or "结题日期" or "移出日期":
            {
                var end = Base.AddDays(name == "结题日期" ? _faker.Between(365, 1100) : _faker.Between(5, 400));
                return end > DemoFaker.Anchor ? null : DemoFaker.Text(end);
            }
            case "入学日期": return DemoFaker.Text(new DateOnly(Math.Max(Person.Birth.Year + 6, 2012) + _faker.Between(0, 3), 9, 1));
            case "毕业日期": return DemoFaker.Text(new DateOnly(_faker.Between(2015, 2026), Pick(6, 7), Pick(20, 30)));
            case "发放月份" or "缴费月份": return DemoFaker.Anchor.AddMonths(-_faker.Between(0, 23)).ToString("yyyyMM", CultureInfo.InvariantCulture);
            case "年度": return Year(DemoFaker.Anchor.AddYears(-_faker.Between(1, 7)));

            // ---- codes in the formats of the real registers
            case "案号" or "仲裁案件号":
                return "（" + Year(Base) + "）鲁" + Place.County.Code[2..6] + Pick("民初", "执", "行初", "刑初", "民终", "劳人仲案") + _faker.Between(1, 9999).ToString(CultureInfo.InvariantCulture) + "号";
            case "处罚决定书文号":
                return Place.City.Short[..1] + Pick("市监", "应急", "环", "人社监", "交执") + "罚〔" + Year(Base) + "〕" + _faker.Between(1, 2999).ToString(CultureInfo.InvariantCulture) + "号";
            case "文号": return "鲁" + Pick("人大常", "政发", "政办发", "政字") + "〔" + Year(Base) + "〕" + _faker.Between(1, 199).ToString(CultureInfo.InvariantCulture) + "号";
            case "审批文号": return Place.City.Short[..1] + "环审〔" + Year(Base) + "〕" + _faker.Between(1, 999).ToString(CultureInfo.InvariantCulture) + "号";
            case "车牌号码": return _faker.Plate(Place.City);
            case "学校标识码": return "21" + Place.County.Code[..4] + Seq(4);
            case "办件编号": return Place.County.Code + Base.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Seq(6);
            case "事项编码": return "37" + Seq(4) + Pick("XK", "GF", "QR", "JL", "QT") + Seq(5);
            case "资源代码": return Pick("1", "2", "3") + Seq(2) + Seq(3) + Seq(2) + "/" + _faker.Between(1, 60).ToString(CultureInfo.InvariantCulture);
            case "医疗机构登记号": return Seq(8) + Place.County.Code + Pick("A", "B", "D", "J") + Seq(4);
            case "医师执业证书编码": return Pick("1", "2", "3", "4") + Pick("1", "2", "3") + "0" + Place.County.Code + Seq(6);
            case "注册号": return Seq(8);
            case "专利号": return "ZL" + Year(Base) + Pick("1", "2", "3") + Seq(7) + "." + Seq(1);
            case "采矿许可证号": return "C37" + Seq(4) + Year(Base) + Seq(6) + Seq(1);
            case "宗地代码": return Place.County.Code + Seq(3) + Seq(3) + Pick("GB", "GA", "JA", "JC") + Seq(5);
            case "不动产单元号": return Place.County.Code + Seq(6) + "GB" + Seq(5) + "F" + Seq(8);
            case "承包地块编码": return Place.County.Code + Seq(8) + Seq(5);
            case "图幅号": return Pick("I", "J") + Pick("50", "51") + Pick("E", "F", "G") + Seq(3) + Seq(3);
            case "设备注册代码": return Pick("3110", "3120", "2100", "1000", "2110") + Place.County.Code + Year(Base) + Seq(6);
            case "出厂编号": return Pick("SN", "NO", "") + Year(Base) + Seq(6);
            case "排污许可证编号": return Org.CreditCode + Seq(3) + Pick("P", "V", "U", "W");
            case "施工许可证编号": return Place.County.Code + Base.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Seq(4);
            case "预售许可证号": return Place.City.Short[..1] + "房预售证字第" + Year(Base) + Seq(3) + "号";
            case "高新技术企业证书编号": return "GR" + Year(Base) + "37" + Seq(6);
            case "批准文号": return "兽药字" + Year(Base) + "15" + Seq(5);
            case "道路运输证号" or "经营许可证号": return Place.City.Region.Code + Seq(6);
            case "从业资格证号": return Person.IdNumber;
            case "许可证编号": return LicenceNo();
            case "安全生产许可证编号": return "（鲁）WH安许证字〔" + Year(Base) + "〕" + Seq(6);
            case "教师资格证号": return Year(Base) + "37" + Seq(4) + Seq(8);
            case "毕业证书编号": return Seq(5) + "1" + Year(Base) + "0" + Seq(5);
            case "出生医学证明编号": return Pick("P", "Q", "R") + "37" + Seq(7);
            case "证书编号" or "注册证书编号" or "成果登记号" or "合同登记号":
                return Pick("鲁", "") + Pick("ZS", "DJ", "HT", "CG") + Year(Base) + Place.County.Code + Seq(5);
            case "事件类型" when _resource.Contains("城市管理", StringComparison.Ordinal):
                return Pick("占道经营", "乱堆物料", "道路破损", "井盖缺失", "违规广告", "暴露垃圾", "违章搭建");
            case "网格编号": return Place.County.Code + Seq(3) + Seq(3) + Seq(2);
            case "项目编号": return Pick("XM", "JS", "KJ") + Year(Base) + Place.County.Code[..4] + Seq(4);
            case "提案编号": return Year(Base) + Seq(4);
            case "线路名称": return _faker.Chance(0.1) ? "BRT" + _faker.Between(1, 12).ToString(CultureInfo.InvariantCulture) + "号线" : Pick("", "", "K", "B") + _faker.Between(1, 299).ToString(CultureInfo.InvariantCulture) + "路";
            case "路段名称": return Pick("G2京沪", "G3京台", "G15沈海", "G18荣乌", "G20青银", "G22青兰", "G25长深", "G35济广", "S1济莱", "S16荣潍") + "高速" + CountyShort + "段";
            case "港口名称": return Pick("青岛港前湾港区", "青岛港董家口港区", "青岛港黄岛港区", "日照港石臼港区", "日照港岚山港区", "烟台港芝罘湾港区", "烟台港西港区", "烟台港龙口港区", "威海港威海湾港区", "东营港广利港区", "潍坊港中港区", "滨州港套尔河港区", "烟台港蓬莱港区", "威海港石岛港区", "青岛港大港港区");
            case "监测点位名称": return CountyShort + Pick("环保局", "监测站", "开发区", "市政府", "职业学院", "公园", "污水处理厂") + Pick("子站", "点位", "站");
            case "断面名称": return Pick("小清河", "大汶河", "沂河", "沭河", "潍河", "徒骇河", "马颊河", "黄河", "泗河", "白浪河", "大沽河") + CountyShort + Pick("入境", "出境", "", "桥") + "断面";
            case "排放口编号": return "DA" + _faker.Between(1, 30).ToString("000", CultureInfo.InvariantCulture);
            case "CAS号": return Chemicals[PairIndex(Chemicals.Length)].Cas;
            case "危险化学品名称": return Chemicals[PairIndex(Chemicals.Length)].Name;
            case "疾病编码": return Diseases[PairIndex(Diseases.Length)].Code;
            case "诊断名称": return Diseases[PairIndex(Diseases.Length)].Name;
            case "标准地址": return _faker.Address(Place.County.Code, withRoom: true);
            case "所在地址" or "房屋坐落" or "存放地点" or "出生地点": return _faker.Address(Place.County.Code);
        }
        return null;
    }

    private static readonly (string Name, string Cas)[] Chemicals =
    [
        ("甲醇", "67-56-1"), ("硫酸", "7664-93-9"), ("甲烷", "74-82-8"), ("苯", "71-43-2"), ("盐酸", "7647-01-0"), ("氢", "1333-74-0"),
        ("氯", "7782-50-5"), ("氨", "7664-41-7"), ("乙醇", "64-17-5"), ("丙酮", "67-64-1"), ("甲苯", "108-88-3"), ("丙烷", "74-98-6"),
        ("环氧乙烷", "75-21-8"), ("硝酸", "7697-37-2"), ("氢氧化钠", "1310-73-2"), ("液化石油气", "68476-85-7"), ("汽油", "86290-81-5"),
        ("柴油", "68334-30-5"), ("二甲苯", "1330-20-7"), ("苯乙烯", "100-42-5"),
    ];

    private static readonly (string Name, string Code)[] Diseases =
    [
        ("急性上呼吸道感染", "J06.900"), ("原发性高血压", "I10.x00"), ("2型糖尿病", "E11.900"), ("慢性胃炎", "K29.500"), ("急性支气管炎", "J20.900"),
        ("腰痛", "M54.500"), ("尿路感染", "N39.000"), ("支气管哮喘", "J45.900"), ("冠状动脉粥样硬化性心脏病", "I25.103"), ("脑梗死", "I63.900"),
        ("流行性感冒", "J11.100"), ("手足口病", "B08.401"), ("细菌性痢疾", "A03.900"), ("肺结核", "A16.200"), ("水痘", "B01.900"),
        ("流行性腮腺炎", "B26.900"), ("其他感染性腹泻病", "A09.900"), ("猩红热", "A38.x00"), ("乙型病毒性肝炎", "B18.100"), ("梅毒", "A53.900"),
    ];

    private string? ByPattern(DataColumn c, string name)
    {
        if (c.Kind == ColumnKind.Text)
        {
            if (name.EndsWith("地址", StringComparison.Ordinal) || name.EndsWith("住所", StringComparison.Ordinal)) return _faker.Address(Place.County.Code);
            if (name.EndsWith("人姓名", StringComparison.Ordinal) || name == "申请人") return Person.Name;
            if (name.EndsWith("名称", StringComparison.Ordinal)) return ThingName(name);
            if (name.EndsWith("状态", StringComparison.Ordinal)) return Pick(StatusWords(name));
            if (name.EndsWith("结果", StringComparison.Ordinal)) return ResultWord(name);
            if (name.EndsWith("类型", StringComparison.Ordinal) || name.EndsWith("类别", StringComparison.Ordinal) || name.EndsWith("种", StringComparison.Ordinal)) return TypeWord(name);
            if (name.EndsWith("等级", StringComparison.Ordinal) || name.EndsWith("级别", StringComparison.Ordinal)) return LevelWord(name);
            if (name.EndsWith("编号", StringComparison.Ordinal) || name.EndsWith("号", StringComparison.Ordinal) || name.EndsWith("代码", StringComparison.Ordinal)
                || name.EndsWith("编码", StringComparison.Ordinal) || name.EndsWith("号码", StringComparison.Ordinal))
                return Pick("", "鲁") + Pick("A", "B", "C", "Z", "X") + Year(Base) + Place.County.Code[..4] + Seq(5);
        }
        return null;
    }

    private string ByType(DataColumn c) => c.Kind switch
    {
        ColumnKind.Date => DemoFaker.Text(Base),
        ColumnKind.Timestamp => DemoFaker.Text(Timestamp(c.ItemName)),
        ColumnKind.Integer => DemoFaker.Text(Count(c.ItemName)),
        ColumnKind.Decimal or ColumnKind.Double => DemoFaker.Text(Number(c)),
        ColumnKind.Boolean => _faker.Chance(0.7) ? "是" : "否",
        _ => c.DataType == ItemDataType.M ? Memo(c.ItemName) : FreeText(c),
    };

    // ------------------------------------------------------------------ helpers by meaning

    private DateTime Timestamp(string name) => name switch
    {
        "监测时间" or "统计时间" => DemoFaker.Anchor.AddDays(-_faker.Between(0, 90)).ToDateTime(new TimeOnly(_faker.Between(0, 23), 0)),
        "更新时间" => _faker.OfficeTime(_faker.RecentDate(1)),
        _ => _faker.AnyTime(Base),
    };

    private long Count(string name) => name switch
    {
        "在校生人数" => _faker.Between(150, 4200),
        "教职工人数" => _faker.Between(15, 320),
        "床位数" => _faker.Between(20, 2800),
        "核定床位数" => _faker.Between(20, 600),
        "招聘人数" => _faker.Between(1, 60),
        "招生人数" => _faker.Between(20, 300),
        "保障人数" => _faker.Between(1, 5),
        "房屋套数" => _faker.Between(20, 2400),
        "户数" => _faker.Between(200, 6000),
        "人口数" => _faker.Between(500, 22000),
        "接待人次" => _faker.Between(200, 80_000),
        "客流量" => _faker.Between(20_000, 2_200_000),
        "受灾人口" => _faker.Between(100, 120_000),
        "死亡人数" => _faker.Chance(0.8) ? 0 : _faker.Between(1, 3),
        "受伤人数" => _faker.Chance(0.6) ? 0 : _faker.Between(1, 12),
        "容纳人数" => _faker.Between(200, 30_000),
        "调用次数" => _faker.Between(0, 1_200_000),
        "AQI" => _faker.Between(18, 260),
        "接种剂次" => _faker.Between(1, 4),
        "从业人数" => _faker.Between(1, 3000),
        "报告病例数" => _faker.Chance(0.3) ? 0 : _faker.Between(1, 180),
        "办理时限" => Pick(1, 3, 5, 7, 10, 15, 20),
        _ => _faker.Between(1, 999),
    };

    private decimal Number(DataColumn c)
    {
        var value = c.ItemName switch
        {
            "罚款金额" => Math.Round(_faker.LogAmount(500, 800_000, 0) / 100) * 100,
            "待遇金额" => _faker.Amount(1200, 6500),
            "救助金额" => _faker.Amount(280, 1500),
            "补贴金额" => _faker.Amount(100, 3200),
            "资助金额" => Pick(1000m, 1500m, 2000m, 2500m, 3300m, 4000m),
            "缴费基数" => _faker.Amount(3800, 32000, 0),
            "合同金额" => _faker.LogAmount(100_000, 600_000_000),
            "资助经费" => Math.Round(_faker.LogAmount(50_000, 5_000_000, 0) / 1000) * 1000,
            "技术交易额" => _faker.LogAmount(50_000, 50_000_000),
            "执行标的" => _faker.LogAmount(3_000, 20_000_000),
            "价格" => _faker.LogAmount(1, 2000),
            "直接经济损失" => _faker.LogAmount(10_000, 30_000_000),
            "资产总额" => _faker.LogAmount(100_000, 900_000_000),
            "建筑面积" => _faker.LogAmount(60, 250_000),
            "宗地面积" => _faker.LogAmount(200, 500_000),
            "种植面积" => _faker.LogAmount(10, 5000),
            "地块面积" => _faker.Amount(0.3m, 30m),
            "里程" => _faker.LogAmount(0.5, 320),
            "吞吐量" => _faker.LogAmount(10_000, 60_000_000),
            "储存量" => _faker.LogAmount(0.5, 50_000, 3),
            "供应量" => _faker.LogAmount(100, 2_000_000),
            "产量" => _faker.LogAmount(100, 8_000_000),
            "储备数量" => Math.Round(_faker.LogAmount(10, 20_000, 0)),
            "PM2.5浓度" => _faker.Amount(5, 230, 1),
            "PM10浓度" => _faker.Amount(10, 380, 1),
            "排放浓度" => _faker.Amount(0.1m, 180m, 4),
            "排放限值" => Pick(20m, 30m, 50m, 60m, 100m, 150m, 200m),
            "噪声等效声级" => _faker.Amount(38, 76, 1),
            "经度" => _faker.Coordinates(Place.City).Longitude,
            "纬度" => _faker.Coordinates(Place.City).Latitude,
            _ => _faker.LogAmount(1, 100_000),
        };
        // Never more digits than the item allows (numeric(p,s)).
        if (c.Precision is { } p) value = Math.Round(value, p);
        if (c.Length is { } l)
        {
            var max = (decimal)Math.Pow(10, Math.Max(1, l - (c.Precision ?? 0))) - 1;
            if (value > max) value = Math.Round(max * 0.9m, c.Precision ?? 0);
        }
        return value;
    }

    private string BusinessScope()
    {
        var items = new[]
        {
            "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "软件开发", "信息系统集成服务", "机械设备销售", "五金产品零售", "建筑材料销售",
            "日用百货销售", "食品销售（仅销售预包装食品）", "货物进出口", "普通货物仓储服务（不含危险化学品等需许可审批的项目）", "企业管理咨询",
            "广告设计、代理", "农产品的生产、销售、加工、运输、贮藏及其他相关服务", "餐饮服务", "建设工程施工", "道路货物运输（不含危险货物）",
        };
        var count = _faker.Between(2, 5);
        var chosen = Enumerable.Range(0, count).Select(_ => _faker.Pick(items)).Distinct().ToList();
        return "一般项目：" + string.Join("；", chosen) + "。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）";
    }

    private string LicenceNo() => _resource switch
    {
        _ when Has(_resource, "食品") => "JY" + Pick("1", "2", "3") + Place.County.Code + Seq(7),
        _ when Has(_resource, "药品") => "鲁" + Pick("AA", "CB", "DA") + Seq(7),
        _ when Has(_resource, "农药") => "农药经许（鲁）" + Seq(11),
        _ when Has(_resource, "危险化学品") => "鲁" + Place.City.Short[..1] + "危化经字〔" + Year(Base) + "〕" + Seq(6),
        _ when Has(_resource, "学校", "培训") => "教民" + Place.County.Code + Seq(9),
        _ when Has(_resource, "演出") => "鲁演审" + Year(Base) + Seq(4) + "号",
        _ when Has(_resource, "旅行社") => "L-SD-" + Seq(5),
        _ when Has(_resource, "超限") => "鲁超限" + Year(Base) + Seq(6),
        _ => Pick("XK", "ZS") + Place.County.Code + Year(Base) + Seq(5),
    };

    private string Hospital() => _faker.Random.Number(9) switch
    {
        0 or 1 => RegionPrefix + "人民医院",
        2 => RegionPrefix + "中医医院",
        3 => Place.City.Region.Name + "第" + "一二三四五六七"[_faker.Between(0, 6)] + "人民医院",
        4 => RegionPrefix + "妇幼保健院",
        5 or 6 => RegionPrefix + Pick("城关", "东城", "西关", "北关", "南关", "开发区", "大店", "王村", "龙泉") + Pick("街道社区卫生服务中心", "镇卫生院"),
        7 => Place.City.Short + _faker.TradeName() + Pick("口腔医院", "眼科医院", "中医诊所", "综合门诊部"),
        _ => Place.City.Short + _faker.TradeName() + Pick("医院", "康复医院", "骨科医院"),
    };

    private string School()
    {
        if (Has(_resource, "高校", "毕业生", "学历"))
            return "山东" + _faker.TradeName() + Pick("大学", "学院", "职业学院", "职业技术学院", "师范学院", "理工学院");
        if (Has(_resource, "幼儿园")) return RegionPrefix + Pick("第一", "第二", "实验", "机关", "") + "幼儿园";
        return RegionPrefix + Pick("第一中学", "第二中学", "第三中学", "实验中学", "实验小学", "第一小学", "第二实验小学", "职业中专", "高级中学")
               .Replace("第", _faker.Chance(0.3) ? Pick("城关", "育才", "新华", "明德", "文昌") : "第", StringComparison.Ordinal);
    }

    private string Venue()
    {
        if (Has(_resource, "图书馆")) return RegionPrefix + Pick("图书馆", "少年儿童图书馆", "图书馆分馆");
        if (Has(_resource, "博物馆")) return RegionPrefix + Pick("博物馆", "民俗博物馆", "革命纪念馆", "历史文化博物馆", "非遗展示馆");
        return RegionPrefix + Pick("图书馆", "文化馆", "博物馆", "美术馆", "群众艺术馆", "大剧院", "科技馆", "体育中心", "综合文化站");
    }

    /// <summary>Names of things by the last words of the item's name and the resource.</summary>
    private string ThingName(string name) => name switch
    {
        "项目名称" when Has(_resource, "非遗", "非物质") => CountyShort + Pick("剪纸", "面塑", "柳编", "锣鼓", "秧歌", "木版年画", "泥塑", "琴书", "吕剧", "皮影戏", "草编", "传统医药", "酿造技艺"),
        "项目名称" when Has(_resource, "科技", "科研") => Pick("高端装备", "海洋生物", "智能制造", "新能源汽车", "现代农业", "工业互联网", "新一代信息技术", "绿色化工") + Pick("关键技术研究与示范", "核心部件研发及产业化", "共性技术攻关", "集成应用示范"),
        "项目名称" when Has(_resource, "环评") => _entities.CompanyName(Pick("化工", "新材料", "食品")) + Pick("年产5万吨", "扩建", "技术改造", "新建") + "项目",
        "项目名称" => RegionPrefix + Pick("", _faker.TradeName()) + Pick("花园", "家园", "小区", "片区", "新城", "安置区") + Pick("项目", "改造项目", "一期工程", "公租房项目", "保障性住房项目"),
        "事项名称" when Has(_resource, "招聘会") => Place.City.Short + Pick("春风行动", "民营企业招聘月", "高校毕业生", "退役军人", "就业援助月") + "专场招聘会（第" + _faker.Between(1, 40).ToString(CultureInfo.InvariantCulture) + "场）",
        "事项名称" => Pick("企业设立登记", "食品经营许可", "失业保险金申领", "职业资格证书核发", "医师执业注册", "建筑工程施工许可", "社会保障卡申领", "养老保险关系转移", "道路运输经营许可", "排污许可证核发", "高校毕业生就业报到", "不动产登记", "公积金提取", "残疾人两项补贴申领", "特种设备使用登记"),
        "产品名称" when Has(_resource, "食品") => Pick("小麦粉", "食用植物油", "酱油", "饮料", "糕点", "速冻饺子", "大米", "白酒", "奶粉", "肉制品", "蜂蜜", "豆制品"),
        "产品名称" when Has(_resource, "农产品") => Pick("大白菜", "韭菜", "芹菜", "黄瓜", "西红柿", "苹果", "梨", "大葱", "生姜", "花生", "猪肉", "鸡蛋", "草莓"),
        "产品名称" when Has(_resource, "农机") => Pick("轮式拖拉机", "小麦联合收割机", "玉米收获机", "植保无人机", "播种机", "深松机", "秸秆粉碎还田机"),
        "产品名称" => Pick("电线电缆", "化肥", "童装", "家用电器", "塑料管材", "钢筋", "建筑防水卷材", "电动自行车", "儿童玩具", "汽车轮胎"),
        "商品名称" => Pick("大米", "面粉", "花生油", "猪肉", "牛肉", "羊肉", "鸡蛋", "白条鸡", "鲤鱼", "带鱼", "大白菜", "土豆", "西红柿", "黄瓜", "芹菜", "苹果", "香蕉", "牛奶", "豆腐", "食盐", "白糖", "液化气", "汽油92号", "柴油0号", "大葱", "生姜", "大蒜", "韭菜"),
        "物资名称" => Pick("帐篷", "折叠床", "棉被", "救生衣", "冲锋舟", "发电机", "应急照明灯", "防汛编织袋", "抽水泵", "灭火器", "医用口罩", "方便食品", "饮用水", "雨衣", "防寒服"),
        "能源品种" => Pick("原煤", "原油", "天然气", "电力", "汽油", "柴油", "液化石油气", "热力", "焦炭", "煤油"),
        "作物名称" => Pick("小麦", "玉米", "花生", "大豆", "棉花", "蔬菜", "马铃薯", "水稻", "谷子", "甘薯", "果园"),
        "疫苗名称" => Pick("乙肝疫苗", "卡介苗", "脊灰灭活疫苗", "百白破疫苗", "麻腮风疫苗", "乙脑减毒活疫苗", "A群流脑多糖疫苗", "甲肝减毒活疫苗", "流感疫苗", "水痘减毒活疫苗"),
        "专业名称" => Pick("计算机科学与技术", "临床医学", "会计学", "机械设计制造及其自动化", "汉语言文学", "土木工程", "护理学", "电子商务", "法学", "软件工程", "学前教育", "数据科学与大数据技术"),
        "职业资格名称" => Pick("一级建造师", "注册会计师", "执业药师", "电工", "焊工", "育婴员", "养老护理员", "中式烹调师", "保育师", "计算机程序设计员", "社会工作者", "经济师"),
        "岗位名称" => Pick("软件开发工程师", "会计", "销售代表", "普工", "电工", "护士", "行政专员", "仓库管理员", "客服专员", "机械设计师", "数据分析师", "教师"),
        "事故名称" => Place.City.Short + "市" + CountyShort + _faker.TradeName() + Pick("化工", "建筑", "物流", "机械") + "有限公司“" + Base.ToString("M.d", CultureInfo.InvariantCulture) + "”" + Pick("物体打击", "高处坠落", "火灾", "中毒窒息", "机械伤害", "触电") + "事故",
        "应急预案名称" => Org.Name + Pick("生产安全事故综合应急预案", "危险化学品泄漏专项应急预案", "火灾事故现场处置方案"),
        "文物名称" => CountyShort + Pick("", _faker.TradeName()) + Pick("遗址", "古墓群", "石刻", "古建筑群", "故居", "城址", "书院", "石桥", "烈士陵园"),
        "避难场所名称" => RegionPrefix + Pick("人民广场", "体育公园", "中心公园", "湿地公园", "第一中学操场", "文化广场") + "应急避难场所",
        "社区名称" => Pick(_faker.TradeName() + "社区", _faker.Street() + "社区", CountyShort + _faker.TradeName() + "村"),
        "地名" => Pick(_faker.Street(), _faker.TradeName() + "村", _faker.TradeName() + "山", _faker.TradeName() + "河", _faker.TradeName() + "小区"),
        "平台名称" => "山东省" + Pick("智能制造", "海洋生物医药", "盐碱地农业", "工业软件", "氢能", "高端化工", "先进材料", "现代中药") + Pick("重点实验室", "技术创新中心", "工程研究中心", "新型研发机构"),
        "成果名称" => Pick("基于深度学习的", "新型", "高效", "低成本", "智能化", "绿色") + Pick("玉米育种技术", "污水处理工艺", "轴承检测装置", "锂电池正极材料", "海水淡化膜", "农产品冷链监测系统", "电网巡检机器人"),
        "演出名称" => Pick("“齐风鲁韵”", "“泉城之夜”", "新年", "红色经典", "青春", "民族") + Pick("音乐会", "戏曲专场演出", "话剧展演", "交响乐演出", "杂技专场"),
        "矿区名称" => CountyShort + Pick("", _faker.TradeName()) + Pick("金矿", "铁矿", "石灰岩矿", "花岗岩矿", "煤矿", "建筑用砂矿"),
        "环评文件名称" => _entities.CompanyName(Pick("化工", "新材料", "食品")) + Pick("项目环境影响报告书", "项目环境影响报告表"),
        "兽药名称" => Pick("阿莫西林可溶性粉", "恩诺沙星注射液", "氟苯尼考粉", "伊维菌素注射液", "头孢噻呋钠", "黄芪多糖注射液"),
        "农药名称" => Pick("吡虫啉", "草甘膦", "阿维菌素", "多菌灵", "高效氯氟氰菊酯", "苯醚甲环唑"),
        "器具名称" => Pick("电子计价秤", "加油机", "血压计", "出租汽车计价器", "水表", "电能表", "压力表", "衡器", "高分辨质谱仪", "扫描电子显微镜", "核磁共振波谱仪", "X射线衍射仪") + "（" + Pick("A", "B", "C", "S") + _faker.Between(10, 999).ToString(CultureInfo.InvariantCulture) + "型）",
        "污染物名称" => Pick("化学需氧量", "氨氮", "二氧化硫", "氮氧化物", "颗粒物", "总磷", "挥发性有机物"),
        "起点" or "终点" => _faker.Chance(0.5) ? Place.City.Short + "站" : CountyShort + Pick("汽车站", "火车站", "客运中心", "枢纽站", "公交场站"),
        "站点名称" => _faker.Street() + Pick("站", "口站", "路口", "东站", "西站"),
        _ => FreeText(name),
    };

    private static string[] StatusWords(string name) => name switch
    {
        "处置状态" => ["已受理", "处置中", "已办结", "已结案"],
        "办理状态" => ["办理中", "已办结", "已答复"],
        "整改状态" => ["已整改", "整改中", "逾期未整改"],
        "参保状态" => ["1", "1", "1", "2", "3"],
        "就业状态" => ["就业", "就业", "灵活", "失业"],
        "证照状态" => ["有效", "有效", "注销", "过期"],
        _ => ["正常", "正常", "注销"],
    };

    private string ResultWord(string name) => name switch
    {
        "检查结果" => Pick("未发现问题", "未发现问题", "未发现问题", "发现问题已责令整改", "未按规定公示年报", "不合格"),
        "抽检结果" or "检测结果" => _faker.Chance(0.93) ? "合格" : "不合格",
        "办理结果" => Pick("办结", "办结", "办结", "不予受理", "调解成功", "退回补正"),
        "查询结果" => _faker.Chance(0.97) ? "无行贿犯罪记录" : "有记录",
        _ => Pick("通过", "通过", "不通过"),
    };

    private string TypeWord(string name) => name switch
    {
        "违法行为类型" => Pick("未按规定公示信息", "销售不合格产品", "无证经营", "虚假宣传", "未落实安全生产责任", "超标排放污染物", "未依法缴纳社会保险费", "拖欠劳动报酬", "未取得施工许可擅自施工"),
        "参保险种" => Pick("110", "120", "170", "210", "310", "410", "510"),
        "待遇类别" => Pick("养老金", "养老金", "养老金", "遗属金", "丧葬费", "伤残金", "医疗费"),
        "车辆类型" => Pick("小型普通客车", "大型普通客车", "重型半挂牵引车", "重型厢式货车", "轻型普通货车", "中型普通客车", "出租客运车"),
        "执业类别" => Pick("临床", "临床", "中医", "口腔", "公共卫生"),
        "保障房类型" => Pick("公共租赁住房", "保障性租赁住房", "共有产权住房", "棚改安置房"),
        "土地用途" => Pick("0701", "0702", "0601", "0501", "0508", "0810", "1004"),
        "要素类型" => Pick("水系", "居民地", "交通", "管线", "境界", "地貌", "植被"),
        "项目类别" => Pick("传统技艺", "传统戏剧", "传统美术", "传统音乐", "民俗", "传统医药", "曲艺"),
        "信息类别" => Pick("行政许可", "行政处罚", "守信激励", "失信惩戒", "司法判决", "纳税信用"),
        "平台类型" => Pick("重点实验室", "技术创新中心", "工程研究中心", "新型研发机构"),
        "地名类别" => Pick("道路", "居民点", "桥梁", "山峰", "河流", "广场"),
        "灾害类型" => Pick("暴雨洪涝", "干旱", "台风", "风雹", "低温冷冻", "地震", "森林火灾", "地质灾害"),
        "事件类型" => Pick("自然灾害", "事故灾难", "公共卫生事件", "社会安全事件", "道路交通事故", "火灾", "环境污染"),
        "专利类型" => Pick("发明", "实用新型", "外观设计"),
        "设备类别" => Pick("电梯", "锅炉", "压力容器", "压力管道", "起重机械", "场（厂）内机动车辆", "客运索道"),
        "船舶类型" => Pick("散货船", "集装箱船", "油船", "客滚船", "渔船", "工程船"),
        "变更事项" => Pick("法定代表人变更", "注册资本变更", "住所变更", "经营范围变更", "名称变更", "股东变更"),
        "主体类别" => "法人",
        "参保类型" => "职工",
        _ => Pick("一类", "二类", "三类"),
    };

    private string LevelWord(string name) => name switch
    {
        "信用等级" => Pick("A", "A", "A", "B", "B", "C", "D"),
        "资质等级" => Pick("特级", "一级", "二级", "二级", "三级", "甲级", "乙级"),
        "重大危险源等级" => Pick("一级", "二级", "三级", "四级", "四级"),
        "景区等级" => Pick("5A", "4A", "4A", "3A", "3A", "3A", "2A", "A"),
        "保护级别" when Has(_resource, "非遗", "非物质") => Pick("国家级", "省级", "省级", "市级", "市级", "县级"),
        "保护级别" => Pick("全国重点文物保护单位", "省级文物保护单位", "市级文物保护单位", "县级文物保护单位", "县级文物保护单位"),
        "机构等级" => Pick("三级甲等", "三级乙等", "二级甲等", "二级乙等", "一级", "未定级"),
        "职业资格等级" => Pick("一级", "二级", "三级", "四级", "五级"),
        "事故等级" => Pick("一般", "一般", "一般", "较大"),
        "评估等级" => Pick("能力完好", "轻度失能", "中度失能", "重度失能"),
        _ => Pick("一级", "二级", "三级"),
    };

    private string Memo(string name) => name switch
    {
        "处罚内容" => "1.警告；2.罚款人民币" + (_faker.Between(1, 200) * 500).ToString(CultureInfo.InvariantCulture) + "元" + (_faker.Chance(0.3) ? "；3.没收违法所得" : ""),
        "事件描述" => Pick("群众反映", "网格员巡查发现", "12345热线转办：") + Pick("小区门口占道经营影响通行", "道路井盖缺失存在安全隐患", "楼道堆放杂物", "夜间施工噪声扰民", "路灯不亮", "商户油烟直排", "绿化带垃圾未清理") + "，已派单处置。",
        "隐患描述" => Pick("危化品仓库未设置可燃气体报警装置", "消防通道被占用", "特种作业人员未持证上岗", "配电箱未接地", "安全出口指示标志损坏", "有限空间作业未审批") + "。",
        "变更前内容" or "变更后内容" => Pick(_faker.PersonName(), _faker.Address(Place.County.Code), (_faker.Between(1, 500) * 10).ToString(CultureInfo.InvariantCulture) + "万元人民币", "技术开发、技术服务；软件销售"),
        "备注" => Pick("数据已核验", "按季度更新", "含市县两级", "已完成整改", "来源于业务系统"),
        "措施内容" => "依法限制参与政府采购、工程招投标和财政资金支持。",
        _ => Pick("按规定办理。", "已核实。", "情况属实，已处理完毕。"),
    };

    /// <summary>Text without a better guess: short words that fit the column.</summary>
    private string FreeText(DataColumn c) => c.ItemName switch
    {
        "开放时间" => Pick("周二至周日 9:00-17:00（周一闭馆）", "每日 8:30-17:30", "工作日 9:00-12:00、13:30-17:00", "全天开放"),
        "年代" => Pick("新石器时代", "商周", "春秋战国", "汉", "唐", "宋", "元", "明", "清", "近现代"),
        "规格等级" => Pick("一级", "散装", "500g/袋", "5L/桶", "国标", "精品"),
        "计量单位" => Pick("吨", "万千瓦时", "万立方米", "件", "台", "套"),
        "比例尺" => Pick("1:500", "1:2000", "1:10000", "1:50000"),
        "坐标系" => "CGCS2000",
        "矿种" => Pick("金", "铁", "石灰岩", "花岗岩", "煤", "建筑用砂"),
        "首要污染物" => Pick("PM2.5", "PM10", "O3", "NO2", "—"),
        "水质类别" => Pick("Ⅱ类", "Ⅲ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"),
        "任教学科" => Pick("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治", "音乐", "体育", "美术", "信息技术"),
        "学段" => Pick("小学", "小学", "初中", "高中"),
        "办学类型" => Pick("211", "211", "311", "341", "342", "365", "111"),
        "资助项目" => Pick("国家助学金", "免学费", "营养改善计划", "生活补助", "国家奖学金", "助学贷款贴息"),
        "补贴项目" when Has(_resource, "残疾") => Pick("困难残疾人生活补贴", "重度残疾人护理补贴"),
        "补贴项目" when Has(_resource, "养老") => Pick("高龄津贴", "养老服务补贴", "护理补贴"),
        "补贴项目" => Pick("耕地地力保护补贴", "农机购置补贴", "种粮一次性补贴"),
        "许可事项" => Pick("预包装食品销售", "散装食品销售", "热食类食品制售", "道路普通货物运输", "危险货物运输", "药品零售", "危险化学品经营（不带储存设施）", "网约车经营"),
        "诊疗科目" => string.Join("；", Enumerable.Range(0, _faker.Between(2, 6)).Select(_ => Pick("内科", "外科", "妇产科", "儿科", "眼科", "耳鼻咽喉科", "口腔科", "皮肤科", "医学检验科", "医学影像科", "中医科", "康复医学科")).Distinct()),
        "执业范围" => Pick("内科专业", "外科专业", "妇产科专业", "儿科专业", "眼耳鼻咽喉科专业", "全科医学专业", "中医专业", "口腔专业"),
        "薪资范围" => (_faker.Between(3, 9) * 1000).ToString(CultureInfo.InvariantCulture) + "-" + (_faker.Between(10, 20) * 1000).ToString(CultureInfo.InvariantCulture) + "元/月",
        "路况" => Pick("畅通", "畅通", "畅通", "缓行", "拥堵", "施工管制"),
        "列入原因" => Pick("未按规定期限公示年度报告", "通过登记的住所无法联系", "公示信息隐瞒真实情况、弄虚作假", "拖欠农民工工资数额较大", "被人民法院依法判定为失信被执行人"),
        "不合格项目" => Pick("菌落总数", "大肠菌群", "酸价", "过氧化值", "苯甲酸及其钠盐", "标签标识"),
        "注销原因" => Pick("决议解散", "经营期限届满", "被依法宣告破产", "简易注销"),
        "检查事项" => Pick("企业公示信息检查", "食品安全检查", "特种设备安全检查", "产品质量检查", "广告发布检查"),
        "船舶名称" => "鲁" + Place.City.Short[..1] + Pick("货", "渔", "海", "航") + _faker.Between(1000, 9999).ToString(CultureInfo.InvariantCulture),
        "起点" or "终点" => Place.City.Short + "站",
        _ => FreeText(c.ItemName),
    };

    private string FreeText(string name) =>
        name.EndsWith("名称", StringComparison.Ordinal) ? RegionPrefix + _faker.TradeName() + name[..^2] : RegionPrefix + _faker.TradeName();
}
