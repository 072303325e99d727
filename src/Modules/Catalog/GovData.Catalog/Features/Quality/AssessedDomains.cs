namespace GovData.Catalog.Features.Quality;

/// <summary>An assessed domain and the words that attribute a department or a resource to it.</summary>
internal sealed record AssessedDomain(string Name, string[] Terms);

/// <summary>
/// The twelve domains of the 目录覆盖度 indicator (seed 000): 企业, 人社, 教育, 医疗卫生, 民政, 建设, 交通运输, 文化, 科技,
/// 农业, 安全生产, 环保. A published resource counts for a domain when one of the domain's terms occurs in
/// <list type="number">
/// <item>the domains of its providing department (<c>DepartmentInfo.Domains</c>, maintained in 部门管理, e.g. “企业、市场监管”), or</item>
/// <item>the names along its classification path (类/项/目/细目, which for 部门类 include the department's name, e.g.
/// 主题类 › 生态环保 or 部门类 › 山东省 › 山东省交通运输厅), or</item>
/// <item>its keywords (关键字).</item>
/// </list>
/// Free-text names and abstracts are not used: “企业职工养老保险” should not make a 人社 resource count for 企业.
/// A resource may count for several domains (社会救助 under 主题类 社会保障 counts for 人社 and 民政).
/// </summary>
internal static class AssessedDomains
{
    public static IReadOnlyList<AssessedDomain> All { get; } =
    [
        new("企业", ["企业", "市场监管", "市场监督", "工商", "个体工商户", "市场主体"]),
        new("人社", ["人社", "人力资源", "社会保障", "社会保险", "社保", "就业", "劳动关系", "养老保险", "失业保险", "工伤保险"]),
        new("教育", ["教育", "学校", "学籍", "学历", "教师"]),
        new("医疗卫生", ["医疗卫生", "医疗", "卫生", "健康", "卫健", "医师", "疾病", "疫苗", "妇幼"]),
        new("民政", ["民政", "社会救助", "社会福利", "社会组织", "婚姻", "殡葬", "养老服务", "地名", "低保"]),
        new("建设", ["建设", "住建", "住房", "房地产", "建筑", "城建", "城市管理"]),
        new("交通运输", ["交通", "运输", "公路", "港航", "水运", "航运", "车辆"]),
        new("文化", ["文化", "文旅", "旅游", "文物", "广电", "非物质文化遗产", "非遗"]),
        new("科技", ["科技", "科学技术", "科研", "高新技术", "技术市场"]),
        new("农业", ["农业", "农村", "农产品", "农药", "兽药", "畜牧", "渔业", "种植", "耕地"]),
        new("安全生产", ["安全生产", "应急", "危险化学品", "危化品", "安监", "矿山安全", "消防"]),
        new("环保", ["环保", "生态环境", "环境质量", "环境监测", "环境保护", "生态", "污染", "排污", "环评", "水质", "大气"]),
    ];

    /// <summary>Share of the domains to cover (and of the departments): 80%.</summary>
    public const double Threshold = 0.8;

    /// <summary>The domains whose terms occur in any of <paramref name="texts"/>.</summary>
    public static IEnumerable<string> Match(IEnumerable<string?> texts)
    {
        var list = texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).ToList();
        return All.Where(d => d.Terms.Any(term => list.Any(t => t.Contains(term, StringComparison.Ordinal)))).Select(d => d.Name);
    }
}
