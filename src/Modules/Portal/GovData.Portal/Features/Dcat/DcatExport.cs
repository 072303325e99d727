using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Shared;

namespace GovData.Portal.Features.Dcat;

/// <summary>
/// DCAT-AP 3.0.1 description of the open catalog. IRIs: catalog <c>{base}/catalog</c>; dataset
/// <c>{base}/portal/datasets/{name}#dataset</c> (landing page without the fragment); its distribution <c>…#distribution</c>;
/// department <c>{base}/portal/departments/{org}#agent</c> (contact point <c>…#contact</c>); the CKAN-compatible API as a
/// <c>dcat:DataService</c> <c>{base}/api/3/action#service</c>. Mapped to EU vocabularies: 更新周期 → frequency, 开放类型 →
/// access-right (无条件开放 PUBLIC, 有条件开放 RESTRICTED), 领域 → data-theme (<see cref="PortalNames.Domains"/>), file
/// types → file-type where one exists, language → ZHO, department level → ADMS publisher type. Every resource used as
/// an object is typed, as the DCAT-AP 3.0.1 SHACL range shapes require.
/// </summary>
internal sealed class DcatExport(IOpenCatalog catalog, IDepartmentDirectory departments, PortalSettings settings)
{
    public const int PageSize = 100;

    private const string Eu = "http://publications.europa.eu/resource/authority/";

    /// <summary>更新周期 → EU frequency (每旬 = three times a month).</summary>
    public static string? Frequency(UpdateCycle? cycle) => cycle switch
    {
        UpdateCycle.Realtime => "UPDATE_CONT",
        UpdateCycle.Daily => "DAILY",
        UpdateCycle.Weekly => "WEEKLY",
        UpdateCycle.TenDays => "MONTHLY_3",
        UpdateCycle.Monthly => "MONTHLY",
        UpdateCycle.Quarterly => "QUARTERLY",
        UpdateCycle.HalfYearly => "ANNUAL_2",
        UpdateCycle.Yearly => "ANNUAL",
        UpdateCycle.Irregular => "IRREG",
        UpdateCycle.Other => "OTHER",
        _ => null,
    };

    /// <summary>格式类型 → EU file type, for the types that have one.</summary>
    public static string? FileType(string? formatType) => formatType?.Trim().ToLowerInvariant() switch
    {
        "csv" => "CSV",
        "xls" => "XLS",
        "xlsx" => "XLSX",
        "xml" => "XML",
        "txt" => "TXT",
        "doc" => "DOC",
        "docx" => "DOCX",
        "html" => "HTML",
        "pdf" => "PDF",
        "ppt" => "PPT",
        "jpg" => "JPEG",
        "gif" => "GIF",
        "bmp" => "BMP",
        "png" => "PNG",
        "tif" => "TIFF",
        "mp4" => "MP4",
        _ => null,
    };

    /// <summary>English labels of the EU data themes used (skos:prefLabel is mandatory for a skos:Concept in DCAT-AP).</summary>
    private static readonly Dictionary<string, string> ThemeLabels = new(StringComparer.Ordinal)
    {
        ["AGRI"] = "Agriculture, fisheries, forestry and food",
        ["ECON"] = "Economy and finance",
        ["EDUC"] = "Education, culture and sport",
        ["ENVI"] = "Environment",
        ["HEAL"] = "Health",
        ["JUST"] = "Justice, legal system and public safety",
        ["REGI"] = "Regions and cities",
        ["SOCI"] = "Population and society",
        ["TECH"] = "Science and technology",
        ["TRAN"] = "Transport",
    };

    public sealed record CatalogPage(RdfGraph Graph, int Total, int Page, int PageCount);

