using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;

namespace GovData.Catalog.Tests;

public class ResourceValidatorTests
{
    private static ValidationResult Check(ResourceInput input, ClassificationNode? node = null, ValidationMode mode = ValidationMode.Submit) =>
        ResourceValidator.Validate(ResourceValidator.WithDefaults(input, TestData.Market), node ?? TestData.EnterpriseNode, TestData.Market, mode);

    private static void ShouldFail(ValidationResult r, string field, string fragment)
    {
        r.IsValid.ShouldBeFalse();
        r.Errors.Keys.ShouldContain(field, $"expected an error on {field}, got: {string.Join(" | ", r.Errors.Select(e => e.Key + ": " + string.Join(";", e.Value)))}");
        r.Errors[field].ShouldContain(m => m.Contains(fragment), $"messages on {field}: {string.Join(" | ", r.Errors[field])}");
    }

    [Fact]
    public void The_seed_template_enterprise_registry_is_valid()
    {
        var r = Check(TestData.EnterpriseRegistry());
        r.Errors.ShouldBeEmpty();
        var c = r.Content.ShouldNotBeNull();
        c.ProviderName.ShouldBe(TestData.Market.Name);
        c.ProviderCode.ShouldBe(TestData.Market.CreditCode);
        c.FormatType.ShouldBe("oracle");
        c.ShareType.ShouldBe(ShareType.Unconditional);
        c.OpenType.ShouldBe(OpenType.Conditional);
        c.SecurityClass.ShouldBe(SecurityClass.NonClassified);
        c.Hierarchy.ShouldBe(CatalogHierarchy.Department);
        c.MetadataMaintainer.ShouldBe(TestData.Market.Name);
        c.Items.Select(i => i.TypeText).ShouldBe(["C,18", "C,50", "C,50", "D,10", "C,20", "C,18", "C,6", "C,6"]);
        c.Items[0].IsKey.ShouldBeTrue();
        c.Items[0].Required.ShouldBeTrue();
        c.Items[5].MaskingRule.ShouldBe(MaskingRule.IdNumber);
    }

    public static TheoryData<string> Cases => new(Rules.Keys);

    /// <summary>Stands for “no node has that code” (declared before the table: static fields initialise in order).</summary>
    private static readonly ClassificationNode NoNode = new("-", "-", 0, null, false, null, false);

