using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Ckan;
using GovData.Portal.Features.Dcat;
using GovData.Portal.Features.Shared;

namespace GovData.Portal.Tests;

public sealed class PortalNamesTests
{
    [Theory]
    [InlineData("303026010201/1", "303026010201-1")]
    [InlineData("102003/17", "102003-17")]
    [InlineData("2010010203/999999999", "2010010203-999999999")]
    public void Package_names_are_the_code_with_a_dash_and_map_back(string code, string name)
    {
        var parsed = ResourceCode.Parse(code);
        PortalNames.Package(parsed).ShouldBe(name);
        PortalNames.Package(parsed).ShouldMatch("^[a-z0-9_-]{2,100}$");
        PortalNames.TryParsePackage(name, out var back).ShouldBeTrue();
        back.ShouldBe(parsed);
    }

    [Theory]
    [InlineData("102003/1")]
    [InlineData("102003_1")]
    [InlineData("102003-0")]
    [InlineData("402003-1")]
    [InlineData("10200-1")]
    [InlineData("102003-1-2")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_package_name(string? name) => PortalNames.TryParsePackage(name, out _).ShouldBeFalse();

    [Fact]
    public void Organizations_are_named_by_their_credit_code_in_lower_case()
    {
        var d = new DepartmentInfo(Guid.NewGuid(), "山东省市场监督管理局", "11370000MB28449637", DepartmentKind.Government, null, "370000", false, [], 1);
        PortalNames.Organization(d).ShouldBe("11370000mb28449637");
        PortalNames.FindOrganization([d], "11370000mb28449637").ShouldBe(d);
        PortalNames.FindOrganization([d], d.Id.ToString()).ShouldBe(d);
        PortalNames.FindOrganization([d], "11370000MB28449637").ShouldBeNull();
        var noCode = d with { CreditCode = "" };
        PortalNames.Organization(noCode).ShouldBe("dept-" + d.Id.ToString("N"));
    }

    [Fact]
    public void Every_catalog_domain_has_a_group_slug_and_an_eu_theme()
    {
        foreach (var name in CatalogDomains.Names)
        {
            var domain = PortalNames.Domain(name);
            domain.Slug.ShouldMatch("^[a-z0-9-]+$");
            domain.EuThemeIri.ShouldStartWith("http://publications.europa.eu/resource/authority/data-theme/");
            PortalNames.FindDomain(domain.Slug).ShouldBe(domain);
        }
        PortalNames.Domains.Select(d => d.Slug).Distinct().Count().ShouldBe(CatalogDomains.Names.Count);
    }

    [Fact]
    public void Resource_ids_map_back_to_their_entry()
    {
        var entry = Guid.NewGuid();
        var resource = CkanActions.ResourceId(entry);
        resource.ShouldNotBe(entry);
        CkanActions.EntryOfResource(resource).ShouldBe(entry);
    }
}

public sealed class DcatMappingTests
{
    [Fact]
    public void Every_update_cycle_maps_to_an_eu_frequency()
    {
        var eu = new[] { "UPDATE_CONT", "DAILY", "WEEKLY", "MONTHLY_3", "MONTHLY", "QUARTERLY", "ANNUAL_2", "ANNUAL", "IRREG", "OTHER" };
        Enum.GetValues<UpdateCycle>().Select(c => DcatExport.Frequency(c)).ShouldBe(eu);
        DcatExport.Frequency(null).ShouldBeNull();
    }

    [Fact]
    public void File_types_map_only_where_the_eu_vocabulary_has_them()
    {
        DcatExport.FileType("csv").ShouldBe("CSV");
        DcatExport.FileType(" XLSX ").ShouldBe("XLSX");
        DcatExport.FileType("tif").ShouldBe("TIFF");
        DcatExport.FileType("oracle").ShouldBeNull();
        DcatExport.FileType(null).ShouldBeNull();
    }

    [Fact]
    public void Turtle_escapes_literals_and_iris_and_json_ld_keeps_values_verbatim()
    {
        var g = new RdfGraph();
        var s = new Iri("http://example.org/a b<c>");
        g.Type(s, Ns.Dcat + "Dataset");
        g.Add(s, Ns.Dct + "title", "引号\"反斜杠\\换行\n制表\t<script>");
        var ttl = g.ToTurtle();
        ttl.ShouldContain("<http://example.org/a%20b%3Cc%3E> a dcat:Dataset");
        ttl.ShouldContain("dct:title \"引号\\\"反斜杠\\\\换行\\n制表\\t<script>\"@zh");
        var json = g.ToJsonLd();
        json["@graph"]![0]!["@id"]!.GetValue<string>().ShouldBe("http://example.org/a b<c>");
        json["@graph"]![0]![Ns.Dct + "title"]![0]!["@value"]!.GetValue<string>().ShouldBe("引号\"反斜杠\\换行\n制表\t<script>");
    }
}

public sealed class DatasetChartTests
{
    private static GovData.Data.Contracts.DataFieldDescription Field(string name, string type, bool masked = false, bool key = false) =>
        new(name, name + "名", type, masked, key);

    [Fact]
    public void A_preview_with_a_label_and_an_unmasked_number_gets_a_bar_chart()
    {
        var page = new GovData.Data.Contracts.GovernedRowPage("102003/1", 1, null,
            [Field("id", "text", masked: true, key: true), Field("region", "text"), Field("staff", "integer")],
            [["3701**", "历下区", 12L], ["3702**", "市南区", 30L], ["3703**", "张店区", null]], 3, 20, 0, null);
        var (title, json) = GovData.Portal.Features.Datasets.DatasetModel.Chart(page);
        title.ShouldBe("前 3 行的“staff名”（按“region名”）");
        var data = System.Text.Json.Nodes.JsonNode.Parse(json!)!["preview"]!;
        data["categories"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["历下区", "市南区"]);
        data["series"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ShouldBe([12d, 30d]);
        json!.ShouldNotContain("<");
    }

    [Fact]
    public void A_preview_without_a_visible_number_or_label_gets_no_chart()
    {
        var masked = new GovData.Data.Contracts.GovernedRowPage("102003/1", 1, null,
            [Field("name", "text"), Field("income", "decimal", masked: true)], [["a", "1**"], ["b", "2**"]], 2, 20, 0, null);
        DatasetModel_Chart(masked).ShouldBe((null, null));
        var keyOnly = new GovData.Data.Contracts.GovernedRowPage("102003/1", 1, null,
            [Field("name", "text"), Field("no", "integer", key: true)], [["a", 1L], ["b", 2L]], 2, 20, 0, null);
        DatasetModel_Chart(keyOnly).ShouldBe((null, null));
        var oneRow = new GovData.Data.Contracts.GovernedRowPage("102003/1", 1, null,
            [Field("name", "text"), Field("n", "double")], [["a", 1.5]], 1, 20, 0, null);
        DatasetModel_Chart(oneRow).ShouldBe((null, null));
    }

    private static (string?, string?) DatasetModel_Chart(GovData.Data.Contracts.GovernedRowPage page) => GovData.Portal.Features.Datasets.DatasetModel.Chart(page);
}