    /// <summary>One page of the catalog (datasets in code order) with hydra paging links (as ckanext-dcat writes them).</summary>
    public async Task<CatalogPage> CatalogAsync(string baseUrl, string documentPath, int page, CancellationToken ct)
    {
        var list = await catalog.ListAsync((page - 1) * PageSize, PageSize, ct);
        var pageCount = Math.Max(1, (list.Total + PageSize - 1) / PageSize);
        var datasets = await catalog.GetAsync(list.Items.Select(i => i.EntryId).ToList(), ct);
        var directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        var g = new RdfGraph();
        var catalogIri = new Iri(baseUrl + "/catalog");
        g.Type(catalogIri, Ns.Dcat + "Catalog");
        g.Add(catalogIri, Ns.Dct + "title", settings.SiteTitle);
        g.Add(catalogIri, Ns.Dct + "description", "政务信息资源开放目录：各部门已发布的无条件开放和有条件开放数据资源（依据《政务信息资源目录编制指南（试行）》编制）。");
        var publisher = CatalogPublisher(g, baseUrl, directory.Values);
        g.Add(catalogIri, Ns.Dct + "publisher", publisher);
        var homepage = new Iri(baseUrl + PortalPaths.Home);
        g.Add(catalogIri, Ns.Foaf + "homepage", homepage);
        g.Type(homepage, Ns.Foaf + "Document");
        Language(g, catalogIri);
        var taxonomy = new Iri(Eu + "data-theme");
        g.Add(catalogIri, Ns.Dcat + "themeTaxonomy", taxonomy);
        g.Type(taxonomy, Ns.Skos + "ConceptScheme");
        g.Add(taxonomy, Ns.Dct + "title", "Data theme", "en");
        if (list.Items.Count > 0)
            g.Add(catalogIri, Ns.Dct + "modified", new Literal(PortalText.Iso(list.Items.Max(i => i.UpdatedAt)), Datatype: Ns.Xsd + "dateTime"));
        if (settings.LicenseUrl is { } license) License(g, catalogIri, license);

        var service = Service(g, baseUrl, publisher);
        var serviceContact = new Iri(baseUrl + PortalPaths.Developers + "#contact");
        g.Add(service, Ns.Dcat + "contactPoint", serviceContact);
        g.Type(serviceContact, Ns.Vcard + "Kind");
        g.Type(serviceContact, Ns.Vcard + "Organization");
        g.Add(serviceContact, Ns.Vcard + "fn", settings.SiteTitle);
        g.Add(serviceContact, Ns.Vcard + "hasURL", new Iri(baseUrl + PortalPaths.Developers));
        g.Add(catalogIri, Ns.Dcat + "service", service);
        foreach (var d in datasets)
        {
            var ds = Dataset(g, d, directory.GetValueOrDefault(d.DepartmentId), baseUrl);
            g.Add(catalogIri, Ns.Dcat + "dataset", ds);
            g.Add(service, Ns.Dcat + "servesDataset", ds);
        }

        var pageIri = new Iri(baseUrl + documentPath + "?page=" + page.ToString(CultureInfo.InvariantCulture));
        string PageUrl(int n) => baseUrl + documentPath + "?page=" + n.ToString(CultureInfo.InvariantCulture);
        g.Type(pageIri, Ns.Hydra + "PagedCollection");
        g.Add(pageIri, Ns.Hydra + "totalItems", new Literal(list.Total.ToString(CultureInfo.InvariantCulture), Datatype: Ns.Xsd + "integer"));
        g.Add(pageIri, Ns.Hydra + "itemsPerPage", new Literal(PageSize.ToString(CultureInfo.InvariantCulture), Datatype: Ns.Xsd + "integer"));
        g.Add(pageIri, Ns.Hydra + "firstPage", new Literal(PageUrl(1)));
        g.Add(pageIri, Ns.Hydra + "lastPage", new Literal(PageUrl(pageCount)));
        if (page > 1) g.Add(pageIri, Ns.Hydra + "previousPage", new Literal(PageUrl(Math.Min(page - 1, pageCount))));
        if (page < pageCount) g.Add(pageIri, Ns.Hydra + "nextPage", new Literal(PageUrl(page + 1)));
        return new CatalogPage(g, list.Total, page, pageCount);
    }

    /// <summary>One dataset with its distribution, publisher and contact point.</summary>
    public async Task<RdfGraph?> DatasetAsync(ResourceCode code, string baseUrl, CancellationToken ct)
    {
        if (await catalog.FindAsync(code, ct) is not { } d) return null;
        var g = new RdfGraph();
        Dataset(g, d, await departments.FindAsync(d.DepartmentId, ct), baseUrl);
        return g;
    }

