using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;

namespace GovData.Exchange.Features.Sharing;

/// <summary>A published resource in the share catalog for departments (共享目录).</summary>
internal sealed record ShareCatalogEntryDto(
    Guid EntryId, string Code, string Name, Guid DepartmentId, string? DepartmentName, string? ProviderName, string? ShareType,
    string? ShareCondition, string? ShareChannel, string? ShareMethodType, string? UpdateCycle, string? FormatCategory, int ItemCount,
    bool Requestable, string? NotRequestableReason, DateTime? PublishedAt);

/// <summary>An information item a consumer can request (<see cref="FieldName"/> is what requests and grants name).</summary>
internal sealed record ShareCatalogItemDto(
    int Ordinal, string Name, string FieldName, string? FieldCode, string? DataType, bool IsKey, string Sensitivity, string? MaskingRule);

/// <summary>One resource of the share catalog with its items (none for 不予共享 resources).</summary>
internal sealed record ShareCatalogDetailDto(ShareCatalogEntryDto Entry, string? ShareBasis, IReadOnlyList<ShareCatalogItemDto> Items);

/// <summary>
/// The share catalog for departments: the published resources of every department. 不予共享 resources are listed (so a
/// department knows they exist and why they are not shared) but marked not requestable and show no items; a department's
/// own resources need no request.
/// </summary>
internal sealed class ShareCatalog(ICatalogResources catalog, IDepartmentDirectory departments)
{
    public async Task<SharingResult<PageDto<ShareCatalogEntryDto>>> ListAsync(SharingActor actor, Guid? departmentId, string? keyword, string? shareType,
        bool? requestable, int? page, int? pageSize, CancellationToken ct, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        var (p, size) = errors.Paging(page, pageSize);
        ShareType? type = null;
        if (!string.IsNullOrWhiteSpace(shareType))
        {
            if (CatalogTerms.TryParse<ShareType>(shareType, out var t)) type = t;
            else errors.Add("shareType", $"shareType 只能是 {string.Join("、", CatalogTerms.Labels<ShareType>())}，收到“{shareType}”");
        }
        var k = keyword?.Trim();
        if (k is { Length: > 100 }) errors.Add("keyword", "keyword 不能超过100个字");
        if (errors.Any) return SharingResult<PageDto<ShareCatalogEntryDto>>.Invalid(errors.Errors);

        var names = (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);
        var all = await catalog.ListPublishedAsync(departmentId, ct);
        var matches = all.Where(r => type is null || r.ShareType == type)
            .Where(r => string.IsNullOrEmpty(k) || Matches(r, k, names))
            .Select(r => ToEntry(r, actor, names))
            .Where(e => requestable is null || e.Requestable == requestable)
            .ToList();
        var items = matches.Skip((p - 1) * size).Take(size).ToList();
        return SharingResult<PageDto<ShareCatalogEntryDto>>.Success(new PageDto<ShareCatalogEntryDto>(items, matches.Count, p, size));
    }

    public async Task<SharingResult<ShareCatalogDetailDto>> GetAsync(SharingActor actor, string codeText, CancellationToken ct)
    {
        if (!ResourceCode.TryParse(Uri.UnescapeDataString(codeText), out var code, out var error))
            return SharingResult<ShareCatalogDetailDto>.Invalid("code", error);
        var r = await catalog.FindAsync(code, ct);
        if (r is null || r.Status != EntryStatus.Published) return SharingResult<ShareCatalogDetailDto>.Missing();
        var names = (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);
        var entry = ToEntry(r, actor, names);
        var items = r.ShareType == ShareType.NotShared ? [] : r.Items.Select(ToItem).ToList();
        return SharingResult<ShareCatalogDetailDto>.Success(new ShareCatalogDetailDto(entry, r.ShareType == ShareType.NotShared ? r.ShareBasis : null, items));
    }

    /// <summary>The API name of an item: its field code, or its name when it has none (as the Data module names columns).</summary>
    public static string FieldName(CatalogItem item) => string.IsNullOrWhiteSpace(item.FieldCode) ? item.Name.Trim() : item.FieldCode.Trim();

    /// <summary>Why <paramref name="actor"/>'s department cannot request <paramref name="r"/>, or null when it can.</summary>
    public static string? NotRequestable(CatalogResource r, SharingActor actor) => r switch
    {
        { ShareType: ShareType.NotShared } => "不予共享" + (string.IsNullOrWhiteSpace(r.ShareBasis) ? "" : $"（依据：{r.ShareBasis.Trim()}）"),
        { ShareType: null } => "未标明共享类型，暂不能申请",
        _ when actor.Department?.Id == r.DepartmentId => "本部门提供的资源，无需申请",
        _ => null,
    };

    private static ShareCatalogEntryDto ToEntry(CatalogResource r, SharingActor actor, IReadOnlyDictionary<Guid, string> names)
    {
        var reason = NotRequestable(r, actor);
        return new ShareCatalogEntryDto(r.EntryId, r.Code.ToString(), r.Name, r.DepartmentId, names.GetValueOrDefault(r.DepartmentId), r.ProviderName,
            CatalogTerms.Label(r.ShareType), r.ShareCondition, CatalogTerms.Label(r.ShareChannel), CatalogTerms.Label(r.ShareMethodType),
            CatalogTerms.Label(r.UpdateCycle), CatalogTerms.Label(r.FormatCategory), r.ShareType == ShareType.NotShared ? 0 : r.Items.Count,
            reason is null, reason, r.PublishedAt);
    }

    private static ShareCatalogItemDto ToItem(CatalogItem i) =>
        new(i.Ordinal, i.Name, FieldName(i), i.FieldCode, i.DataType?.ToString(), i.IsKey, CatalogTerms.Label(i.Sensitivity), CatalogTerms.Label(i.MaskingRule));

    private static bool Matches(CatalogResource r, string keyword, IReadOnlyDictionary<Guid, string> names) =>
        Has(r.Name, keyword) || Has(r.Code.ToString(), keyword) || Has(r.ProviderName, keyword) || Has(names.GetValueOrDefault(r.DepartmentId), keyword)
        || Has(r.ShareCondition, keyword)
        || (r.ShareType != ShareType.NotShared && r.Items.Any(i => Has(i.Name, keyword) || Has(i.FieldCode, keyword)));

    private static bool Has(string? text, string keyword) => text is not null && text.Contains(keyword, StringComparison.OrdinalIgnoreCase);
}