    /// <summary>Every rule of catalog-standard.md §2–§4/§6 and issue item 4: input change → field and message.</summary>
    private static readonly Dictionary<string, (Func<ResourceInput, ResourceInput> Change, ClassificationNode? Node, string Field, string Message)> Rules = new()
    {
        ["分类为空"] = (i => i with { ClassificationCode = " " }, null, "classificationCode", "信息资源分类不能为空"),
        ["分类不存在"] = (i => i with { ClassificationCode = "109009" }, NoNode, "classificationCode", "不存在"),
        ["分类是项"] = (i => i, new ClassificationNode("102", "法人基础信息", 2, null, true, "法人基础信息", true), "classificationCode", "资源须编入其下的目或细目"),
        ["分类已停用"] = (i => i, TestData.EnterpriseNode with { IsActive = false }, "classificationCode", "已停用"),
        ["部门类编入他部门的目"] = (i => i with { ClassificationCode = "330302" }, new ClassificationNode("330302", "其他部门", 3, Guid.NewGuid(), false, null, true), "classificationCode", "只能编入本部门"),
        ["细目由他部门管理"] = (i => i with { ClassificationCode = "10200301" }, new ClassificationNode("10200301", "外部门细目", 4, Guid.NewGuid(), true, "法人基础信息", true), "classificationCode", "由其他部门管理"),
        ["名称为空"] = (i => i with { Name = "" }, null, "name", "信息资源名称不能为空"),
        ["名称超过50字"] = (i => i with { Name = new string('库', 51) }, null, "name", "不能超过50个字"),
        ["摘要为空"] = (i => i with { Abstract = null }, null, "abstract", "信息资源摘要不能为空"),
        ["摘要超过256字"] = (i => i with { Abstract = new string('述', 257) }, null, "abstract", "不能超过256个字"),
        ["提供方不是本部门"] = (i => i with { ProviderName = "某某局" }, null, "providerName", "应为编目部门"),
        ["提供方代码校验位错误"] = (i => i with { ProviderCode = TestData.Market.CreditCode[..17] + (TestData.Market.CreditCode[17] == '0' ? "1" : "0") }, null, "providerCode", "校验位错误"),
        ["提供方代码位数错误"] = (i => i with { ProviderCode = "91370000MA3" }, null, "providerCode", "应为18位"),
        ["提供方代码不是本部门"] = (i => i with { ProviderCode = TestData.HumanResources.CreditCode }, null, "providerCode", "应为本部门的统一社会信用代码"),
        ["格式分类为空"] = (i => i with { FormatCategory = null }, null, "formatCategory", "信息资源格式分类不能为空"),
        ["格式分类无效"] = (i => i with { FormatCategory = "光盘" }, null, "formatCategory", "无效"),
        ["格式类型为空"] = (i => i with { FormatType = null }, null, "formatType", "请填写信息资源格式类型"),
        ["格式类型不属于分类"] = (i => i with { FormatType = "xlsx" }, null, "formatType", "不属于“数据库”"),
        ["其他格式须说明"] = (i => i with { FormatCategory = "其他", FormatType = null, FormatDescription = null }, null, "formatDescription", "须说明具体格式"),
        ["结构化资源缺信息项"] = (i => i with { Items = [] }, null, "items", "至少须描述一个信息项"),
        ["非结构化资源填了信息项"] = (i => i with { FormatCategory = "电子文件", FormatType = "pdf" }, null, "items", "不填写信息项"),
        ["信息项名称为空"] = (i => WithItem(i, 1, x => x with { Name = " " }), null, "items[1].name", "名称不能为空"),
        ["信息项名称重复"] = (i => WithItem(i, 1, x => x with { Name = "统一社会信用代码", FieldCode = "credit_code2" }), null, "items[1].name", "信息项名称重复"),
        ["信息项字段代码为空"] = (i => WithItem(i, 1, x => x with { FieldCode = null }), null, "items[1].fieldCode", "字段代码（英文）不能为空"),
        ["信息项字段代码非英文"] = (i => WithItem(i, 1, x => x with { FieldCode = "法人名称" }), null, "items[1].fieldCode", "应以英文字母开头"),
        ["信息项字段代码重复"] = (i => WithItem(i, 1, x => x with { FieldCode = "CREDIT_CODE" }), null, "items[1].fieldCode", "重复"),
        ["信息项数据类型为空"] = (i => WithItem(i, 1, x => x with { DataType = null }), null, "items[1].dataType", "数据类型不能为空"),
        ["信息项数据类型无效"] = (i => WithItem(i, 1, x => x with { DataType = "S,50" }), null, "items[1].dataType", "应为 C、N、Y、D、T、L、M、G、B、I、F 之一"),
        ["字符型缺长度"] = (i => WithItem(i, 1, x => x with { DataType = "C" }), null, "items[1].dataType", "须注明长度"),
        ["日期型长度错误"] = (i => WithItem(i, 3, x => x with { DataType = "D,12" }), null, "items[3].dataType", "应为8（YYYYMMDD）或10"),
        ["类型中的长度与长度字段不一致"] = (i => WithItem(i, 1, x => x with { Length = 60 }), null, "items[1].length", "不一致"),
        ["统一社会信用代码应为C18"] = (i => WithItem(i, 0, x => x with { DataType = "C,20" }), null, "items[0].dataType", "按 GB 32100 应为 C,18"),
        ["身份证号码应为C18"] = (i => WithItem(i, 5, x => x with { DataType = "N,18" }), null, "items[5].dataType", "按 GB 11643 应为 C,18"),
        ["个人身份信息须为敏感"] = (i => WithItem(i, 5, x => x with { Sensitivity = "公开", MaskingRule = null }), null, "items[5].sensitivity", "敏感级别应为“敏感”或“重要”"),
        ["敏感信息项须有脱敏规则"] = (i => WithItem(i, 4, x => x with { Sensitivity = "敏感", MaskingRule = null }), null, "items[4].maskingRule", "须指定脱敏规则"),
        ["敏感级别无效"] = (i => WithItem(i, 4, x => x with { Sensitivity = "绝密" }), null, "items[4].sensitivity", "无效"),
        ["脱敏规则无效"] = (i => WithItem(i, 4, x => x with { Sensitivity = "敏感", MaskingRule = "打码" }), null, "items[4].maskingRule", "无效"),
        ["共享类型为空"] = (i => i with { ShareType = null }, null, "shareType", "共享类型不能为空"),
        ["共享类型无效"] = (i => i with { ShareType = "部分共享" }, null, "shareType", "无效"),
        ["有条件共享须有共享条件"] = (i => i with { ShareType = "有条件共享", ShareCondition = null }, TestData.ThemeNode, "shareCondition", "必须填写共享条件"),
        ["不予共享须有依据"] = (i => i with { ShareType = "不予共享", ShareBasis = null, OpenType = "不予开放", OpenCondition = null }, TestData.ThemeNode, "shareBasis", "必须注明法律、行政法规或国家政策依据"),
        ["共享须有共享方式"] = (i => i with { ShareChannel = null, ShareMethodType = null }, null, "shareChannel", "请填写共享方式分类"),
        ["平台共享须有方式类型"] = (i => i with { ShareMethodType = null }, null, "shareMethodType", "请填写共享方式类型"),
        ["基础信息须无条件共享"] = (i => i with { ShareType = "有条件共享", ShareCondition = "仅限市场监管" }, null, "shareType", "法人基础信息属于基础信息资源，共享类型应为“无条件共享”"),
        ["基础信息人口须无条件共享"] = (i => i with { ClassificationCode = "101001", ShareType = "不予共享", ShareBasis = "依法不公开", OpenType = "不予开放", OpenCondition = null },
            new ClassificationNode("101001", "户籍人口", 3, null, true, "人口基础信息", true), "shareType", "人口基础信息属于基础信息资源"),
        ["开放属性为空"] = (i => i with { OpenType = null, IsOpen = null }, null, "openType", "请填写开放属性"),
        ["有条件开放须有开放条件"] = (i => i with { OpenCondition = " " }, null, "openCondition", "必须填写开放条件"),
        ["是否开放与开放类型矛盾"] = (i => i with { OpenType = "不予开放", IsOpen = true }, null, "openType", "矛盾"),
        ["不予共享不能开放"] = (i => i with { ShareType = "不予共享", ShareBasis = "《中华人民共和国保守国家秘密法》", OpenType = "无条件开放", OpenCondition = null }, TestData.ThemeNode, "openType", "不予共享的信息资源不能向社会开放"),
        ["更新周期为空"] = (i => i with { UpdateCycle = null }, null, "updateCycle", "更新周期不能为空"),
        ["更新周期无效"] = (i => i with { UpdateCycle = "每小时" }, null, "updateCycle", "无效"),
        ["其他更新周期须说明"] = (i => i with { UpdateCycle = "其他", UpdateCycleNote = null }, null, "updateCycleNote", "须说明具体周期"),
        ["关联资源代码格式错误"] = (i => i with { RelatedCodes = ["102003-1"] }, null, "relatedCodes", "缺少“/”"),
        ["关联资源代码重复"] = (i => i with { RelatedCodes = ["102001/1", "102001%2F1"] }, null, "relatedCodes", "重复"),
        ["关键字过长"] = (i => i with { Keywords = [new string('词', 21)] }, null, "keywords", "每个关键字不能超过20个字"),
        ["关键字过多"] = (i => i with { Keywords = [string.Join("、", Enumerable.Range(1, 11).Select(n => "词" + n))] }, null, "keywords", "不能超过10个"),
        ["在线链接不是网址"] = (i => i with { OnlineLink = "ftp://data.example/x" }, null, "onlineLink", "http:// 或 https://"),
        ["涉密属性无效"] = (i => i with { SecurityClass = "机密" }, null, "securityClass", "无效"),
        ["层级属性无效"] = (i => i with { Hierarchy = "省级目录" }, null, "hierarchy", "无效"),
        ["涉密资源不得共享"] = (i => i with { SecurityClass = "涉密" }, TestData.ThemeNode, "shareType", "涉密信息资源不得通过本平台共享"),
        ["涉密资源不得开放"] = (i => i with { SecurityClass = "涉密", ShareType = "不予共享", ShareBasis = "涉及国家秘密" }, TestData.ThemeNode, "openType", "涉密信息资源不得向社会开放"),
    };

