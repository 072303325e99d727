using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Persistence;

namespace GovData.Catalog.Features.Resources;

/// <summary>Copies content between the parsed form, the stored revision and the input form.</summary>
internal static class RevisionMapper
{
    /// <summary>Writes parsed content into a revision, replacing its information items.</summary>
    public static void Apply(ResourceRevision r, ResourceContent c, DateTime now)
    {
        r.Name = c.Name;
        r.Abstract = c.Abstract;
        r.ProviderName = c.ProviderName;
        r.ProviderCode = c.ProviderCode;
        r.FormatCategory = c.FormatCategory;
        r.FormatType = c.FormatType;
        r.FormatDescription = c.FormatDescription;
        r.ShareType = c.ShareType;
        r.ShareCondition = c.ShareCondition;
        r.ShareBasis = c.ShareBasis;
        r.ShareChannel = c.ShareChannel;
        r.ShareMethodType = c.ShareMethodType;
        r.OpenType = c.OpenType;
        r.OpenCondition = c.OpenCondition;
        r.UpdateCycle = c.UpdateCycle;
        r.UpdateCycleNote = c.UpdateCycleNote;
        r.RelatedCodes = ResourceRevision.JoinList(c.RelatedCodes);
        r.Keywords = ResourceRevision.JoinList(c.Keywords);
        r.MetadataMaintainer = c.MetadataMaintainer;
        r.MetadataUpdatedAt = now;
        r.OnlineLink = c.OnlineLink;
        r.SecurityClass = c.SecurityClass;
        r.Hierarchy = c.Hierarchy;
        r.Items.Clear();
        for (var i = 0; i < c.Items.Count; i++)
        {
            var it = c.Items[i];
            r.Items.Add(new InformationItem
            {
                Id = Guid.CreateVersion7(), RevisionId = r.Id, Ordinal = i + 1, Name = it.Name, FieldCode = it.FieldCode, DataType = it.DataType,
                Length = it.Length, Precision = it.Precision, IsRequired = it.Required, IsKey = it.IsKey, ValueDomain = it.ValueDomain,
                Sensitivity = it.Sensitivity, MaskingRule = it.MaskingRule, Description = it.Description,
            });
        }
    }

    /// <summary>The stored revision as input (Chinese terms), to re-validate it or to copy it into a new revision.</summary>
    public static ResourceInput ToInput(ResourceRevision r, string classificationCode) => new(
        ClassificationCode: classificationCode,
        Name: r.Name,
        Abstract: r.Abstract,
        ProviderName: r.ProviderName,
        ProviderCode: r.ProviderCode,
        FormatCategory: CatalogTerms.Label(r.FormatCategory),
        FormatType: r.FormatType,
        FormatDescription: r.FormatDescription,
        Items: r.Items.OrderBy(i => i.Ordinal).Select(ToInput).ToList(),
        ShareType: CatalogTerms.Label(r.ShareType),
        ShareCondition: r.ShareCondition,
        ShareBasis: r.ShareBasis,
        ShareChannel: CatalogTerms.Label(r.ShareChannel),
        ShareMethodType: CatalogTerms.Label(r.ShareMethodType),
        OpenType: CatalogTerms.Label(r.OpenType),
        OpenCondition: r.OpenCondition,
        UpdateCycle: CatalogTerms.Label(r.UpdateCycle),
        UpdateCycleNote: r.UpdateCycleNote,
        RelatedCodes: ResourceRevision.SplitList(r.RelatedCodes).ToList(),
        Keywords: ResourceRevision.SplitList(r.Keywords).ToList(),
        MetadataMaintainer: r.MetadataMaintainer,
        OnlineLink: r.OnlineLink,
        SecurityClass: CatalogTerms.Label(r.SecurityClass),
        Hierarchy: CatalogTerms.Label(r.Hierarchy));

    public static ItemInput ToInput(InformationItem i) => new(
        i.Name, i.FieldCode, i.DataType is { } t ? CatalogTerms.Label(t) : null, i.Length, i.Precision, i.IsRequired, i.IsKey,
        i.ValueDomain, CatalogTerms.Label(i.Sensitivity), CatalogTerms.Label(i.MaskingRule), i.Description);
}
