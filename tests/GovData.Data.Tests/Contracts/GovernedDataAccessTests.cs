using System.Globalization;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Data.Features.Governed;
using GovData.Data.Features.Masking;
using GovData.Data.Features.Query;
using GovData.Data.Tests.Query;
using Microsoft.Extensions.Options;
using static GovData.Data.Tests.Query.SampleTable;

namespace GovData.Data.Tests.Contracts;

/// <summary>
/// <see cref="IGovernedDataAccess"/> on a real table (the query tests' <see cref="SampleTable"/>, 3,000 rows) on both
/// engines: the policy's fields are the only fields (returned, filtered, sorted, verified), its row conditions always
/// apply, masking follows the policy, 核验 answers one of three outcomes and never echoes values.
/// </summary>
public abstract class GovernedDataAccessTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : QueryTableFixture
{
    private const string CodeText = "303026010201/1";
    private static readonly ResourceCode Code = ResourceCode.Parse(CodeText);
    private static readonly Guid Department = Guid.Parse("0195f2c4-0000-7000-8000-000000000002");

    private static readonly string[] Granted = ["credit_code", "legal_person", "capital", "region"];

    private async Task<(SampleTable Table, IGovernedDataAccess Access)> Setup()
    {
        var (database, table, service) = await fixture.GetAsync();
        var resolver = new TestTableResolver();
        resolver.Register(table.Resolved(CodeText, Department));
        return (table, new GovernedDataAccess(resolver, service, database.Settings, Options.Create(new RowQueryOptions())));
    }

    private static AccessPolicy Policy(bool raw = false, params RowCondition[] rows) => new(Granted, rows, raw);

    private static List<KeyValuePair<string, string?>> Q(string qs) => QueryString.Parse(qs);

    private static async Task<DataAccessException> Refused(Func<Task> call) => await Should.ThrowAsync<DataAccessException>(call);

    [Fact]
    public async Task Only_the_policy_fields_are_returned_in_column_order()
    {
        var (t, access) = await Setup();
        var page = await access.QueryAsync(Code, new AccessPolicy(["region", "CREDIT_CODE", "注册资本", "no_such_field"], [], true), Q("limit=5"));
        page.Fields.Select(f => f.Name).ShouldBe(["credit_code", "capital", "region"]);
        page.Rows.Count.ShouldBe(5);
        page.Rows.ShouldAllBe(r => r.Count == 3);
        page.Rows[0][0].ShouldBe(t.Rows[0][CreditCode]);
        page.Total.ShouldBe(t.Rows.Count);
        page.Fields.Single(f => f.Name == "credit_code").IsKey.ShouldBeTrue();

        var description = await access.DescribeAsync(Code, Policy());
        description.ShouldNotBeNull();
        description.Fields.Select(f => f.Name).ShouldBe(Granted);
        description.RowCount.ShouldBe(t.Rows.Count);
        description.Version.ShouldBe(1);
        description.Fields.Single(f => f.Name == "legal_person").ShouldBe(new DataFieldDescription("legal_person", "法定代表人", "text", true, false));
        description.Fields.Single(f => f.Name == "capital").ShouldBe(new DataFieldDescription("capital", "注册资本", "decimal", false, false));
        (await access.DescribeAsync(ResourceCode.Parse("303026010201/2"), Policy())).ShouldBeNull();
    }

    [Theory]
    [InlineData("phone=13800000000", "phone")]
    [InlineData("phone.isnull=true", "phone.isnull")]
    [InlineData("联系电话.startswith=13", "联系电话.startswith")]
    [InlineData("staff.gt=5", "staff.gt")]
    [InlineData("fields=credit_code,phone", "fields")]
    [InlineData("sort=-staff", "sort")]
    [InlineData("sort=scope", "sort")]
    public async Task A_field_outside_the_policy_cannot_be_selected_filtered_or_sorted(string qs, string parameter)
    {
        var (_, access) = await Setup();
        var ex = await Refused(() => access.QueryAsync(Code, Policy(raw: true), Q(qs)));
        ex.Kind.ShouldBe(DataAccessErrorKind.InvalidRequest);
        ex.Parameter.ShouldBe(parameter);
        // The message lists what may be used, never the other fields of the resource.
        ex.Message.ShouldContain("credit_code");
        foreach (var hidden in new[] { "approved_at", "ratio", "active", "经营范围" }) ex.Message.ShouldNotContain(hidden);

        var export = await Refused(() => access.PrepareExportAsync(Code, Policy(raw: true), new DataExportRequest(DataExportFormat.Csv), Q(qs)));
        export.Parameter.ShouldBe(parameter);
    }