    private Iri Dataset(RdfGraph g, OpenDataset d, DepartmentInfo? department, string baseUrl)
    {
        var page = baseUrl + PortalPaths.Dataset(d.Code);
        var ds = new Iri(page + "#dataset");
        g.Type(ds, Ns.Dcat + "Dataset");
        g.Add(ds, Ns.Dct + "identifier", d.Code.ToString(), null);
        g.Add(ds, Ns.Dct + "title", d.Name);
        g.Add(ds, Ns.Dct + "description", string.IsNullOrWhiteSpace(d.Abstract) ? d.Name : d.Abstract);
        foreach (var k in d.Keywords) g.Add(ds, Ns.Dcat + "keyword", k);
        foreach (var theme in d.Domains.Select(PortalNames.Domain).Select(x => x.EuThemeIri).Distinct())
        {
            var t = new Iri(theme);
            g.Add(ds, Ns.Dcat + "theme", t);
            g.Type(t, Ns.Skos + "Concept");
            g.Add(t, Ns.Skos + "inScheme", new Iri(Eu + "data-theme"));
            g.Add(t, Ns.Skos + "prefLabel", ThemeLabels[theme[(theme.LastIndexOf('/') + 1)..]], "en");
        }
        var landing = new Iri(page);
        g.Add(ds, Ns.Dcat + "landingPage", landing);
        g.Type(landing, Ns.Foaf + "Document");
        if (d.FirstPublishedAt is { } issued) g.Add(ds, Ns.Dct + "issued", new Literal(PortalText.Iso(issued), Datatype: Ns.Xsd + "dateTime"));
        g.Add(ds, Ns.Dct + "modified", new Literal(PortalText.Iso(d.UpdatedAt), Datatype: Ns.Xsd + "dateTime"));
        if (Frequency(d.UpdateCycle) is { } frequency)
        {
            var f = new Iri(Eu + "frequency/" + frequency);
            g.Add(ds, Ns.Dct + "accrualPeriodicity", f);
            g.Type(f, Ns.Dct + "Frequency");
        }
        var access = new Iri(Eu + "access-right/" + (d.OpenType == OpenType.Unconditional ? "PUBLIC" : "RESTRICTED"));
        g.Add(ds, Ns.Dct + "accessRights", access);
        g.Type(access, Ns.Dct + "RightsStatement");
        if (d.OpenType == OpenType.Conditional && !string.IsNullOrWhiteSpace(d.OpenCondition))
        {
            var conditions = new Iri(page + "#access-conditions");
            g.Add(ds, Ns.Dct + "rights", conditions);
            g.Type(conditions, Ns.Dct + "RightsStatement");
            g.Add(conditions, Ns.Rdfs + "label", "有条件开放：" + d.OpenCondition);
        }
        Language(g, ds);
        if (d.RevisionNumber > 0) g.Add(ds, Ns.Dcat + "version", d.RevisionNumber.ToString(CultureInfo.InvariantCulture), null);
        foreach (var related in d.RelatedCodes)
        {
            var r = new Iri(baseUrl + PortalPaths.Dataset(related) + "#dataset");
            g.Add(ds, Ns.Dct + "relation", r);
        }
        if (department is not null)
        {
            var agent = Agent(g, department, baseUrl);
            g.Add(ds, Ns.Dct + "publisher", agent);
            var contact = new Iri(baseUrl + PortalPaths.Department(department) + "#contact");
            g.Add(ds, Ns.Dcat + "contactPoint", contact);
            g.Type(contact, Ns.Vcard + "Kind");
            g.Type(contact, Ns.Vcard + "Organization");
            g.Add(contact, Ns.Vcard + "fn", department.Name);
            g.Add(contact, Ns.Vcard + "hasURL", new Iri(baseUrl + PortalPaths.Department(department)));
        }

        var dist = new Iri(page + "#distribution");
        g.Add(ds, Ns.Dcat + "distribution", dist);
        g.Type(dist, Ns.Dcat + "Distribution");
        g.Add(dist, Ns.Dcat + "accessURL", landing);
        g.Add(dist, Ns.Dct + "title", d.Name + "（" + (CatalogTerms.Label(d.FormatCategory) ?? "数据") + "）");
        g.Add(dist, Ns.Dct + "description", d.OpenType == OpenType.Unconditional
            ? "无条件开放，获取方式见数据集页面。"
            : "有条件开放，经提供部门审核同意后获取，见数据集页面。");
        g.Add(dist, Ns.Dct + "modified", new Literal(PortalText.Iso(d.UpdatedAt), Datatype: Ns.Xsd + "dateTime"));
        if (FileType(d.FormatType) is { } fileType)
        {
            var f = new Iri(Eu + "file-type/" + fileType);
            g.Add(dist, Ns.Dct + "format", f);
            g.Type(f, Ns.Dct + "MediaTypeOrExtent");
        }
        g.Add(dist, Ns.Dct + "accessRights", access);
        if (settings.LicenseUrl is { } license) License(g, dist, license);
        return ds;
    }

