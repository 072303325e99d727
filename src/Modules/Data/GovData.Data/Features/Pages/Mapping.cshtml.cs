using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;
using GovData.Data.Persistence;
using Microsoft.AspNetCore.Mvc;

using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Pages;

/// <summary>
/// One column of the uploaded file on the mapping step. Addressable: the header can name the column in a mapping (not
/// blank, not a repeat of an earlier header).
/// </summary>
internal sealed record SourceColumnView(int Index, string Header, bool Addressable, IReadOnlyList<string?> Samples, string? Selected, string? Match);

/// <summary>
/// 上传数据 (step 2 of 2): what was detected in the uploaded file (format, encoding, delimiter), its header with sample
/// values, and per source column a select of the target information item — pre-filled by
/// <see cref="HeaderMapping.Automatic"/> (name, field code, loose match), corrected by the user and checked with
/// <see cref="HeaderMapping.WithUserMapping"/> (Chinese errors block, warnings inform). 开始加载 stores the mapping in the
/// load's options and queues it (<see cref="StagedLoads.ConfirmAsync"/>), then shows its progress.
/// </summary>
internal sealed class MappingModel(StagedLoads staged, LoadService loads) : ResourcePageModel
{
    public override string Tab => "loads";

    /// <summary>Selected target per source column (<c>targets[i]</c>: a field name, or empty to ignore the column).</summary>
    [BindProperty(Name = "targets")] public List<string?> Targets { get; set; } = [];

    public DataLoad Load { get; private set; } = null!;
    public LoadOptions Options { get; private set; } = new();
    public SourceSample? Sample { get; private set; }
    public string? SourceError { get; private set; }
    public IReadOnlyList<DataColumn> Columns { get; private set; } = [];
    public HeaderMapping? Mapping { get; private set; }
    public List<SourceColumnView> SourceColumns { get; } = [];
    public FormErrors Errors { get; } = new();

    /// <summary>The mapping was checked on request (检查映射) and has no errors.</summary>
    public bool CheckedOk { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await PrepareAsync(code, id, ct) is { } stop) return stop;
        if (Sample is not null)
        {
            Mapping = Options.Mapping is { Count: > 0 } saved
                ? HeaderMapping.WithUserMapping(Sample.Header, Columns, saved.ToDictionary(m => m.Key, string? (m) => m.Value))
                : HeaderMapping.Automatic(Sample.Header, Columns);
            Show(Mapping.ToUserMapping());
        }
        return Page();
    }

    /// <summary>检查映射: shows the errors and warnings of the chosen mapping without starting.</summary>
    public async Task<IActionResult> OnPostCheckAsync(string code, Guid id, CancellationToken ct)
    {
        if (await PrepareAsync(code, id, ct) is { } stop) return stop;
        if (Sample is null) return Page();
        CheckedOk = Evaluate() is not null && !Errors.Any;
        return Page();
    }

    /// <summary>开始加载: the mapping must be valid; it is saved with the load, which is queued.</summary>
    public async Task<IActionResult> OnPostStartAsync(string code, Guid id, CancellationToken ct)
    {
        if (await PrepareAsync(code, id, ct) is { } stop) return stop;
        if (Sample is null) return Page();
        if (Evaluate() is not { } mapping || Errors.Any) return Page();
        if (!await staged.ConfirmAsync(Load, mapping, ct))
        {
            TempData["Error"] = "该上传已开始加载或已取消";
            return Redirect(Resource.Path($"/loads/{id}"));
        }
        TempData["Message"] = $"已开始加载“{Load.FileName}”";
        return Redirect(Resource.Path($"/loads/{id}"));
    }

    /// <summary>放弃: cancels the staged load and deletes the uploaded file.</summary>
    public async Task<IActionResult> OnPostCancelAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (Resource.Row is not { } row || await staged.FindAsync(row, id, ct) is null) return NotFound();
        var r = await loads.CancelAsync(id, User, ct);
        if (r.Ok) TempData["Message"] = "已放弃本次上传，文件已删除";
        else TempData["Error"] = r.Conflict ?? r.Forbidden ?? r.NotFound;
        return Redirect(Resource.Path("/loads"));
    }

    /// <summary>Builds the user's mapping from the posted selects and checks it; null when a select names no item.</summary>
    private Dictionary<string, string>? Evaluate()
    {
        var header = Sample!.Header;
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = Columns.Select(c => c.FieldName).ToHashSet(StringComparer.Ordinal);
        var valid = true;
        foreach (var i in Addressable(header))
        {
            var target = Targets.ElementAtOrDefault(i)?.Trim() ?? "";
            if (target.Length > 0 && !fields.Contains(target))
            {
                Errors.Add($"target-{i}", $"第 {i + 1} 列“{header[i]}”的映射目标“{target}”不是本资源的信息项，请从列表中选择或选“忽略此列”");
                valid = false;
            }
            mapping[header[i]] = target;
        }
        Mapping = HeaderMapping.WithUserMapping(header, Columns, mapping.ToDictionary(m => m.Key, string? (m) => m.Value));
        foreach (var e in Mapping.Errors) Errors.Add("mapping", e);
        Show(mapping.ToDictionary(m => m.Key, string? (m) => m.Value.Length == 0 ? null : m.Value));
        return valid ? mapping : null;
    }

    /// <summary>Fills the view of the source columns with these selections (header → field, null = ignored).</summary>
    private void Show(IReadOnlyDictionary<string, string?> selections)
    {
        var header = Sample!.Header;
        var addressable = Addressable(header).ToHashSet();
        SourceColumns.Clear();
        for (var i = 0; i < header.Count; i++)
        {
            var binding = Mapping?.Bindings.FirstOrDefault(b => b.SourceIndex == i);
            var posted = Targets.ElementAtOrDefault(i);
            var selected = addressable.Contains(i)
                ? (posted is not null && Errors.Has($"target-{i}") ? posted : selections.GetValueOrDefault(header[i]))
                : null;
            SourceColumns.Add(new SourceColumnView(i, header[i], addressable.Contains(i), Sample.Rows.Select(r => i < r.Length ? r[i] : null).ToList(), selected,
                binding?.Match switch
                {
                    HeaderMatch.ItemName => "按名称自动对应",
                    HeaderMatch.FieldCode => "按字段代码自动对应",
                    HeaderMatch.Loose => "近似匹配自动对应",
                    HeaderMatch.User => "手工指定",
                    _ => null,
                }));
        }
    }

    /// <summary>Source columns a mapping can name: non-blank headers, first occurrence only (as the mapping matches headers).</summary>
    private static IEnumerable<int> Addressable(IReadOnlyList<string> header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
            if (header[i].Length > 0 && seen.Add(header[i])) yield return i;
    }

    private async Task<IActionResult?> PrepareAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (Resource.Row is not { } row || await staged.FindAsync(row, id, ct) is not { } load) return NotFound();
        if (load.Status != LoadStatus.Staged) return Redirect(Resource.Path($"/loads/{id}"));
        Load = load;
        Options = LoadOptions.FromJson(load.OptionsJson);
        var (columns, error) = await staged.ColumnsAsync(row, load.Mode, ct);
        if (columns is null)
        {
            SourceError = error;
            return null;
        }
        Columns = columns;
        (Sample, SourceError) = await staged.SampleAsync(load, ct);
        return null;
    }
}