    [Fact]
    public async Task Row_conditions_always_apply_and_cannot_be_widened()
    {
        var (t, access) = await Setup();
        // A prefix on a field the policy does not return, plus an in-list.
        var policy = new AccessPolicy(["credit_code", "capital"],
            [new RowCondition("region", RowConditionOperator.Prefix, ["3701"]), new RowCondition("是否存续", RowConditionOperator.Equals, ["true"])], true);
        var expected = t.Where(r => r[Region] is string s && s.StartsWith("3701", StringComparison.Ordinal) && r[Active] is true)
            .Select(i => t.Rows[i][CreditCode]).ToList();
        expected.Count.ShouldBeGreaterThan(10);
        expected.Count.ShouldBeLessThan(t.Rows.Count / 3);

        var page = await access.QueryAsync(Code, policy, Q("limit=10000"));
        page.Rows.Select(r => r[0]).ToList().ShouldBe(expected);
        page.Total.ShouldBe(expected.Count);
        page.Fields.Select(f => f.Name).ShouldBe(["credit_code", "capital"]);

        // The caller's own filters are ANDed: a value outside the scope gives nothing, never more.
        var outside = (string)t.Rows[t.Where(r => (string?)r[Region] == "370202").First()][CreditCode]!;
        var none = await access.QueryAsync(Code, policy, Q("credit_code=" + outside));
        none.Rows.ShouldBeEmpty();
        none.Total.ShouldBe(0);

        // Keyset paging keeps the scope on every page.
        var seen = new List<object?>();
        string? after = null;
        do
        {
            var p = await access.QueryAsync(Code, policy, Q("limit=7&sort=-capital&count=false" + (after is null ? "" : "&after=" + after)));
            seen.AddRange(p.Rows.Select(r => r[0]));
            after = p.Next;
        } while (after is not null);
        seen.Order().ShouldBe(expected.Order());

        var inPolicy = new AccessPolicy(Granted, [new RowCondition("region", RowConditionOperator.In, ["370103", "371302"])], true);
        var inPage = await access.QueryAsync(Code, inPolicy, Q("limit=10000&fields=region"));
        inPage.Rows.Select(r => (string)r[0]!).Distinct().Order().ShouldBe(["370103", "371302"]);
        inPage.Total.ShouldBe(t.Where(r => (string?)r[Region] is "370103" or "371302").Count());

        // Export applies the same scope.
        var export = await access.PrepareExportAsync(Code, policy, new DataExportRequest(DataExportFormat.Csv, FieldCodeHeader: true), []);
        using var buffer = new MemoryStream();
        (await export.WriteToAsync(buffer)).ShouldBe(expected.Count);
        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("credit_code,capital");
        lines.Skip(1).Select(l => l.Split(',')[0]).ShouldBe(expected.Select(e => (string)e!));
    }

