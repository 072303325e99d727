using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.SharedKernel.Codes;

namespace GovData.Data.Tests.Ingestion;

public sealed class ColumnConverterTests
{
    internal static DataColumn Col(ItemDataType type, string name = "数据项", int? length = null, int? precision = null,
        bool required = false, string? domain = null) =>
        new(1, "c001", "field", name, null, type, DataColumn.KindOf(type), length, precision, required, false, domain,
            ItemSensitivity.Public, MaskingRule.None);

    private static object? Ok(DataColumn column, string? raw, ConversionOptions? options = null)
    {
        var ok = ColumnConverter.For(column, options ?? ConversionOptions.Default).TryConvert(raw, out var value, out var problem);
        ok.ShouldBeTrue($"“{raw}” should be accepted but: {problem?.Message}");
        problem.ShouldBeNull();
        return value;
    }

    private static ValueProblem Bad(DataColumn column, string? raw, string rule, ConversionOptions? options = null)
    {
        var ok = ColumnConverter.For(column, options ?? ConversionOptions.Default).TryConvert(raw, out var value, out var problem);
        ok.ShouldBeFalse($"“{raw}” should be refused but became {value}");
        value.ShouldBeNull();
        problem.ShouldNotBeNull();
        problem.Rule.ShouldBe(rule);
        problem.Message.ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    // ---- nulls ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    [InlineData("-")]
    [InlineData("NULL")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("无")]
    [InlineData("N/A")]
    [InlineData(" / ")]
    public void Null_markers_are_null_for_optional_items(string? raw)
    {
        Ok(Col(ItemDataType.C), raw).ShouldBeNull();
        Ok(Col(ItemDataType.N), raw).ShouldBeNull();
        Ok(Col(ItemDataType.D), raw).ShouldBeNull();
    }

    [Fact]
    public void Required_items_report_empty_and_marker_values()
    {
        Bad(Col(ItemDataType.C, required: true), "  ", ValueRules.Required).Message.ShouldBe("必填项为空");
        Bad(Col(ItemDataType.I, required: true), "-", ValueRules.Required).Message.ShouldContain("“-”按空值处理");
        Bad(Col(ItemDataType.C, required: true), null, ValueRules.Required);
    }

    [Fact]
    public void Null_markers_are_configurable()
    {
        var options = ConversionOptions.Default with { NullMarkers = ["#"] };
        Ok(Col(ItemDataType.C), "-", options).ShouldBe("-");
        Ok(Col(ItemDataType.C), "#", options).ShouldBeNull();
        Ok(Col(ItemDataType.C), "", options).ShouldBeNull();
        Bad(Col(ItemDataType.N), "无", ValueRules.Number, options);
    }

    // ---- text ----

    [Fact]
    public void Text_is_trimmed_and_kept_as_written()
    {
        Ok(Col(ItemDataType.C), "  地铁五号线 ").ShouldBe("地铁五号线");
        Ok(Col(ItemDataType.C), "M433(福永）").ShouldBe("M433(福永）");
        Ok(Col(ItemDataType.C), "ＡＢＣ１２３").ShouldBe("ＡＢＣ１２３");
        Ok(Col(ItemDataType.C), " a ", ConversionOptions.Default with { Trim = false }).ShouldBe(" a ");
        var same = "不需要复制";
        ReferenceEquals(Ok(Col(ItemDataType.C), same), same).ShouldBeTrue();
    }

    [Fact]
    public void Text_length_counts_characters()
    {
        var col = Col(ItemDataType.C, length: 4);
        Ok(col, "深圳通卡").ShouldBe("深圳通卡");
        Ok(col, "𠀀𠀁𠀂𠀃").ShouldBe("𠀀𠀁𠀂𠀃");     // surrogate pairs count once, as in varchar(4)
        Bad(col, "深圳通卡号", ValueRules.Length).Message.ShouldBe("长度为5个字符，超过规定的4个字符");
        Ok(Col(ItemDataType.M, length: 2), "备注型不限长度");
    }

    // ---- numbers ----

    [Theory]
    [InlineData("1234.5", "1234.5")]
    [InlineData("1,234,567.89", "1234567.89")]
    [InlineData("１２３．５", "123.5")]
    [InlineData("１，２３４", "1234")]
    [InlineData("+5", "5")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("¥1,200.50", "1200.50")]
    [InlineData("￥ 300", "300")]
    [InlineData("-¥3", "-3")]
    [InlineData("¥-3", "-3")]
    [InlineData(".5", "0.5")]
    [InlineData("1.5E3", "1500")]
    [InlineData("2.5e-2", "0.025")]
    [InlineData("007", "7")]
    public void Decimals_in_the_forms_files_use(string raw, string expected) =>
        ((decimal)Ok(Col(ItemDataType.N), raw)!).ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("1,23", "千位分隔符")]
    [InlineData("1234,567", "千位分隔符")]
    [InlineData("12.5%", "百分数")]
    [InlineData("abc", "数值格式无法识别")]
    [InlineData("1.2.3", "数值格式无法识别")]
    [InlineData("--1", "数值格式无法识别")]
    [InlineData("1e", "数值格式无法识别")]
    [InlineData(",123", "数值格式无法识别")]
    [InlineData("12元", "数值格式无法识别")]
    [InlineData("99999999999999999999999999999999", "超出数值范围")]
    public void Bad_decimals_say_why(string raw, string reason) =>
        Bad(Col(ItemDataType.N), raw, ValueRules.Number).Message.ShouldContain(reason);

