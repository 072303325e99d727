using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Persistence;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Data.Features.Pages;

/// <summary>
/// A resource's 数据字典: the columns of its current version (the information items as they were when it was loaded, with
/// their generated physical columns and the checks applied while loading), or — before any load — the published items
/// the next load will use. Notes when the catalog has been revised since the current version was loaded.
/// </summary>
internal sealed class ResourceModel : ResourcePageModel
{
    public override string Tab => "dictionary";

    public IReadOnlyList<DataColumn> Columns { get; private set; } = [];

    /// <summary>The columns come from the current version (false: from the published items, nothing loaded yet).</summary>
    public bool FromVersion { get; private set; }

    /// <summary>The published revision is newer than the current version's (the next full load takes the new items).</summary>
    public bool CatalogRevised { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (Resource.Current is { } current)
        {
            Columns = ColumnsJson.Deserialize(current.ColumnsJson);
            FromVersion = true;
            CatalogRevised = Resource.Catalog.PublishedRevision != current.CatalogRevision;
        }
        else Columns = TableLayout.For(Resource.Row?.Id ?? Guid.Empty, 1, Resource.Catalog.Items).Columns;
        return Page();
    }

    /// <summary>The checks applied to a column's values while loading (types, lengths, code validators, value domains).</summary>
    public static string Checks(DataColumn column) => ColumnConverter.For(column, ConversionOptions.Default).Describe();
}
