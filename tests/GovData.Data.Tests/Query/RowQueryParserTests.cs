using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Query;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Tests.Query;

/// <summary>Parsing and SQL generation without a database: messages, types, escapes, reserved names, parameterisation.</summary>
public sealed class RowQueryParserTests
{
    private static readonly RowQueryOptions Options = new() { MaxLimit = 500, DefaultLimit = 25, MaxInValues = 5 };

    private static readonly TableLayout Layout = TableLayout.For(Guid.Parse("0195f2c4-1a2b-7c3d-8e9f-001122334455"), 2,
    [
        .. SampleTable.Items,
        new CatalogItem(12, "计数", "count", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ]);

    private static RowQuery Rows(string qs) => RowQueryParser.ParseRows(Layout, QueryString.Parse(qs), Options);

    private static QueryException Bad(string qs) => Should.Throw<QueryException>(() => Rows(qs));

    [Fact]
    public void Filters_are_typed_by_their_column()
    {
        var q = Rows("credit_code=91370000163044841F&capital.ge=1234.50&ratio.lt=-0.5&staff.in=1,2&%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F.between=2018-01-01,2018-12-31"
            + "&approved_at.gt=2018-08-31T22:14:50&active=%E6%98%AF&scope.isnull=false&count.eq=3");
        q.Filters.Select(f => (f.Column.FieldName, f.Op)).ShouldBe(
        [
            ("credit_code", FilterOp.Eq), ("capital", FilterOp.Ge), ("ratio", FilterOp.Lt), ("staff", FilterOp.In), ("成立日期", FilterOp.Between),
            ("approved_at", FilterOp.Gt), ("active", FilterOp.Eq), ("scope", FilterOp.IsNull), ("count", FilterOp.Eq),
        ]);
        q.Filters[0].Values.ShouldBe(["91370000163044841F"]);
        q.Filters[1].Values.ShouldBe([1234.50m]);
        q.Filters[2].Values.ShouldBe([-0.5d]);
        q.Filters[3].Values.ShouldBe([1L, 2L]);
        q.Filters[4].Values.ShouldBe([new DateOnly(2018, 1, 1), new DateOnly(2018, 12, 31)]);
        q.Filters[5].Values.ShouldBe([new DateTime(2018, 8, 31, 22, 14, 50)]);
        q.Filters[6].Values.ShouldBe([true]);
        q.Filters[7].Values.ShouldBe([false]);
        q.Filters[8].Values.ShouldBe([3L]);   // a field named like a reserved parameter, reached with an explicit operator
        q.Limit.ShouldBe(25);
        q.Offset.ShouldBe(0);
        q.Count.ShouldBeTrue();
        q.Fields.Count.ShouldBe(Layout.Columns.Count);
        q.Sort.ShouldBeEmpty();
    }

    [Fact]
    public void Field_names_resolve_through_the_layout_case_insensitively()
    {
        var q = Rows("CREDIT_CODE=x&%E6%B3%95%E5%AE%9A%E4%BB%A3%E8%A1%A8%E4%BA%BA.startswith=%E5%BC%A0&fields=Capital,%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F&sort=-STAFF,region");
        q.Filters[0].Column.ColumnName.ShouldBe("c001");
        q.Filters[1].Column.FieldName.ShouldBe("legal_person");   // reached by its item name 法定代表人
        q.Fields.Select(c => c.FieldName).ShouldBe(["capital", "成立日期"]);
        q.Sort.Select(s => (s.Column.FieldName, s.Descending)).ShouldBe([("staff", true), ("region", false)]);
        q.SortSpec.ShouldBe("-staff,region");
    }

    [Fact]
    public void In_lists_split_on_unescaped_commas_and_repeat()
    {
        RowQueryParser.SplitList(@"a\,b,c\\,d,").ShouldBe(["a,b", @"c\", "d", ""]);
        Rows(@"scope.in=a\,b,c&scope.in=d").Filters.Single().Values.ShouldBe(["a,b", "c", "d"]);
        Bad("staff.in=1,2,3&staff.in=4,5,6").Message.ShouldContain("超过 5 个");
        Bad("staff.in=1,,2").Message.ShouldContain("空项");
    }

    [Theory]
    [InlineData("staff.gt=abc", "staff.gt", "“abc”不是有效的整数")]
    [InlineData("capital=1,5", "capital", "“1,5”不是有效的数值")]
    [InlineData("ratio.le=NaN", "ratio.le", "“NaN”不是有效的浮点数")]
    [InlineData("%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F=2018%2F08%2F31", "成立日期", "“2018/08/31”不是有效的日期")]
    [InlineData("approved_at.ge=2018-13-01", "approved_at.ge", "“2018-13-01”不是有效的日期时间")]
    [InlineData("active=maybe", "active", "“maybe”不是有效的布尔")]
    [InlineData("staff.between=1", "staff.between", "两个值")]
    [InlineData("staff.between=1,2,3", "staff.between", "两个值")]
    [InlineData("scope.isnull=yes", "scope.isnull", "应为 true 或 false")]
    [InlineData("capital.contains=1", "capital.contains", "运算符 contains 不适用于数值字段“capital”")]
    [InlineData("%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F.startswith=2018", "成立日期.startswith", "不适用于日期字段")]
    [InlineData("active.gt=true", "active.gt", "不适用于布尔字段")]
    [InlineData("staff.like=1", "staff.like", "不支持的运算符“like”")]
    [InlineData("nosuch=1", "nosuch", "未知字段“nosuch”")]
    [InlineData("nosuch.eq=1", "nosuch.eq", "未知字段“nosuch”")]
    [InlineData("scope=", "scope", "scope.isnull=true")]
    [InlineData("scope.contains=", "scope.contains", "不能为空")]
    [InlineData("limit=501", "limit", "0 到 500")]
    [InlineData("limit=-1", "limit", "“-1”无效")]
    [InlineData("limit=ten", "limit", "“ten”无效")]
    [InlineData("offset=2000000", "offset", "after")]
    [InlineData("count=maybe", "count", "true 或 false")]
    [InlineData("limit=1&limit=2", "limit", "只能出现一次")]
    [InlineData("fields=credit_code,nosuch", "fields", "未知字段“nosuch”")]
    [InlineData("fields=credit_code,credit_code", "fields", "重复")]
    [InlineData("fields=", "fields", "空的字段名")]
    [InlineData("sort=-", "sort", "空的字段名")]
    [InlineData("sort=staff,-staff", "sort", "重复")]
    [InlineData("group=region", "group", "/aggregate")]
    [InlineData("after=abc&offset=5", "after", "不能同时使用")]
    [InlineData("after=%25%25%25", "after", "base64url")]
    public void Bad_queries_name_the_parameter_and_the_value(string qs, string parameter, string fragment)
    {
        var ex = Bad(qs);
        ex.Parameter.ShouldBe(parameter);
        ex.Message.ShouldContain(fragment);
        ex.Forbidden.ShouldBeFalse();
    }

    [Fact]
    public void Unknown_field_messages_list_the_available_fields()
    {
        var ex = Bad("c001=1");
        ex.Message.ShouldContain("credit_code");
        ex.Message.ShouldContain("成立日期");
        ex.Message.ShouldNotContain("c002");
    }

    [Fact]
    public void Reserved_names_are_never_filters()
    {
        foreach (var name in new[] { "fields", "sort", "limit", "offset", "after", "count", "version", "format", "group", "agg", "encoding", "bom", "culture" })
            QueryParameters.IsReserved(name).ShouldBeTrue(name);
        var q = Rows("version=3&format=csv&culture=zh-CN&count=false&limit=0");
        q.Filters.ShouldBeEmpty();
        q.Count.ShouldBeFalse();
        q.Limit.ShouldBe(0);
    }

    [Fact]
    public void Export_parsing_has_no_default_limit()
    {
        RowQueryParser.ParseRows(Layout, QueryString.Parse("staff.gt=1"), Options, unlimited: true).Limit.ShouldBeNull();
        RowQueryParser.ParseRows(Layout, QueryString.Parse("limit=100000"), Options, unlimited: true).Limit.ShouldBe(100000);
    }

    [Fact]
    public void Aggregate_queries_check_functions_types_and_names()
    {
        var q = RowQueryParser.ParseAggregate(Layout, QueryString.Parse("group=region,active&agg=count,sum:capital,avg:staff,min:%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F,max:scope,count:phone&sort=-sum_capital,region&limit=10"), Options);
        q.Group.Select(c => c.FieldName).ShouldBe(["region", "active"]);
        q.Aggregates.Select(a => a.Alias).ShouldBe(["count", "sum_capital", "avg_staff", "min_成立日期", "max_scope", "count_phone"]);
        q.Sort.Select(s => (s.Aggregate?.Alias ?? s.GroupColumn!.FieldName, s.Descending)).ShouldBe([("sum_capital", true), ("region", false)]);
        q.Limit.ShouldBe(10);
        RowQueryParser.ParseAggregate(Layout, [], Options).Aggregates.Single().Alias.ShouldBe("count");

        void BadAgg(string qs, string parameter, string fragment)
        {
            var ex = Should.Throw<QueryException>(() => RowQueryParser.ParseAggregate(Layout, QueryString.Parse(qs), Options), qs);
            ex.Parameter.ShouldBe(parameter, qs);
            ex.Message.ShouldContain(fragment, customMessage: qs);
        }
        BadAgg("agg=sum:scope", "agg", "sum 只能用于数值字段，“scope”是文本字段");
        BadAgg("agg=avg:%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F", "agg", "只能用于数值字段");
        BadAgg("agg=min:active", "agg", "不适用于布尔字段");
        BadAgg("agg=median:staff", "agg", "不支持的聚合函数“median”");
        BadAgg("agg=sum", "agg", "缺少字段名");
        BadAgg("agg=sum:", "agg", "缺少字段名");
        BadAgg("agg=count,count", "agg", "重复");
        BadAgg("agg=sum:nosuch", "agg", "未知字段“nosuch”");
        BadAgg("group=count&agg=count", "agg", "与分组字段同名");
        BadAgg("group=region&sort=staff", "sort", "既不是分组字段也不是聚合结果名");
        BadAgg("group=nosuch", "group", "未知字段");
        BadAgg("fields=region", "fields", "不适用于聚合查询");
        BadAgg("after=x", "after", "不适用于聚合查询");
        BadAgg("limit=100000", "limit", "0 到 500");
        BadAgg("staff.gt=x", "staff.gt", "不是有效的整数");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void Generated_sql_carries_values_only_as_parameters(DatabaseProvider provider)
    {
        var evil = "x' OR 1=1; DROP TABLE data_resources; --";
        var q = Rows($"scope={Uri.EscapeDataString(evil)}&scope.contains={Uri.EscapeDataString("50%_off\\")}&region.in=a,b&sort=-scope,capital&fields=credit_code");
        var select = QuerySql.Rows(Layout, provider, q, 11);
        select.Statement.Sql.ShouldNotContain("OR 1=1");
        select.Statement.Sql.ShouldNotContain("DROP");
        select.Statement.Sql.ShouldNotContain("50");
        select.Statement.Parameters.Select(p => p.Value).ShouldContain(evil);
        select.Statement.Parameters.Select(p => p.Value).ShouldContain("%50\\%\\_off\\\\%");
        select.Statement.Sql.ShouldContain("ESCAPE '\\'");
        select.Statement.Sql.ShouldContain("ORDER BY " + (provider == DatabaseProvider.PostgreSql ? "c009 COLLATE \"C\"" : "c009") + " DESC NULLS LAST, c003 ASC NULLS FIRST, _row ASC");
        select.Fetched.Select(c => c.FieldName).ShouldBe(["credit_code", "scope", "capital"]);
    }

    [Fact]
    public void Layouts_with_foreign_names_are_refused_before_any_sql_runs()
    {
        var tampered = Layout with { TableName = "data_resources; --" };
        Should.Throw<InvalidOperationException>(() => QuerySql.Rows(tampered, DatabaseProvider.Sqlite, RowQuery.All(tampered), 10));
        var column = Layout.Columns[0] with { ColumnName = "c001); DROP TABLE x; --" };
        var odd = Layout with { Columns = [column, .. Layout.Columns.Skip(1)] };
        Should.Throw<InvalidOperationException>(() => QuerySql.Rows(odd, DatabaseProvider.PostgreSql, RowQuery.All(odd), 10));
    }

    [Fact]
    public void Cursors_round_trip_every_type()
    {
        var q = Rows("sort=credit_code,capital,ratio,staff,%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F,approved_at,active");
        object?[] values = ["9137", 12.5m, -0.25, 42L, new DateOnly(2018, 8, 31), new DateTime(2018, 8, 31, 22, 14, 50), null];
        var text = CursorCodec.Encode(q.SortSpec, values, 77);
        text.ShouldNotContain("=");
        text.ShouldNotContain("+");
        text.ShouldNotContain("/");
        var back = CursorCodec.Decode(text, q.Sort, q.SortSpec);
        back.Values.ShouldBe(values);
        back.Row.ShouldBe(77);
    }
}