    [Fact]
    public async Task A_policy_the_version_cannot_honour_refuses_access()
    {
        var (_, access) = await Setup();
        var missingField = await Refused(() => access.QueryAsync(Code, Policy(true, new RowCondition("district", RowConditionOperator.Equals, ["1"])), []));
        missingField.Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        missingField.Message.ShouldContain("district");
        (await Refused(() => access.QueryAsync(Code, new AccessPolicy(["gone", "also_gone"], [], true), []))).Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        (await Refused(() => access.QueryAsync(Code, Policy(true, new RowCondition("staff", RowConditionOperator.Prefix, ["1"])), []))).Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        (await Refused(() => access.QueryAsync(Code, Policy(true, new RowCondition("staff", RowConditionOperator.Equals, ["many"])), []))).Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        (await Refused(() => access.QueryAsync(Code, Policy(true, new RowCondition("region", RowConditionOperator.In, [])), []))).Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        (await Refused(() => access.QueryAsync(Code, Policy(), Q("raw=true")))).Parameter.ShouldBe("raw");
        (await Refused(() => access.QueryAsync(Code, Policy(), Q("version=1")))).Parameter.ShouldBe("version");
        (await Refused(() => access.QueryAsync(ResourceCode.Parse("303026010201/9"), Policy(), []))).Kind.ShouldBe(DataAccessErrorKind.NotFound);
    }

