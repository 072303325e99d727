using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;

namespace GovData.Catalog.Features.Shared;

/// <summary>
/// A revision as the service returned it, back in input form, so pages can compare two revisions with
/// <see cref="RevisionDiff"/> exactly as the history does (same terms, same item descriptions).
/// </summary>
internal static class RevisionInputs
{
    public static ResourceInput From(RevisionDto r, string classificationCode) => new(
        ClassificationCode: classificationCode,
        Name: r.Name, Abstract: r.Abstract, ProviderName: r.ProviderName, ProviderCode: r.ProviderCode,
        FormatCategory: r.FormatCategory, FormatType: r.FormatType, FormatDescription: r.FormatDescription,
        Items: r.Items.Select(i => new ItemInput(i.Name, i.FieldCode, i.DataType, i.Length, i.Precision, i.Required, i.IsKey,
            i.ValueDomain, i.Sensitivity, i.MaskingRule, i.Description)).ToList(),
        ShareType: r.ShareType, ShareCondition: r.ShareCondition, ShareBasis: r.ShareBasis, ShareChannel: r.ShareChannel,
        ShareMethodType: r.ShareMethodType, OpenType: r.OpenType, OpenCondition: r.OpenCondition,
        UpdateCycle: r.UpdateCycle, UpdateCycleNote: r.UpdateCycleNote,
        RelatedCodes: r.RelatedCodes.ToList(), Keywords: r.Keywords.ToList(),
        MetadataMaintainer: r.MetadataMaintainer, OnlineLink: r.OnlineLink, SecurityClass: r.SecurityClass, Hierarchy: r.Hierarchy);
}
