using System.Globalization;
using GovData.Data.Features.Query;
using static GovData.Data.Tests.Query.SampleTable;

namespace GovData.Data.Tests.Query;

/// <summary>
/// Parser + SQL + execution end to end on a real table, checked against the same query evaluated in C# over the rows
/// that were inserted. Written once, run on SQLite and PostgreSQL.
/// </summary>
public abstract class RowQueryServiceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : QueryTableFixture
{
    private static readonly RowQueryOptions Options = new();
    private static readonly Guid Department = Guid.Parse("0195f2c4-0000-7000-8000-000000000001");

    private async Task<(SampleTable Table, RowQueryService Service, ResolvedTable Resolved)> Setup()
    {
        var (_, table, service) = await fixture.GetAsync();
        return (table, service, table.Resolved("303026010201/1", Department));
    }

    private static RowQuery Parse(SampleTable t, string qs) => RowQueryParser.ParseRows(t.Layout, QueryString.Parse(qs), Options);

    private static string S(object? v) => v switch
    {
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture)!,
    };

    private static bool Cmp(object? value, object other, Func<int, bool> test) => value is not null && test(Compare(value, other));

    /// <summary>Runs <paramref name="qs"/> (all matching rows) and compares the credit codes and the total with C#.</summary>
    private async Task<int> Check(string qs, Func<object?[], bool> predicate, bool allowEmpty = false)
    {
        var (t, service, resolved) = await Setup();
        var page = await service.QueryAsync(resolved, Parse(t, qs + "&fields=credit_code&limit=10000"), raw: true, TestContext.Current.CancellationToken);
        var expected = t.Where(predicate).Select(i => (string)t.Rows[i][CreditCode]!).ToList();
        if (!allowEmpty) expected.Count.ShouldBeGreaterThan(0, $"case “{qs}” matches nothing in the sample: the test would prove nothing");
        expected.Count.ShouldBeLessThan(t.Rows.Count, $"case “{qs}” matches everything");
        page.Rows.Select(r => (string)r[0]!).ToList().ShouldBe(expected, $"query “{qs}”");
        page.Total.ShouldBe(expected.Count, $"total of “{qs}”");
        page.Next.ShouldBeNull();
        return expected.Count;
    }

    [Fact]
    public async Task Every_operator_on_text_matches_CSharp()
    {
        var (t, _, _) = await Setup();
        var code = (string)t.Rows[41][CreditCode]!;
        await Check($"credit_code={code}", r => (string)r[CreditCode]! == code);
        await Check("region.eq=370102", r => (string?)r[Region] == "370102");
        await Check("region.ne=370102", r => r[Region] is string s && s != "370102");
        await Check("region.gt=370200", r => Cmp(r[Region], "370200", c => c > 0));
        await Check("region.ge=370202", r => Cmp(r[Region], "370202", c => c >= 0));
        await Check("region.lt=370103", r => Cmp(r[Region], "370103", c => c < 0));
        await Check("region.le=370103", r => Cmp(r[Region], "370103", c => c <= 0));
        await Check("region.in=370102,371302", r => r[Region] is "370102" or "371302");
        await Check("region.in=370102&region.in=371302", r => r[Region] is "370102" or "371302");
        await Check("region.between=370100,370199", r => Cmp(r[Region], "370100", c => c >= 0) && Cmp(r[Region], "370199", c => c <= 0));
        await Check("region.isnull=true", r => r[Region] is null);
        await Check("region.isnull=false", r => r[Region] is not null);
        await Check("scope.contains=" + QueryString.E("售"), r => r[Scope] is string s && s.Contains('售'));
        await Check("scope.startswith=" + QueryString.E("批发"), r => r[Scope] is string s && s.StartsWith("批发", StringComparison.Ordinal));
        await Check("legal_person.gt=" + QueryString.E("李"), r => Cmp(r[LegalPerson], "李", c => c > 0));   // code-point order on both engines
        await Check("成立日期.isnull=false&legal_person.startswith=" + QueryString.E("欧阳"),
            r => r[EstDate] is not null && r[LegalPerson] is string s && s.StartsWith("欧阳", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_operator_on_numbers_matches_CSharp()
    {
        var (t, _, _) = await Setup();
        var capital = (decimal)t.Rows.First(r => r[Capital] is decimal m && m % 1 != 0)[Capital]!;
        var round = (decimal)t.Rows.First(r => r[Capital] is decimal m && m > 0 && m % 1000 == 0)[Capital]!;
        await Check($"capital={S(capital)}", r => r[Capital] is decimal m && m == capital);
        await Check($"capital.eq={S(round)}.00", r => r[Capital] is decimal m && m == round);   // 250000.00 = 250000 stored as INTEGER on SQLite
        await Check($"capital.ne={S(round)}", r => r[Capital] is decimal m && m != round);
        await Check("capital.gt=5000000", r => Cmp(r[Capital], 5000000m, c => c > 0));
        await Check("capital.ge=4999999.99", r => Cmp(r[Capital], 4999999.99m, c => c >= 0));
        await Check("capital.lt=1000.5", r => Cmp(r[Capital], 1000.5m, c => c < 0));
        await Check("capital.le=1e6", r => Cmp(r[Capital], 1000000m, c => c <= 0));
        await Check($"capital.in={S(capital)},{S(round)}", r => r[Capital] is decimal m && (m == capital || m == round));
        await Check("capital.between=1000000,2000000.5", r => Cmp(r[Capital], 1000000m, c => c >= 0) && Cmp(r[Capital], 2000000.5m, c => c <= 0));
        await Check("capital.isnull=true", r => r[Capital] is null);

        var ratio = (double)t.Rows.First(r => r[Ratio] is double)[Ratio]!;
        await Check($"ratio={S(ratio)}", r => r[Ratio] is double d && d == ratio);
        await Check($"ratio.ne={S(ratio)}", r => r[Ratio] is double d && d != ratio);
        await Check("ratio.gt=0", r => Cmp(r[Ratio], 0d, c => c > 0));
        await Check("ratio.ge=-0.5", r => Cmp(r[Ratio], -0.5d, c => c >= 0));
        await Check("ratio.lt=-50.25", r => Cmp(r[Ratio], -50.25d, c => c < 0));
        await Check("ratio.le=10", r => Cmp(r[Ratio], 10d, c => c <= 0));
        await Check("ratio.between=-10,10", r => Cmp(r[Ratio], -10d, c => c >= 0) && Cmp(r[Ratio], 10d, c => c <= 0));
        await Check($"ratio.in={S(ratio)},1.5", r => r[Ratio] is double d && (d == ratio || d == 1.5));
        await Check("ratio.isnull=false", r => r[Ratio] is not null);

        await Check("staff=42", r => r[Staff] is 42L, allowEmpty: true);
        await Check("staff.ne=42", r => r[Staff] is long l && l != 42);
        await Check("staff.gt=2500", r => Cmp(r[Staff], 2500L, c => c > 0));
        await Check("staff.ge=4999", r => Cmp(r[Staff], 4999L, c => c >= 0), allowEmpty: true);
        await Check("staff.lt=0", r => Cmp(r[Staff], 0L, c => c < 0));
        await Check("staff.le=-5", r => Cmp(r[Staff], -5L, c => c <= 0));
        await Check("staff.in=1,2,3,-1", r => r[Staff] is 1L or 2L or 3L or -1L);
        await Check("staff.between=100,200", r => Cmp(r[Staff], 100L, c => c >= 0) && Cmp(r[Staff], 200L, c => c <= 0));
        await Check("staff.isnull=true", r => r[Staff] is null);
    }

    [Fact]
    public async Task Every_operator_on_dates_timestamps_and_booleans_matches_CSharp()
    {
        var (t, _, _) = await Setup();
        var date = (DateOnly)t.Rows.First(r => r[EstDate] is DateOnly)[EstDate]!;
        var d2018 = new DateOnly(2018, 1, 1);
        var f = QueryString.E("成立日期");
        await Check($"{f}={S(date)}", r => r[EstDate] is DateOnly d && d == date);
        await Check($"{f}.ne={S(date)}", r => r[EstDate] is DateOnly d && d != date);
        await Check($"{f}.gt=2018-01-01", r => Cmp(r[EstDate], d2018, c => c > 0));
        await Check($"{f}.ge=2018-01-01", r => Cmp(r[EstDate], d2018, c => c >= 0));
        await Check($"{f}.lt=2018-01-01", r => Cmp(r[EstDate], d2018, c => c < 0));
        await Check($"{f}.le=2018-01-01", r => Cmp(r[EstDate], d2018, c => c <= 0));
        await Check($"{f}.in={S(date)},2020-02-29", r => r[EstDate] is DateOnly d && (d == date || d == new DateOnly(2020, 2, 29)));
        await Check($"{f}.between=2015-01-01,2015-12-31", r => r[EstDate] is DateOnly d && d.Year == 2015);
        await Check($"{f}.isnull=true", r => r[EstDate] is null);

        var ts = (DateTime)t.Rows.First(r => r[ApprovedAt] is DateTime)[ApprovedAt]!;
        var mid = new DateTime(2016, 6, 1, 12, 30, 0);
        await Check($"approved_at={QueryString.E(S(ts))}", r => r[ApprovedAt] is DateTime x && x == ts);
        await Check($"approved_at.eq={ts:yyyy-MM-dd'T'HH:mm:ss}", r => r[ApprovedAt] is DateTime x && x == ts);
        await Check($"approved_at.ne={ts:yyyy-MM-dd'T'HH:mm:ss}", r => r[ApprovedAt] is DateTime x && x != ts);
        await Check("approved_at.gt=2016-06-01T12:30:00", r => Cmp(r[ApprovedAt], mid, c => c > 0));
        await Check("approved_at.ge=2016-06-01%2012:30", r => Cmp(r[ApprovedAt], mid, c => c >= 0));
        await Check("approved_at.lt=2016-06-01", r => Cmp(r[ApprovedAt], new DateTime(2016, 6, 1), c => c < 0));
        await Check("approved_at.le=2016-06-01T12:30:00", r => Cmp(r[ApprovedAt], mid, c => c <= 0));
        await Check($"approved_at.in={ts:yyyy-MM-dd'T'HH:mm:ss},2016-06-01T12:30:00", r => r[ApprovedAt] is DateTime x && (x == ts || x == mid));
        await Check("approved_at.between=2012-01-01,2012-12-31T23:59:59", r => r[ApprovedAt] is DateTime x && x.Year == 2012);
        await Check("approved_at.isnull=false", r => r[ApprovedAt] is not null);

        await Check("active=true", r => r[Active] is true);
        await Check("active.eq=" + QueryString.E("否"), r => r[Active] is false);
        await Check("active.ne=true", r => r[Active] is false);
        await Check("active.in=1,0", r => r[Active] is not null);
        await Check("active.isnull=true", r => r[Active] is null);
        await Check("active=true&staff.gt=1000&region.in=370102,370103",
            r => r[Active] is true && Cmp(r[Staff], 1000L, c => c > 0) && r[Region] is "370102" or "370103");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-capital,成立日期")]
    [InlineData("active,-staff")]
    [InlineData("scope")]
    [InlineData("-scope,-ratio")]
    [InlineData("legal_person,-approved_at")]
    [InlineData("-active,region,-成立日期")]
    public async Task Sorting_puts_nulls_first_ascending_and_last_descending_and_keyset_paging_equals_offset_paging(string sort)
    {
        var (t, service, resolved) = await Setup();
        var ct = TestContext.Current.CancellationToken;
        (int, bool)[] keys = sort.Length == 0 ? [] : sort.Split(',').Select(k => (t.Column(k.TrimStart('-')).Ordinal - 1, k.StartsWith('-'))).ToArray();
        var expected = t.Ordered(Enumerable.Range(0, t.Rows.Count), keys).Select(i => (string)t.Rows[i][CreditCode]!).ToList();
        var sortParam = sort.Length == 0 ? "" : "&sort=" + QueryString.E(sort);

        var byOffset = new List<string>();
        for (var offset = 0; ; offset += 237)
        {
            var page = await service.QueryAsync(resolved, Parse(t, $"fields=credit_code&limit=237&offset={offset}{sortParam}"), true, ct);
            byOffset.AddRange(page.Rows.Select(r => (string)r[0]!));
            page.Total.ShouldBe(t.Rows.Count);
            if (page.Rows.Count < 237) break;
        }
        byOffset.ShouldBe(expected);

        var byKeyset = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var qs = $"fields=credit_code&limit=237&count=false{sortParam}" + (after is null ? "" : "&after=" + after);
            var page = await service.QueryAsync(resolved, Parse(t, qs), true, ct);
            page.Total.ShouldBeNull();
            byKeyset.AddRange(page.Rows.Select(r => (string)r[0]!));
            after = page.Next;
            pages++;
            pages.ShouldBeLessThan(100);
        } while (after is not null);
        byKeyset.ShouldBe(expected);
        pages.ShouldBe((t.Rows.Count + 236) / 237);
    }

    [Fact]
    public async Task Keyset_paging_with_filters_and_page_size_equal_to_the_remainder()
    {
        var (t, service, resolved) = await Setup();
        var ct = TestContext.Current.CancellationToken;
        var matching = t.Where(r => r[Capital] is not null && r[Scope] is string s && s != "Tech").ToList();   // ne never matches NULL
        var expected = t.Ordered(matching, (Ratio, true)).Select(i => (string)t.Rows[i][CreditCode]!).ToList();
        var size = expected.Count / 3 + (expected.Count % 3 == 0 ? 0 : 1);
        var all = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await service.QueryAsync(resolved, Parse(t, $"capital.isnull=false&scope.ne=Tech&sort=-ratio&fields=credit_code&limit={size}" + (after is null ? "" : "&after=" + after)), true, ct);
            page.Total.ShouldBe(expected.Count);   // the total is the whole result, not what is left
            all.AddRange(page.Rows.Select(r => (string)r[0]!));
            after = page.Next;
            pages++;
        } while (after is not null);
        all.ShouldBe(expected);
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task Selected_fields_come_back_typed_in_the_requested_order()
    {
        var (t, service, resolved) = await Setup();
        var page = await service.QueryAsync(resolved, Parse(t, "fields=active,成立日期,approved_at,capital,ratio,staff,credit_code&limit=3000"), true, TestContext.Current.CancellationToken);
        page.Columns.Select(c => c.FieldName).ShouldBe(["active", "成立日期", "approved_at", "capital", "ratio", "staff", "credit_code"]);
        for (var i = 0; i < t.Rows.Count; i++)
        {
            var row = page.Rows[i];
            var source = t.Rows[i];
            row[0].ShouldBe(source[Active]);
            row[1].ShouldBe(source[EstDate]);
            row[2].ShouldBe(source[ApprovedAt]);
            row[3].ShouldBe(source[Capital]);
            row[4].ShouldBe(source[Ratio]);
            row[5].ShouldBe(source[Staff]);
            row[6].ShouldBe(source[CreditCode]);
            if (row[3] is decimal m)
            {
                var text = m.ToString(CultureInfo.InvariantCulture);
                (!text.Contains('.') || !text.EndsWith('0')).ShouldBeTrue($"{text}: decimals are normalised (no trailing zeros) so both engines print the same number");
            }
        }
        page.Rows.Any(r => r[0] is bool).ShouldBeTrue();
        page.Rows.Any(r => r[1] is DateOnly).ShouldBeTrue();
        page.Rows.Any(r => r[2] is DateTime { Kind: DateTimeKind.Unspecified }).ShouldBeTrue();
    }

    [Fact]
    public async Task Injection_in_field_names_is_refused_and_the_table_survives()
    {
        var (t, service, resolved) = await Setup();
        var db = (await fixture.GetAsync()).Database;
        string[] badKeys =
        [
            "name;drop table x", "c001", "_row", "credit_code\"", "credit_code' OR '1'='1", "capital) OR (1=1", "c001.eq",
            "_row.gt", $"{t.Layout.TableName}.c001", "credit_code;DROP TABLE " + t.Layout.TableName, "*",
        ];
        foreach (var key in badKeys)
        {
            var ex = Should.Throw<QueryException>(() => Parse(t, QueryString.E(key) + "=1"), key);
            ex.Parameter.ShouldBe(key);
            ex.Message.ShouldContain("未知字段");
        }
        foreach (var sort in new[] { "c001", "_row", "credit_code;DROP TABLE x", "capital desc", "1", "(select 1)" })
            Should.Throw<QueryException>(() => Parse(t, "sort=" + QueryString.E(sort))).Parameter.ShouldBe("sort");
        foreach (var fields in new[] { "*", "c001", "credit_code,_row", "credit_code FROM x --" })
            Should.Throw<QueryException>(() => Parse(t, "fields=" + QueryString.E(fields))).Parameter.ShouldBe("fields");
        foreach (var agg in new[] { "sum:c003", "count:*", "sum:capital)--", "exec:capital" })
            Should.Throw<QueryException>(() => RowQueryParser.ParseAggregate(t.Layout, QueryString.Parse("agg=" + QueryString.E(agg)), Options)).Parameter.ShouldBe("agg");
        Should.Throw<QueryException>(() => RowQueryParser.ParseAggregate(t.Layout, QueryString.Parse("group=_row"), Options)).Parameter.ShouldBe("group");
        (await t.CountInDatabaseAsync(db.Settings)).ShouldBe(t.Rows.Count);
        (await service.QueryAsync(resolved, Parse(t, "limit=1"), true, TestContext.Current.CancellationToken)).Total.ShouldBe(t.Rows.Count);
    }

    [Fact]
    public async Task Injection_and_wildcards_in_values_are_plain_values()
    {
        var (t, _, _) = await Setup();
        var db = (await fixture.GetAsync()).Database;
        await Check("scope=" + QueryString.E("' OR 1=1 --"), r => (string?)r[Scope] == "' OR 1=1 --");
        await Check("credit_code=" + QueryString.E("' OR 1=1 --"), _ => false, allowEmpty: true);
        await Check("scope=" + QueryString.E("O'Reilly; DROP TABLE x; --"), r => (string?)r[Scope] == "O'Reilly; DROP TABLE x; --");
        await Check("region=" + QueryString.E($"'; DROP TABLE {t.Layout.TableName}; --"), _ => false, allowEmpty: true);
        await Check("scope.contains=" + QueryString.E("%"), r => r[Scope] is string s && s.Contains('%'));
        await Check("scope.contains=" + QueryString.E("_"), r => r[Scope] is string s && s.Contains('_'));
        await Check("scope.startswith=" + QueryString.E("a_"), r => r[Scope] is string s && s.StartsWith("a_", StringComparison.Ordinal));
        await Check("scope.contains=" + QueryString.E("\\"), r => r[Scope] is string s && s.Contains('\\'));
        await Check("scope.contains=" + QueryString.E("%纯"), r => r[Scope] is "100%纯棉");
        await Check("scope.startswith=" + QueryString.E("%"), _ => false, allowEmpty: true);
        await Check("scope.contains=tech", r => r[Scope] is "tech");            // case-sensitive on both engines
        await Check("scope.startswith=T", r => r[Scope] is "Tech");
        await Check("scope.contains=" + QueryString.E("A_B"), r => r[Scope] is "A_B");
        await Check("scope.in=" + QueryString.E("零售\\,批发,Tech"), r => r[Scope] is "零售,批发" or "Tech");
        await Check("scope.in=" + QueryString.E("' OR 1=1 --,%"), r => r[Scope] is "' OR 1=1 --");
        Should.Throw<QueryException>(() => Parse(t, "capital.gt=" + QueryString.E("1 OR 1=1"))).Parameter.ShouldBe("capital.gt");
        Should.Throw<QueryException>(() => Parse(t, "staff=" + QueryString.E("1; DROP TABLE x"))).Parameter.ShouldBe("staff");
        (await t.CountInDatabaseAsync(db.Settings)).ShouldBe(t.Rows.Count);
    }

    [Fact]
    public async Task Masked_columns_are_masked_unless_raw_and_cannot_be_probed()
    {
        var (t, service, resolved) = await Setup();
        var ct = TestContext.Current.CancellationToken;
        var query = Parse(t, "fields=credit_code,legal_person,phone,region&limit=3000");
        var masked = await service.QueryAsync(resolved, query, raw: false, ct);
        var raw = await service.QueryAsync(resolved, query, raw: true, ct);
        var checkedRows = 0;
        for (var i = 0; i < t.Rows.Count; i++)
        {
            raw.Rows[i][1].ShouldBe(t.Rows[i][LegalPerson]);
            raw.Rows[i][2].ShouldBe(t.Rows[i][Phone]);
            masked.Rows[i][0].ShouldBe(t.Rows[i][CreditCode]);   // no rule: unchanged
            masked.Rows[i][3].ShouldBe(t.Rows[i][Region]);
            if (t.Rows[i][LegalPerson] is string name)
            {
                masked.Rows[i][1].ShouldBe(name[..1] + new string('*', name.Length - 1));   // 张三 → 张*, 欧阳娜娜 → 欧***
                checkedRows++;
            }
            else masked.Rows[i][1].ShouldBeNull();
            if (t.Rows[i][Phone] is string phone) masked.Rows[i][2].ShouldBe(phone[..3] + "****" + phone[^4..]);
        }
        checkedRows.ShouldBeGreaterThan(100);

        foreach (var qs in new[] { "phone=13800000000", "legal_person.startswith=" + QueryString.E("张"), "sort=legal_person", "phone.isnull=false" })
        {
            var q = Parse(t, qs);
            var ex = await Should.ThrowAsync<QueryException>(() => service.QueryAsync(resolved, q, raw: false, ct));
            ex.Forbidden.ShouldBeTrue();
            ex.Message.ShouldContain("脱敏");
            (await service.QueryAsync(resolved, q, raw: true, ct)).Rows.ShouldNotBeNull();   // the entitled may
        }
        foreach (var qs in new[] { "group=legal_person", "agg=min:phone", "group=region&phone.startswith=138" })
        {
            var q = RowQueryParser.ParseAggregate(t.Layout, QueryString.Parse(qs), Options);
            (await Should.ThrowAsync<QueryException>(() => service.AggregateAsync(resolved, q, raw: false, ct))).Forbidden.ShouldBeTrue();
        }
        var counted = await service.AggregateAsync(resolved, RowQueryParser.ParseAggregate(t.Layout, QueryString.Parse("agg=count:phone"), Options), raw: false, ct);
        counted.Rows[0][0].ShouldBe((long)t.Rows.Count(r => r[Phone] is not null));
    }

    [Fact]
    public async Task Aggregates_by_group_match_CSharp()
    {
        var (t, service, resolved) = await Setup();
        var ct = TestContext.Current.CancellationToken;
        var q = RowQueryParser.ParseAggregate(t.Layout, QueryString.Parse(
            "group=region&agg=count,count:staff,sum:capital,sum:staff,sum:ratio,avg:ratio,avg:capital,min:" + QueryString.E("成立日期")
            + ",max:approved_at,min:scope,max:capital&sort=-count&active.isnull=false"), Options);
        var page = await service.AggregateAsync(resolved, q, raw: true, ct);
        page.Aggregates.Select(a => a.Alias).ShouldBe(["count", "count_staff", "sum_capital", "sum_staff", "sum_ratio", "avg_ratio", "avg_capital", "min_成立日期", "max_approved_at", "min_scope", "max_capital"]);
        var groups = t.Rows.Where(r => r[Active] is not null).GroupBy(r => (string?)r[Region])
            .Select(g => new
            {
                Region = g.Key,
                Count = (long)g.Count(),
                CountStaff = (long)g.Count(r => r[Staff] is not null),
                SumCapital = g.Select(r => r[Capital]).OfType<decimal>().Sum(),
                SumStaff = g.Select(r => r[Staff]).OfType<long>().Sum(),
                SumRatio = g.Select(r => r[Ratio]).OfType<double>().Sum(),
                AvgRatio = g.Select(r => r[Ratio]).OfType<double>().Average(),
                AvgCapital = (double)g.Select(r => r[Capital]).OfType<decimal>().Average(),
                MinDate = g.Select(r => r[EstDate]).OfType<DateOnly>().Min(),
                MaxTs = g.Select(r => r[ApprovedAt]).OfType<DateTime>().Max(),
                MinScope = g.Select(r => r[Scope]).OfType<string>().Order(StringComparer.Ordinal).First(),
                MaxCapital = g.Select(r => r[Capital]).OfType<decimal>().Max(),
            })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Region, Comparer<string?>.Create((a, b) => Compare(a, b)))
            .ToList();
        groups.Count.ShouldBe(6);   // five regions and the NULL group
        page.Total.ShouldBe(groups.Count);
        page.Rows.Count.ShouldBe(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var (row, e) = (page.Rows[i], groups[i]);
            row[0].ShouldBe(e.Region);
            row[1].ShouldBe(e.Count);
            row[2].ShouldBe(e.CountStaff);
            ((decimal)row[3]!).ShouldBe(e.SumCapital, 0.000001m);
            row[4].ShouldBe((decimal)e.SumStaff);
            ((double)row[5]!).ShouldBe(e.SumRatio, 1e-6);
            ((double)row[6]!).ShouldBe(e.AvgRatio, 1e-9);
            ((double)row[7]!).ShouldBe(e.AvgCapital, 1e-6);
            row[8].ShouldBe(e.MinDate);
            row[9].ShouldBe(e.MaxTs);
            row[10].ShouldBe(e.MinScope);
            row[11].ShouldBe(e.MaxCapital);
        }

        var top2 = await service.AggregateAsync(resolved, RowQueryParser.ParseAggregate(t.Layout,
            QueryString.Parse("group=region&agg=count&sort=-count&active.isnull=false&limit=2&offset=1"), Options), raw: true, ct);
        top2.Rows.Select(r => r[0]).ShouldBe(groups.Skip(1).Take(2).Select(g => (object?)g.Region));
        top2.Total.ShouldBe(groups.Count);
    }

    [Fact]
    public async Task Aggregates_over_two_groups_and_without_groups_match_CSharp()
    {
        var (t, service, resolved) = await Setup();
        var ct = TestContext.Current.CancellationToken;
        var page = await service.AggregateAsync(resolved, RowQueryParser.ParseAggregate(t.Layout,
            QueryString.Parse("group=region,active&agg=count,max:staff&sort=region,-active&limit=100"), Options), raw: true, ct);
        var expected = t.Rows.GroupBy(r => (Region: (string?)r[Region], Active: (bool?)r[Active]))
            .OrderBy(g => g.Key.Region, Comparer<string?>.Create((a, b) => Compare(a, b)))
            .ThenByDescending(g => g.Key.Active, Comparer<bool?>.Create((a, b) => Compare(a, b)))
            .ToList();
        page.Rows.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            page.Rows[i][0].ShouldBe(expected[i].Key.Region);
            page.Rows[i][1].ShouldBe(expected[i].Key.Active);
            page.Rows[i][2].ShouldBe((long)expected[i].Count());
            var staffs = expected[i].Select(r => r[Staff]).OfType<long>().ToList();
            page.Rows[i][3].ShouldBe(staffs.Count == 0 ? null : staffs.Max());
        }

        var totals = await service.AggregateAsync(resolved, RowQueryParser.ParseAggregate(t.Layout,
            QueryString.Parse("agg=count,sum:staff,avg:capital,min:ratio,max:ratio&capital.gt=5000000"), Options), raw: true, ct);
        var rows = t.Rows.Where(r => r[Capital] is decimal c && c > 5000000m).ToList();
        totals.Rows.Count.ShouldBe(1);
        totals.Total.ShouldBe(1);
        totals.Rows[0][0].ShouldBe((long)rows.Count);
        totals.Rows[0][1].ShouldBe((decimal)rows.Select(r => r[Staff]).OfType<long>().Sum());
        ((double)totals.Rows[0][2]!).ShouldBe((double)rows.Select(r => (decimal)r[Capital]!).Average(), 1e-6);
        totals.Rows[0][3].ShouldBe(rows.Select(r => r[Ratio]).OfType<double>().Min());
        totals.Rows[0][4].ShouldBe(rows.Select(r => r[Ratio]).OfType<double>().Max());

        var empty = await service.AggregateAsync(resolved, RowQueryParser.ParseAggregate(t.Layout,
            QueryString.Parse("agg=count,sum:capital&staff.gt=999999"), Options), raw: true, ct);
        empty.Rows[0][0].ShouldBe(0L);
        empty.Rows[0][1].ShouldBeNull();
    }

    [Fact]
    public async Task Streaming_returns_every_matching_row_without_a_limit()
    {
        var (t, service, resolved) = await Setup();
        var query = RowQueryParser.ParseRows(t.Layout, QueryString.Parse("scope.isnull=false&sort=-staff&fields=credit_code,phone"), Options, unlimited: true);
        query.Limit.ShouldBeNull();
        var streamed = new List<object?[]>();
        await foreach (var row in service.StreamAsync(resolved, query, raw: false, TestContext.Current.CancellationToken)) streamed.Add(row);
        var expected = t.Ordered(t.Where(r => r[Scope] is not null), (Staff, true)).ToList();
        streamed.Select(r => r[0]).ShouldBe(expected.Select(i => t.Rows[i][CreditCode]));
        streamed.Select(r => r[1]).ShouldBe(expected.Select(i => (object?)GovData.Data.Features.Masking.Masker.Apply(t.Column("phone"), t.Rows[i][Phone])));
    }

    [Fact]
    public async Task Limit_zero_returns_only_the_total()
    {
        var (t, service, resolved) = await Setup();
        var page = await service.QueryAsync(resolved, Parse(t, "limit=0&active=true"), true, TestContext.Current.CancellationToken);
        page.Rows.ShouldBeEmpty();
        page.Next.ShouldBeNull();
        page.Total.ShouldBe(t.Rows.Count(r => r[Active] is true));
    }

    [Fact]
    public async Task A_cursor_only_continues_its_own_order()
    {
        var (t, service, resolved) = await Setup();
        var first = await service.QueryAsync(resolved, Parse(t, "sort=-capital&limit=10"), true, TestContext.Current.CancellationToken);
        first.Next.ShouldNotBeNull();
        Should.Throw<QueryException>(() => Parse(t, "sort=capital&limit=10&after=" + first.Next)).Parameter.ShouldBe("after");
        Should.Throw<QueryException>(() => Parse(t, "limit=10&after=" + first.Next)).Parameter.ShouldBe("after");
        Should.Throw<QueryException>(() => Parse(t, "sort=-capital&offset=10&after=" + first.Next)).Parameter.ShouldBe("after");
        Should.Throw<QueryException>(() => Parse(t, "sort=-capital&after=not-a-cursor!")).Message.ShouldContain("after");
        var forged = CursorCodec.Encode("-capital", ["' OR 1=1 --"], 5);   // text where a number belongs
        Should.Throw<QueryException>(() => Parse(t, "sort=-capital&after=" + forged)).Parameter.ShouldBe("after");
        Parse(t, "sort=-capital&after=" + first.Next).After.ShouldNotBeNull();
    }
}

public sealed class SqliteRowQueryServiceTests(SqliteQueryTable fixture) : RowQueryServiceTests<SqliteQueryTable>(fixture);

public sealed class PostgresRowQueryServiceTests(PostgresQueryTable fixture) : RowQueryServiceTests<PostgresQueryTable>(fixture);