    private static ResourceInput WithItem(ResourceInput input, int index, Func<ItemInput, ItemInput> change)
    {
        var items = input.Items!.ToList();
        items[index] = change(items[index]);
        return input with { Items = items };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_is_reported_in_chinese_under_its_field(string rule)
    {
        var (change, node, field, message) = Rules[rule];
        var input = change(TestData.EnterpriseRegistry());
        var r = ResourceValidator.Validate(ResourceValidator.WithDefaults(input, TestData.Market),
            ReferenceEquals(node, NoNode) ? null : node ?? TestData.EnterpriseNode, TestData.Market, ValidationMode.Submit);
        ShouldFail(r, field, message);
    }

    [Fact]
    public void A_rule_fixture_that_only_changes_the_node_still_starts_from_a_valid_entry()
    {
        // Guards the table above: the baseline with the theme node is valid, so each case fails for its own reason.
        Check(TestData.EnterpriseRegistry("203001"), TestData.ThemeNode).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Guide_style_open_attributes_are_accepted()
    {
        var r = Check(TestData.EnterpriseRegistry() with { OpenType = null, IsOpen = true, OpenCondition = null });
        r.IsValid.ShouldBeTrue();
        r.Content!.OpenType.ShouldBe(OpenType.Unconditional);
        Check(TestData.EnterpriseRegistry() with { OpenType = null, IsOpen = false, OpenCondition = null }).Content!.OpenType.ShouldBe(OpenType.NotOpen);
    }

    [Fact]
    public void A_draft_needs_only_classification_and_name_but_what_is_given_must_be_well_formed()
    {
        var sparse = new ResourceInput(ClassificationCode: "102003", Name: "企业法人库");
        Check(sparse, mode: ValidationMode.Draft).IsValid.ShouldBeTrue();
        Check(sparse, mode: ValidationMode.Submit).Errors.Keys.ShouldBe(
            ["abstract", "formatCategory", "shareType", "openType", "updateCycle"], ignoreOrder: true);
        var wrong = sparse with { Items = [new ItemInput("批准时间", "approval_date", "D,9")], ShareType = "部分共享", Name = new string('名', 60) };
        var r = Check(wrong, mode: ValidationMode.Draft);
        r.Errors.Keys.ShouldBe(["name", "items[0].dataType", "shareType"], ignoreOrder: true);
    }

    [Fact]
    public void Every_error_message_is_chinese_and_every_key_has_a_label()
    {
        var everything = new ResourceInput(ClassificationCode: "102003", Name: "", ShareType: "x", OpenType: "y", UpdateCycle: "z",
            FormatCategory: "数据库", Items: [new ItemInput("", "1", "Q")]);
        var r = Check(everything);
        r.IsValid.ShouldBeFalse();
        foreach (var (key, messages) in r.Errors)
        {
            ResourceFields.LabelOf(key).ShouldNotBeNull(key);
            messages.ShouldAllBe(m => m.Any(c => c >= 0x4e00 && c <= 0x9fa5));
        }
    }

    [Fact]
    public void Item_field_keys_have_readable_labels()
    {
        ResourceFields.LabelOf("items[2].dataType").ShouldBe("第3个信息项的数据类型");
        ResourceFields.LabelOf("items[0]").ShouldBe("第1个信息项");
        ResourceFields.LabelOf("shareCondition").ShouldBe("共享条件");
        ResourceFields.LabelOf("unknown").ShouldBeNull();
        ResourceFields.LabelOf("items[1].colour").ShouldBeNull();
    }

    [Fact]
    public void Keywords_given_as_one_text_are_split_and_deduplicated()
    {
        var r = Check(TestData.EnterpriseRegistry() with { Keywords = ["企业，法人；登记、企业"] });
        r.Content!.Keywords.ShouldBe(["企业", "法人", "登记"]);
    }

    [Fact]
    public void A_resource_cannot_relate_to_itself()
    {
        var input = ResourceValidator.WithDefaults(TestData.EnterpriseRegistry() with { RelatedCodes = ["102003/5"] }, TestData.Market);
        var r = ResourceValidator.Validate(input, TestData.EnterpriseNode, TestData.Market, ValidationMode.Submit, ownCode: "102003/5");
        ShouldFail(r, "relatedCodes", "不能是本资源自己的代码");
    }
}
