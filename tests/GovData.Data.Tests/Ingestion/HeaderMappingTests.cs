using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;

namespace GovData.Data.Tests.Ingestion;

public sealed class HeaderMappingTests
{
    private static DataColumn Col(int ordinal, string name, string? code, bool required = false) =>
        new(ordinal, DataColumn.ColumnNameOf(ordinal), code ?? name, name, code, ItemDataType.C, ColumnKind.Text, 50, null, required, false, null,
            ItemSensitivity.Public, MaskingRule.None);

    private static readonly DataColumn[] Columns =
    [
        Col(1, "统一社会信用代码", "USCC", required: true),
        Col(2, "企业名称", "QYMC", required: true),
        Col(3, "注册资本", "ZCZB"),
        Col(4, "成立日期", null),
        Col(5, "备注", "BZ"),
    ];

    private static readonly string[] Header = ["ＵＳＣＣ", "企业名称", "注册资本（万元）", "*成立日期", "其他", "", "企业 名称"];

    [Fact]
    public void Automatic_matching_is_tolerant_and_explains_what_it_left_out()
    {
        var m = HeaderMapping.Automatic(Header, Columns);
        m.IsValid.ShouldBeTrue();
        m.Bindings.Select(b => (b.Column.FieldName, b.SourceIndex, b.Match)).ShouldBe(
        [
            ("USCC", 0, HeaderMatch.FieldCode),
            ("QYMC", 1, HeaderMatch.ItemName),
            ("ZCZB", 2, HeaderMatch.Loose),
            ("成立日期", 3, HeaderMatch.Loose),
        ]);
        m.MissingColumns.Select(c => c.ItemName).ShouldBe(["备注"]);
        m.MissingRequired.ShouldBeEmpty();
        m.UnmappedSourceColumns.ShouldBe(["其他", "", "企业 名称"]);
        m.Warnings.ShouldBe(
        [
            "文件中有2列表头相同（“企业名称”，第2、7列），只使用第一列",
            "数据项“备注”在文件中没有对应的列，将为空",
            "文件中的列“其他”没有对应的数据项，将被忽略",
            "文件第6列没有表头，将被忽略",
            "文件中的列“企业 名称”没有对应的数据项，将被忽略",
        ]);
        string?[] record = ["91370100168291340X", "山东测试", "100", "2018-08-31", "x", "", "重复"];
        m.ValueOf(record, 0).ShouldBe("91370100168291340X");
        m.ValueOf(record, 3).ShouldBe("2018-08-31");
        m.ValueOf(record, 4).ShouldBeNull();
        m.SourceIndexOf(4).ShouldBe(-1);
        m.ValueOf(["only one"], 1).ShouldBeNull(); // a short record
    }

    [Fact]
    public void Field_codes_match_regardless_of_case_and_width()
    {
        var m = HeaderMapping.Automatic(["deal_date", "ＣＡＲＤ＿ＮＯ"], [Col(1, "交易日期", "DEAL_DATE"), Col(2, "卡号", "card_no")]);
        m.Bindings.Select(b => b.SourceIndex).ShouldBe([0, 1]);
        m.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Missing_required_items_are_errors()
    {
        var m = HeaderMapping.Automatic(["企业名称", "备注"], Columns);
        m.IsValid.ShouldBeFalse();
        m.Errors.ShouldBe(["必填数据项“统一社会信用代码”在文件中没有对应的列"]);
        m.MissingRequired.Select(c => c.FieldName).ShouldBe(["USCC"]);
    }

    [Fact]
    public void User_mapping_corrects_ignores_and_falls_back_to_automatic()
    {
        var m = HeaderMapping.WithUserMapping(Header, Columns, new Dictionary<string, string?>
        {
            ["其他"] = "BZ",                 // by field name
            ["*成立日期"] = null,             // ignore
            ["注册资本（万元）"] = "注册资本",  // by item name
        });
        m.IsValid.ShouldBeTrue();
        m.Bindings.Select(b => (b.Column.FieldName, b.SourceIndex, b.Match)).ShouldBe(
        [
            ("USCC", 0, HeaderMatch.FieldCode),
            ("QYMC", 1, HeaderMatch.ItemName),
            ("ZCZB", 2, HeaderMatch.User),
            ("BZ", 4, HeaderMatch.User),
        ]);
        m.MissingColumns.Select(c => c.ItemName).ShouldBe(["成立日期"]);
        m.UnmappedSourceColumns.ShouldContain("*成立日期");
    }

    [Fact]
    public void Bad_user_mappings_are_reported()
    {
        var m = HeaderMapping.WithUserMapping(Header, Columns, new Dictionary<string, string?>
        {
            ["不存在的列"] = "BZ",
            ["其他"] = "不存在的项",
            ["ＵＳＣＣ"] = "QYMC",
            ["企业名称"] = "企业名称",
        });
        m.IsValid.ShouldBeFalse();
        m.Errors.ShouldBe(
        [
            "映射中的列“不存在的列”不在文件的表头中",
            "映射目标“不存在的项”不是本资源的数据项（列“其他”）",
            "数据项“企业名称”被映射了两次：文件中的列“ＵＳＣＣ”和“企业名称”",
            "必填数据项“统一社会信用代码”在文件中没有对应的列",
        ]);
    }

    [Fact]
    public void The_user_mapping_round_trips()
    {
        var auto = HeaderMapping.Automatic(Header, Columns);
        var map = auto.ToUserMapping();
        map["ＵＳＣＣ"].ShouldBe("USCC");
        map["其他"].ShouldBeNull();
        map.ContainsKey("").ShouldBeFalse();
        var again = HeaderMapping.WithUserMapping(Header, Columns, map);
        again.Bindings.Select(b => (b.Column.FieldName, b.SourceIndex)).ShouldBe(auto.Bindings.Select(b => (b.Column.FieldName, b.SourceIndex)));
        again.Bindings.ShouldAllBe(b => b.Match == HeaderMatch.User);
    }

    [Theory]
    [InlineData("*注册资本（万元）", "注册资本")]
    [InlineData("DEAL-DATE", "dealdate")]
    [InlineData("金额[元]", "金额")]
    [InlineData("（备注）", "(备注)")]
    public void Loose_forms(string text, string expected) => HeaderMapping.Loose(text).ShouldBe(expected);
}
