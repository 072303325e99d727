using System.Xml;
using System.Xml.Linq;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;

namespace GovData.Data.Tests.Export;

public sealed class XmlExportTests
{
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static async Task<XDocument> ExportAsync(bool raw, List<object?[]>? rows = null)
    {
        var output = new AsyncOnlyStream();
        var n = await XmlExportWriter.WriteAsync(ExportTestData.Dataset, ExportTestData.ToAsync(rows ?? ExportTestData.Rows()), output, raw);
        n.ShouldBe((rows ?? ExportTestData.Rows()).Count);
        return XDocument.Load(new MemoryStream(output.ToArray()), LoadOptions.PreserveWhitespace);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Xml_round_trips_typed_values(bool raw)
    {
        var doc = await ExportAsync(raw);
        var root = doc.Root!;
        root.Name.LocalName.ShouldBe("dataset");
        root.Attribute("resource")!.Value.ShouldBe("303026010201/1");
        root.Attribute("name")!.Value.ShouldBe("企业法人库（测试）");
        root.Attribute("version")!.Value.ShouldBe("3");

        var columns = ExportTestData.Columns;
        var fields = root.Element("fields")!.Elements("field").ToList();
        fields.Count.ShouldBe(columns.Count);
        var elementOf = fields.ToDictionary(f => f.Attribute("name")!.Value, f => f.Attribute("element")!.Value);

        var rows = root.Elements("row").ToList();
        var expected = ExportTestData.Expected(raw);
        rows.Count.ShouldBe(expected.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            rows[r].Elements().Count().ShouldBe(columns.Count);
            for (var c = 0; c < columns.Count; c++)
            {
                var e = rows[r].Element(elementOf[columns[c].ItemName])!;
                var value = (bool?)e.Attribute(Xsi + "nil") == true ? null : ExportTestData.Parse(columns[c], e.Value);
                value.ShouldBe(expected[r][c], $"row {r + 1}, {columns[c].ItemName}");
            }
        }
    }

    [Fact]
    public async Task Element_names_are_valid_xml_names_and_keep_chinese_field_names()
    {
        var doc = await ExportAsync(raw: true);
        var first = doc.Root!.Element("row")!;
        first.Element("credit_code")!.Value.ShouldBe("91370000163044841F");
        first.Element("企业名称")!.Value.ShouldBe("山东测试科技有限公司");      // Chinese letters are name characters
        first.Element("企业名称")!.Attribute("name").ShouldBeNull();            // unchanged names carry no attribute
        var remark = first.Element("_1号_备注_说明")!;                           // "1号 备注/说明": digit first, space and '/' mapped
        remark.Attribute("name")!.Value.ShouldBe("1号 备注/说明");
        remark.Value.ShouldBe("普通备注");
        var field = doc.Root!.Element("fields")!.Elements("field").Single(f => f.Attribute("element")!.Value == "approved_at");
        field.Attribute("name")!.Value.ShouldBe("核准时间");
        field.Attribute("code")!.Value.ShouldBe("approved_at");
        field.Attribute("type")!.Value.ShouldBe("T");
        first.Element("approved_at")!.Value.ShouldBe("2018-08-31T22:14:50");   // xs:dateTime
        XmlConvert.ToDateTime(first.Element("approved_at")!.Value, XmlDateTimeSerializationMode.Unspecified)
            .ShouldBe(new DateTime(2018, 8, 31, 22, 14, 50));
        doc.Root.Elements("row").ElementAt(3).Element("成立日期")!.Attribute(Xsi + "nil")!.Value.ShouldBe("true");
    }

    [Theory]
    [InlineData("credit_code", "credit_code")]
    [InlineData("成立日期", "成立日期")]
    [InlineData("1号", "_1号")]
    [InlineData("注册 资本(万元)", "注册_资本_万元_")]
    [InlineData("a:b", "a_b")]
    [InlineData("xmlData", "_xmlData")]
    [InlineData("-x", "_-x")]
    [InlineData("", "field")]
    [InlineData("名称𠀀", "名称_")]
    public void Safe_names(string field, string expected)
    {
        var name = XmlExportWriter.SafeName(field);
        name.ShouldBe(expected);
        XmlConvert.VerifyNCName(name).ShouldBe(name);
    }

    [Fact]
    public void Colliding_and_reserved_names_get_suffixes()
    {
        static DataColumn Col(int i, string name) => DataColumn.From(
            new CatalogItem(i, name, null, ItemDataType.C, 10, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null), i);
        XmlExportWriter.ElementNames([Col(1, "a b"), Col(2, "a/b"), Col(3, "row"), Col(4, "a_b")])
            .ShouldBe(["a_b", "a_b_2", "row_2", "a_b_3"]);
    }

    [Fact]
    public async Task Characters_xml_cannot_carry_become_replacement_characters()
    {
        var row = ExportTestData.Rows()[0];
        row[1] = "控制\u0001字符\uD800孤立代理";
        var doc = await ExportAsync(raw: true, [row]);
        doc.Root!.Element("row")!.Element("企业名称")!.Value.ShouldBe("控制\uFFFD字符\uFFFD孤立代理");
    }
}