    [Fact]
    public async Task Values_are_masked_unless_the_policy_allows_raw()
    {
        var (t, access) = await Setup();
        var column = t.Column("legal_person");
        var masked = await access.QueryAsync(Code, Policy(), Q("limit=50&fields=credit_code,legal_person"));
        masked.Fields[1].Masked.ShouldBeTrue();
        masked.Rows.Select(r => r[1]).ShouldBe(t.Rows.Take(50).Select(r => Masker.Apply(column, r[LegalPerson])));
        masked.Rows.Count(r => r[1] is string s && s.Contains('*')).ShouldBeGreaterThan(40);

        var raw = await access.QueryAsync(Code, Policy(raw: true), Q("limit=50&fields=credit_code,legal_person"));
        raw.Fields[1].Masked.ShouldBeFalse();
        raw.Rows.Select(r => r[1]).ShouldBe(t.Rows.Take(50).Select(r => r[LegalPerson]));

        // Filtering or sorting on a masked field would reveal it.
        var filter = await Refused(() => access.QueryAsync(Code, Policy(), Q("legal_person.startswith=张")));
        filter.Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        (await Refused(() => access.QueryAsync(Code, Policy(), Q("sort=legal_person")))).Kind.ShouldBe(DataAccessErrorKind.Forbidden);
        (await access.QueryAsync(Code, Policy(raw: true), Q("legal_person.startswith=张&limit=0"))).Total
            .ShouldBe(t.Where(r => r[LegalPerson] is string s && s.StartsWith('张')).Count());

        var export = await access.PrepareExportAsync(Code, Policy(), new DataExportRequest(DataExportFormat.Ndjson), Q("fields=legal_person&limit=3"));
        export.Fields.Single().Masked.ShouldBeTrue();
        using var buffer = new MemoryStream();
        await export.WriteToAsync(buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        foreach (var row in t.Rows.Take(3).Where(r => r[LegalPerson] is not null))
        {
            text.ShouldContain((string)Masker.Apply(column, row[LegalPerson])!);
            text.ShouldNotContain("\"" + (string)row[LegalPerson]! + "\"");
        }
    }

    [Fact]
    public async Task Verification_answers_match_mismatch_or_not_found_only()
    {
        var (t, access) = await Setup();
        var i = t.Where(r => r[LegalPerson] is string && r[Capital] is decimal && (string?)r[Region] == "370102").First();
        var row = t.Rows[i];
        var code = (string)row[CreditCode]!;
        var name = (string)row[LegalPerson]!;
        var capital = ((decimal)row[Capital]!).ToString(CultureInfo.InvariantCulture);

        VerificationQuery V(string key, params (string Field, string Value)[] claims) =>
            new(new Dictionary<string, string?> { ["credit_code"] = key }, claims.ToDictionary(c => c.Field, c => (string?)c.Value));

        // Masked for this policy, yet compared with the stored value: nothing is returned.
        (await access.VerifyAsync(Code, Policy(), V(code, ("legal_person", name)))).ShouldBe(VerificationOutcome.Match);
        (await access.VerifyAsync(Code, Policy(), V(" " + code + " ", ("法定代表人", " " + name), ("capital", capital)))).ShouldBe(VerificationOutcome.Match);
        (await access.VerifyAsync(Code, Policy(), V(code, ("legal_person", name + "某")))).ShouldBe(VerificationOutcome.Mismatch);
        (await access.VerifyAsync(Code, Policy(), V(code, ("legal_person", name), ("capital", "0.01")))).ShouldBe(VerificationOutcome.Mismatch);
        (await access.VerifyAsync(Code, Policy(), V("913700009999999999", ("legal_person", name)))).ShouldBe(VerificationOutcome.NotFound);
        (await access.VerifyAsync(Code, Policy(), V(code))).ShouldBe(VerificationOutcome.Match);

        // A row outside the row conditions does not exist for this policy.
        var scoped = Policy(false, new RowCondition("region", RowConditionOperator.Equals, ["370202"]));
        (await access.VerifyAsync(Code, scoped, V(code, ("legal_person", name)))).ShouldBe(VerificationOutcome.NotFound);

        var nullName = t.Rows[t.Where(r => r[LegalPerson] is null).First()];
        (await access.VerifyAsync(Code, Policy(), V((string)nullName[CreditCode]!, ("legal_person", "张三")))).ShouldBe(VerificationOutcome.Mismatch);

        var batch = await access.VerifyManyAsync(Code, Policy(),
            [V(code, ("legal_person", name)), V("913700009999999999"), V(code, ("legal_person", "王五六"))]);
        batch.ShouldBe([VerificationOutcome.Match, VerificationOutcome.NotFound, VerificationOutcome.Mismatch]);
    }

    [Fact]
    public async Task Verification_errors_name_fields_never_values()
    {
        var (t, access) = await Setup();
        var code = (string)t.Rows[3][CreditCode]!;
        const string secret = "机密值987654";
        async Task<DataAccessException> Bad(AccessPolicy policy, Dictionary<string, string?> keys, Dictionary<string, string?> claims)
        {
            var ex = await Refused(() => access.VerifyAsync(Code, policy, new VerificationQuery(keys, claims)));
            ex.Message.ShouldNotContain(secret);
            ex.Message.ShouldNotContain(code);
            return ex;
        }

        var outside = await Bad(Policy(), new() { ["credit_code"] = code }, new() { ["phone"] = secret });
        outside.Parameter.ShouldBe("claims.phone");
        outside.Kind.ShouldBe(DataAccessErrorKind.InvalidRequest);
        (await Bad(Policy(), new() { ["credit_code"] = code }, new() { ["capital"] = secret })).Parameter.ShouldBe("claims.capital");
        (await Bad(Policy(), new() { ["legal_person"] = secret }, new())).Parameter.ShouldBe("keys.legal_person");
        (await Bad(Policy(), new(), new() { ["legal_person"] = secret })).Parameter.ShouldBe("keys.credit_code");
        (await Bad(Policy(), new() { ["credit_code"] = code }, new() { ["legal_person"] = "  " })).Parameter.ShouldBe("claims.legal_person");
        (await Bad(Policy(), new() { ["credit_code"] = code }, new() { ["credit_code"] = code })).Parameter.ShouldBe("claims.credit_code");
        var noKey = await Bad(new AccessPolicy(["legal_person"], [], false), new() { ["credit_code"] = code }, new() { ["legal_person"] = secret });
        noKey.Kind.ShouldBe(DataAccessErrorKind.Forbidden);

        var batch = await Refused(() => access.VerifyManyAsync(Code, Policy(),
        [
            new VerificationQuery(new Dictionary<string, string?> { ["credit_code"] = code }, new Dictionary<string, string?>()),
            new VerificationQuery(new Dictionary<string, string?> { ["credit_code"] = code }, new Dictionary<string, string?> { ["capital"] = secret }),
        ]));
        batch.Parameter.ShouldBe("items[1].claims.capital");
        batch.Message.ShouldNotContain(secret);
    }
}

public sealed class SqliteGovernedDataAccessTests(SqliteQueryTable fixture) : GovernedDataAccessTests<SqliteQueryTable>(fixture);

public sealed class PostgresGovernedDataAccessTests(PostgresQueryTable fixture) : GovernedDataAccessTests<PostgresQueryTable>(fixture);