    [Fact]
    public void Decimal_length_and_precision_follow_the_item()
    {
        var money = Col(ItemDataType.Y, length: 10, precision: 2);
        Ok(money, "12345678.90").ShouldBe(12345678.90m);
        Ok(money, "1.230").ShouldBe(1.230m);      // trailing zeros are not significant
        Bad(money, "1.234", ValueRules.Precision).Message.ShouldBe("小数部分有3位，超过规定的2位");
        Bad(money, "123456789", ValueRules.Length).Message.ShouldContain("整数部分最多8位");
        var noScale = Col(ItemDataType.N, length: 5);
        Ok(noScale, "123.45");
        Bad(noScale, "123.456", ValueRules.Length).Message.ShouldContain("共有6位数字");
        Bad(Col(ItemDataType.N, precision: 0), "1.5", ValueRules.Precision);
        Ok(Col(ItemDataType.N, length: 3, precision: 1), "0.00").ShouldBe(0.00m);
        Ok(Col(ItemDataType.N, length: 30, precision: 2), "12345678901234567890123.45");   // mantissa beyond 64 bits
        Bad(Col(ItemDataType.N, length: 30, precision: 2), "1234567890123456789012.345", ValueRules.Precision);
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("1,234", 1234L)]
    [InlineData("42.0", 42L)]
    [InlineData("1.2E3", 1200L)]
    [InlineData("９", 9L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers(string raw, long expected) => Ok(Col(ItemDataType.I), raw).ShouldBe(expected);

    [Theory]
    [InlineData("42.5", "小数部分")]
    [InlineData("9223372036854775808", "超出整数范围")]
    [InlineData("四十二", "数值格式无法识别")]
    public void Bad_integers(string raw, string reason) => Bad(Col(ItemDataType.I), raw, ValueRules.Integer).Message.ShouldContain(reason);

    [Fact]
    public void Doubles()
    {
        Ok(Col(ItemDataType.B), "3.14").ShouldBe(3.14);
        Ok(Col(ItemDataType.F), "-1,000.5").ShouldBe(-1000.5);
        Bad(Col(ItemDataType.F), "1e400", ValueRules.Number);
        Bad(Col(ItemDataType.F), "NaN", ValueRules.Number);
    }

    // ---- dates ----

    [Theory]
    [InlineData("2018-08-31")]
    [InlineData("2018/8/31")]
    [InlineData("2018/08/31")]
    [InlineData("20180831")]
    [InlineData("2018年8月31日")]
    [InlineData("2018年08月31号")]
    [InlineData("2018.08.31")]
    [InlineData("２０１８－０８－３１")]
    [InlineData("2018-08-31 00:00:00")]
    [InlineData("2018-08-30T16:00:00Z")]
    public void Dates_in_the_forms_files_use(string raw) => Ok(Col(ItemDataType.D), raw).ShouldBe(new DateOnly(2018, 8, 31));

    [Theory]
    [InlineData("2018-02-30", "2018年2月没有30日")]
    [InlineData("2018-13-01", "月份应为1至12")]
    [InlineData("2018-08-31 10:00", "不能带有时间")]
    [InlineData("31/08/2018", "日期格式无法识别")]
    [InlineData("2018-8", "日期格式无法识别")]
    [InlineData("2018-08/31", "日期格式无法识别")]
    [InlineData("201808", "日期格式无法识别")]
    [InlineData("2018-008-31", "日期格式无法识别")]
    [InlineData("昨天", "日期格式无法识别")]
    public void Bad_dates_say_why(string raw, string reason) => Bad(Col(ItemDataType.D), raw, ValueRules.Date).Message.ShouldContain(reason);

    [Theory]
    [InlineData("2018-08-31 22:14:50")]
    [InlineData("2018-08-31T22:14:50")]
    [InlineData("2018/8/31 22:14:50")]
    [InlineData("2018-08-31  22:14:50")]
    [InlineData("20180831221450")]
    [InlineData("2018年8月31日 22时14分50秒")]
    [InlineData("2018年8月31日22:14:50")]
    [InlineData("2018-08-31T14:14:50Z")]
    [InlineData("2018-08-31T22:14:50+08:00")]
    [InlineData("2018-08-31 22:14:50 +0800")]
    [InlineData("2018-08-31T16:14:50+02")]
    public void Timestamps_in_the_forms_files_use(string raw)
    {
        var value = (DateTime)Ok(Col(ItemDataType.T), raw)!;
        value.ShouldBe(new DateTime(2018, 8, 31, 22, 14, 50));
        value.Kind.ShouldBe(DateTimeKind.Unspecified);
    }

    [Fact]
    public void Timestamps_with_minutes_only_fractions_and_dates_only()
    {
        Ok(Col(ItemDataType.T), "2018/8/31 9:05").ShouldBe(new DateTime(2018, 8, 31, 9, 5, 0));
        Ok(Col(ItemDataType.T), "2018-08-31 22:14:50.1234567").ShouldBe(new DateTime(2018, 8, 31, 22, 14, 50).AddTicks(1234567));
        Ok(Col(ItemDataType.T), "2018-08-31 22:14:50.123456789").ShouldBe(new DateTime(2018, 8, 31, 22, 14, 50).AddTicks(1234567));
        Ok(Col(ItemDataType.T), "2018-08-31").ShouldBe(new DateTime(2018, 8, 31));
        Ok(Col(ItemDataType.T), "2018-08-31 22:14:50", ConversionOptions.Default with { LocalOffset = TimeSpan.Zero })
            .ShouldBe(new DateTime(2018, 8, 31, 22, 14, 50));
        Ok(Col(ItemDataType.T), "2018-08-31T22:14:50Z", ConversionOptions.Default with { LocalOffset = TimeSpan.Zero })
            .ShouldBe(new DateTime(2018, 8, 31, 22, 14, 50));
    }

    [Theory]
    [InlineData("2018-08-31 24:00:00", "小时应为0至23")]
    [InlineData("2018-08-31 22:60", "分钟应为0至59")]
    [InlineData("2018-08-31 22:14:61", "秒应为0至59")]
    [InlineData("2018-08-31 22", "日期时间格式无法识别")]
    [InlineData("2018-08-31 下午3点", "日期时间格式无法识别")]
    [InlineData("2018-08-31 22:14:50+25:00", "日期时间格式无法识别")]
    public void Bad_timestamps_say_why(string raw, string reason) =>
        Bad(Col(ItemDataType.T), raw, ValueRules.Timestamp).Message.ShouldContain(reason);

    // ---- booleans ----

    [Theory]
    [InlineData("是", true)]
    [InlineData("否", false)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("Y", true)]
    [InlineData("n", false)]
    [InlineData("Yes", true)]
    [InlineData("no", false)]
    public void Booleans(string raw, bool expected) => Ok(Col(ItemDataType.L), raw).ShouldBe(expected);

    [Fact]
    public void Bad_booleans() => Bad(Col(ItemDataType.L), "也许", ValueRules.Boolean).Message.ShouldContain("是/否");

    // ---- code validators ----

    [Fact]
    public void Credit_codes_by_item_name_or_domain()
    {
        var valid = CreditCode.Create('9', '1', "370100", "16829134").Value;
        var byName = Col(ItemDataType.C, "统一社会信用代码", 18);
        Ok(byName, valid).ShouldBe(valid);
        Ok(byName, valid.ToLowerInvariant()).ShouldBe(valid);
        var wrongCheck = valid[..17] + (valid[17] == '0' ? '1' : '0');
        Bad(byName, wrongCheck, ValueRules.CreditCode).Message.ShouldContain("校验位错误");
        Bad(byName, "91370100MA3C", ValueRules.CreditCode).Message.ShouldContain("应为18位");
        var byDomain = Col(ItemDataType.C, "主体代码", domain: "GB 32100-2015");
        Ok(byDomain, valid);
        Bad(byDomain, wrongCheck, ValueRules.CreditCode);
        // not every 代码 is a credit code
        Ok(Col(ItemDataType.C, "组织代码"), wrongCheck);
    }

    [Theory]
    [InlineData("11010519491231002X")]   // the example of GB 11643-1999
    [InlineData("440524188001010014")]   // the second example of GB 11643-1999
    [InlineData("110101900101123")]      // 15-digit old number
    public void Valid_id_numbers(string id) => Ok(Col(ItemDataType.C, "身份证号"), id).ShouldBe(id);

    [Fact]
    public void Id_numbers_are_checked_per_gb_11643()
    {
        var col = Col(ItemDataType.C, "公民身份号码");
        Ok(col, "11010519491231002x").ShouldBe("11010519491231002X");
        Bad(col, "110105194912310021", ValueRules.IdCard).Message.ShouldContain("应为“X”");
        Bad(col, "110105194913310020", ValueRules.IdCard).Message.ShouldContain("出生日期无效");
        Bad(col, "99010519491231002X", ValueRules.IdCard).Message.ShouldContain("不是省级行政区划代码");
        Bad(col, "1101051949123100", ValueRules.IdCard).Message.ShouldContain("实际为16位");
        Bad(col, "1101051949123100AX", ValueRules.IdCard).Message.ShouldContain("前17位应为数字");
        var future = DateTime.Today.AddYears(1).ToString("yyyyMMdd");
        var body = "110105" + future + "002";
        Bad(col, body + Check(body), ValueRules.IdCard).Message.ShouldContain("晚于今天");
        Bad(col, "110101900101123", ValueRules.IdCard, ConversionOptions.Default with { AcceptOldIdNumbers = false });
        Bad(col, "110101901301123", ValueRules.IdCard).Message.ShouldContain("第7至12位");
        Ok(Col(ItemDataType.C, "证件号码", domain: "GB 11643"), "440524188001010014");
    }

    /// <summary>The ISO 7064 MOD 11-2 check character, computed here independently of the code under test.</summary>
    internal static char Check(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * ((1 << (17 - i)) % 11);
        return "10X98765432"[sum % 11];
    }

    [Fact]
    public void Region_codes_against_gb_t_2260()
    {
        var col = Col(ItemDataType.C, "行政区划代码");
        Ok(col, "370102").ShouldBe("370102");
        Ok(col, "110000");
        Bad(col, "379999", ValueRules.Region).Message.ShouldContain("GB/T 2260");
        Bad(col, "37010", ValueRules.Region).Message.ShouldContain("6位");
        Bad(col, "37010A", ValueRules.Region).Message.ShouldContain("数字");
        Ok(Col(ItemDataType.C, "所在地", domain: "GB/T 2260-2007"), "371302");
        Ok(Col(ItemDataType.I, "所在地", domain: "GB/T 2260"), "371302").ShouldBe(371302L);
        Bad(Col(ItemDataType.I, "所在地", domain: "GB/T 2260"), "379999", ValueRules.Region);
    }

    [Theory]
    [InlineData("13812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("86-13812345678")]
    [InlineData("138-1234-5678")]
    [InlineData("0531-88888888")]
    [InlineData("(010)62345678")]
    [InlineData("（0755）2345678")]
    [InlineData("02087654321")]
    [InlineData("0531-88888888-123")]
    [InlineData("0531-88888888转8001")]
    [InlineData("400-810-8888")]
    [InlineData("12345")]
    [InlineData("95588")]
    [InlineData("13812345678；0531-88888888")]
    public void Valid_phone_numbers(string raw) => Ok(Col(ItemDataType.C, "联系电话"), raw).ShouldBe(raw);

    [Theory]
    [InlineData("88888888")]        // no area code
    [InlineData("1381234567")]      // 10 digits
    [InlineData("12812345678")]     // 12x is not a mobile prefix
    [InlineData("020-12345")]
    [InlineData("0531-08888888")]
    [InlineData("电话")]
    [InlineData("13812345678;12")]
    public void Bad_phone_numbers(string raw) => Bad(Col(ItemDataType.C, "手机号码"), raw, ValueRules.Phone).Message.ShouldContain("0531-88888888");

    // ---- value domains ----

    [Fact]
    public void Enumerations_accept_codes_and_names()
    {
        var sex = Col(ItemDataType.C, "性别", domain: "1-男;2-女");
        Ok(sex, "1").ShouldBe("1");
        Ok(sex, "女").ShouldBe("女");
        Bad(sex, "3", ValueRules.Domain).Message.ShouldBe("不在值域内，应为：1-男；2-女");

        var nation = Col(ItemDataType.I, "民族", domain: "01:汉族,02:蒙古族");
        Ok(nation, "1").ShouldBe(1L);
        Ok(nation, "02").ShouldBe(2L);
        Bad(nation, "3", ValueRules.Domain);

        Ok(Col(ItemDataType.C, domain: "男/女"), "男");
        Bad(Col(ItemDataType.C, domain: "男/女"), "未知", ValueRules.Domain);
        Ok(Col(ItemDataType.C, domain: "A.国有 B.集体"), "a");
        Bad(Col(ItemDataType.C, domain: "A.国有 B.集体"), "C", ValueRules.Domain);
        Ok(Col(ItemDataType.C, domain: "GB/T 2261.1"), "男");
        Ok(Col(ItemDataType.C, domain: "GB/T 2261.1-2003"), "9");
        Bad(Col(ItemDataType.C, domain: "GB/T 2261.1"), "3", ValueRules.Domain);
    }

    [Theory]
    [InlineData("参见 GB/T 4754-2017 国民经济行业分类")]
    [InlineData("0-100")]
    [InlineData("yyyy-MM-dd")]
    [InlineData("大于0，小于100")]
    [InlineData("元/平方米")]
    [InlineData("按实际填写")]
    public void Free_text_domains_never_reject(string domain)
    {
        Ok(Col(ItemDataType.C, domain: domain), "任意值");
        Ok(Col(ItemDataType.N, domain: domain), "57");
    }

    [Fact]
    public void Booleans_and_dates_are_not_checked_against_their_domain()
    {
        Ok(Col(ItemDataType.L, domain: "是/否"), "1").ShouldBe(true);
        Ok(Col(ItemDataType.D, domain: "yyyy/mm/dd"), "2018-08-31");
    }

    [Fact]
    public void Describe_names_what_is_checked()
    {
        ColumnConverter.For(Col(ItemDataType.C, "统一社会信用代码", 18, required: true), ConversionOptions.Default).Describe()
            .ShouldBe("文本，最多18个字符；必填；校验统一社会信用代码（GB 32100，18位，含校验位）");
        ColumnConverter.For(Col(ItemDataType.C, "性别", domain: "1-男;2-女"), ConversionOptions.Default).Describe()
            .ShouldBe("文本；值域：1-男；2-女");
        ColumnConverter.For(Col(ItemDataType.Y, length: 12, precision: 2), ConversionOptions.Default).Describe()
            .ShouldBe("数值，总位数不超过12、小数不超过2位");
    }

    [Fact]
    public void Rule_labels_are_chinese()
    {
        ValueRules.Label(ValueRules.Required).ShouldBe("必填项为空");
        ValueRules.Label(ValueRules.CreditCode).ShouldBe("统一社会信用代码校验");
        ValueRules.Label(ValueRules.Quote).ShouldBe("引号不匹配");
        ValueRules.All.ShouldAllBe(r => ValueRules.Label(r) != r);
        ValueRules.IsRecordRule(ValueRules.Width).ShouldBeTrue();
        ValueRules.IsRecordRule(ValueRules.Domain).ShouldBeFalse();
    }

    [Fact]
    public void Format_writes_values_back_invariantly()
    {
        ColumnConverter.Format(new DateOnly(2018, 8, 31)).ShouldBe("2018-08-31");
        ColumnConverter.Format(new DateTime(2018, 8, 31, 22, 14, 50)).ShouldBe("2018-08-31 22:14:50");
        ColumnConverter.Format(1234.5m).ShouldBe("1234.5");
        ColumnConverter.Format(true).ShouldBe("true");
        ColumnConverter.Format(null).ShouldBeNull();
    }
}

public sealed class ValueDomainTests
{
    [Fact]
    public void Code_lists_in_the_ways_compilers_write_them()
    {
        ValueDomain.Parse("1-男;2-女").Entries.ShouldBe([new DomainEntry("1", "男"), new DomainEntry("2", "女")]);
        ValueDomain.Parse("01:汉族,02:蒙古族").Entries.ShouldBe([new DomainEntry("01", "汉族"), new DomainEntry("02", "蒙古族")]);
        ValueDomain.Parse("0：否；1：是").Entries.ShouldBe([new DomainEntry("0", "否"), new DomainEntry("1", "是")]);
        ValueDomain.Parse("1=在职，2=离职，3=退休").Entries.Count.ShouldBe(3);
        ValueDomain.Parse("A.国有 B.集体 C.私营").Entries.Select(e => e.Code).ShouldBe(["A", "B", "C"]);
        ValueDomain.Parse("1）正常\n2）注销").Entries.Select(e => e.Label).ShouldBe(["正常", "注销"]);
        ValueDomain.Parse("男/女").Entries.ShouldBe([new DomainEntry(null, "男"), new DomainEntry(null, "女")]);
        ValueDomain.Parse("高、中、低").Entries.Count.ShouldBe(3);
        ValueDomain.Parse("1-男;2-女").Kind.ShouldBe(ValueDomainKind.Enumeration);
        ValueDomain.Parse("1-男;2-女").AllNumeric.ShouldBeTrue();
        ValueDomain.Parse("男/女").AllNumeric.ShouldBeFalse();
    }

    [Theory]
    [InlineData("GB 32100", "GB 32100")]
    [InlineData("符合GB32100-2015", "GB 32100")]
    [InlineData("GB 11643-1999", "GB 11643")]
    [InlineData("ＧＢ／Ｔ ２２６０", "GB/T 2260")]
    [InlineData("参照 GB/T 4754-2017", "GB/T 4754")]
    [InlineData("GA 214.12", "GA 214.12")]
    public void Standards(string text, string standard)
    {
        var d = ValueDomain.Parse(text);
        d.Kind.ShouldBe(ValueDomainKind.Standard);
        d.Standard.ShouldBe(standard);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0-100")]
    [InlineData("yyyy-MM-dd")]
    [InlineData("大于0，小于100")]
    [InlineData("元/平方米")]
    [InlineData("参见字典表")]
    [InlineData("1-5;6-10")]
    [InlineData("男 女")]
    public void Free_text_is_not_an_enumeration(string? text) => ValueDomain.Parse(text).Kind.ShouldBe(ValueDomainKind.None);
}
