using GovData.Catalog.Domain;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Codes;

namespace GovData.Catalog.Tests;

/// <summary>Departments and a complete, valid catalog entry (seed 002's 企业法人库) shared by the tests.</summary>
internal static class TestData
{
    public static readonly DepartmentInfo Market = Department("山东省市场监督管理局（测试）", DepartmentKind.Government, "370000", "00113700", sort: 20);
    public static readonly DepartmentInfo HumanResources = Department("山东省人力资源和社会保障厅（测试）", DepartmentKind.Government, "370000", "00213700", sort: 30);
    public static readonly DepartmentInfo BigData = Department("山东省大数据局（测试）", DepartmentKind.Government, "370000", "00313700", competent: true, sort: 10);
    public static readonly DepartmentInfo PartyOffice = Department("中共山东省委办公厅（测试）", DepartmentKind.PartyCommittee, "370000", "00413700", sort: 40);
    public static readonly DepartmentInfo JinanMarket = Department("济南市市场监督管理局（测试）", DepartmentKind.Government, "370100", "00513701", sort: 50);
    public static readonly DepartmentInfo JinanBigData = Department("济南市大数据局（测试）", DepartmentKind.Government, "370100", "00613701", competent: true, sort: 60);
    public static readonly DepartmentInfo QingdaoHealth = Department("青岛市卫生健康委员会（测试）", DepartmentKind.Government, "370200", "00713702", sort: 70);
    public static readonly DepartmentInfo HebeiMarket = Department("河北省市场监督管理局（测试）", DepartmentKind.Government, "130000", "00813000", sort: 80);

    public static IReadOnlyList<DepartmentInfo> All { get; } = [BigData, Market, HumanResources, PartyOffice, JinanMarket, JinanBigData, QingdaoHealth, HebeiMarket];

    public static DepartmentInfo Department(string name, DepartmentKind kind, string region, string org8, bool competent = false, int sort = 0) =>
        new(Guid.NewGuid(), name, CreditCode.Create('1', '1', region, org8).Value, kind, null, region, competent, [], sort);

    public static ClassificationNode EnterpriseNode { get; } = new("102003", "企业单位法人", 3, null, true, "法人基础信息", true);

    public static ClassificationNode ThemeNode { get; } = new("203001", "社会保险", 3, null, false, null, true);

    /// <summary>企业法人库 as in the seed 002 template: 统一社会信用代码 C,18; 法人名称 C,50; 批准时间 D,10; 法人类型 C,6.</summary>
    public static ResourceInput EnterpriseRegistry(string classification = "102003") => new(
        ClassificationCode: classification,
        Name: "企业法人库",
        Abstract: "全省企业法人的登记基本信息，包括统一社会信用代码、法人名称、批准机关、批准时间、法定代表人、法人类型、住所和状态。",
        FormatCategory: "数据库",
        FormatType: "Oracle",
        Items:
        [
            new("统一社会信用代码", "credit_code", "C,18", Required: true, IsKey: true, Sensitivity: "公开"),
            new("法人名称", "legal_name", "C,50", Required: true, Sensitivity: "公开"),
            new("批准或核准机关", "approval_authority", "C,50", Sensitivity: "公开"),
            new("批准或核准时间", "approval_date", "D,10", Sensitivity: "公开"),
            new("法定代表人", "legal_representative", "C,20", Sensitivity: "内部"),
            new("法定代表人身份证号码", "representative_id_number", "C,18", Sensitivity: "敏感", MaskingRule: "身份证号脱敏"),
            new("法人类型", "legal_type", "C,6", ValueDomain: "法人类型代码", Sensitivity: "公开"),
            new("法人状态", "legal_status", "C,6", Sensitivity: "公开"),
        ],
        ShareType: "无条件共享",
        ShareChannel: "共享平台方式",
        ShareMethodType: "接口(服务)",
        OpenType: "有条件开放",
        OpenCondition: "面向注册用户，按申请用途开放脱敏后的登记信息",
        UpdateCycle: "每日",
        Keywords: ["企业", "法人", "登记"]);
}