    private static Iri Agent(RdfGraph g, DepartmentInfo department, string baseUrl)
    {
        var agent = new Iri(baseUrl + PortalPaths.Department(department) + "#agent");
        g.Type(agent, Ns.Foaf + "Agent");
        g.Type(agent, Ns.Foaf + "Organization");
        g.Add(agent, Ns.Foaf + "name", department.Name);
        if (!string.IsNullOrWhiteSpace(department.CreditCode)) g.Add(agent, Ns.Dct + "identifier", department.CreditCode, null);
        // ADMS publisher type: provincial departments are regional authorities, city and county departments local ones.
        var type = new Iri("http://purl.org/adms/publishertype/" + (department.RegionCode.EndsWith("0000", StringComparison.Ordinal) ? "RegionalAuthority" : "LocalAuthority"));
        g.Add(agent, Ns.Dct + "type", type);
        g.Type(type, Ns.Skos + "Concept");
        g.Add(type, Ns.Skos + "prefLabel", type.Value.EndsWith("RegionalAuthority", StringComparison.Ordinal) ? "Regional authority" : "Local authority", "en");
        return agent;
    }

    /// <summary>The catalog's publisher: the competent department (主管部门) of the highest region, else the site itself.</summary>
    private Iri CatalogPublisher(RdfGraph g, string baseUrl, IEnumerable<DepartmentInfo> all)
    {
        var competent = all.Where(d => d.IsCompetent)
            .OrderByDescending(d => d.RegionCode.Reverse().TakeWhile(c => c == '0').Count()).ThenBy(d => d.RegionCode, StringComparer.Ordinal)
            .ThenBy(d => d.SortOrder).FirstOrDefault();
        if (competent is not null) return Agent(g, competent, baseUrl);
        var site = new Iri(baseUrl + PortalPaths.Home + "#publisher");
        g.Type(site, Ns.Foaf + "Agent");
        g.Add(site, Ns.Foaf + "name", settings.SiteTitle);
        return site;
    }

    private static Iri Service(RdfGraph g, string baseUrl, Iri publisher)
    {
        var service = new Iri(baseUrl + "/api/3/action#service");
        g.Type(service, Ns.Dcat + "DataService");
        g.Add(service, Ns.Dct + "title", "CKAN 兼容只读接口（开放目录）");
        g.Add(service, Ns.Dct + "description", "CKAN Action API 的只读动作：package_list、package_search、package_show、organization_list 等。");
        g.Add(service, Ns.Dcat + "endpointURL", new Iri(baseUrl + "/api/3/action/"));
        var documentation = new Iri(baseUrl + PortalPaths.Developers);
        g.Add(service, Ns.Dcat + "endpointDescription", documentation);
        g.Add(service, Ns.Foaf + "page", documentation);
        g.Type(documentation, Ns.Foaf + "Document");
        g.Add(service, Ns.Dct + "publisher", publisher);
        return service;
    }

    private static void Language(RdfGraph g, Iri subject)
    {
        var zho = new Iri(Eu + "language/ZHO");
        g.Add(subject, Ns.Dct + "language", zho);
        g.Type(zho, Ns.Dct + "LinguisticSystem");
    }

    private void License(RdfGraph g, Iri subject, string license)
    {
        var l = new Iri(license);
        g.Add(subject, Ns.Dct + "license", l);
        g.Type(l, Ns.Dct + "LicenseDocument");
        g.Add(l, Ns.Rdfs + "label", settings.LicenseTitle);
    }
}
