using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using F = GovData.Catalog.Domain.ResourceFields;

namespace GovData.Catalog.Features.Compile;

/// <summary>
/// The entry form shared by “新建资源” and “编辑资源”. Every rule is the service's: the page only converts the form,
/// calls <see cref="ResourceService"/> (dry-run validation, create, update, submit) and shows its Chinese messages next
/// to the fields. The item grid's “添加/删除信息项” and the classification picker work without JavaScript by re-posting
/// the form and re-rendering it with what was entered; nothing is stored until “保存草稿” or “提交审核”.
/// </summary>
/// <remarks>A resource may have up to 500 information items of 11 fields each: the form value limit is raised accordingly.</remarks>
[RequestFormLimits(ValueCountLimit = FormValueLimit)]
internal abstract class EntryFormPage(ResourceService service, CatalogDb db, IDepartmentDirectory departments, ClassificationService classifications) : PageModel
{
    public const int FormValueLimit = 12_000;

    protected ResourceService Service { get; } = service;

    [BindProperty] public EntryForm Input { get; set; } = new();

    public FieldMessages Errors { get; } = new();

    /// <summary>The reviewer's reasons of the last rejection, per field (shown while the entry is 已驳回).</summary>
    public FieldMessages Notes { get; } = new("review-note", "note");

    public IReadOnlyList<ReviewCommentDto> RejectionComments { get; private set; } = [];

    public ClassificationPicker Picker { get; private set; } = new();

    public CatalogActor Actor { get; private set; } = null!;

    /// <summary>The stored entry (edit page), or null (new page).</summary>
    public EntryDto? Entry { get; protected set; }

    /// <summary>Code shown in the preview box, and what it means.</summary>
    public string? CodePreview { get; private set; }
    public string? CodeNote { get; private set; }

    /// <summary>A stale version or a refused state change (shown above the form; nothing was stored).</summary>
    public string? Conflict { get; protected set; }

    /// <summary>Set after “校验并预览代码” found nothing to correct.</summary>
    public bool CheckPassed { get; private set; }

    /// <summary>Published entries keep their classification and code.</summary>
    public bool ClassificationLocked => Entry?.Published is not null;

    /// <summary>Where the form posts (the page's own path).</summary>
    public abstract string FormPath { get; }

    /// <summary>Loads the actor and (edit page) the entry; returns a result when the page must not be shown.</summary>
    protected async Task<IActionResult?> LoadAsync(Guid? id, CancellationToken ct)
    {
        Actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        if (!Actor.IsCompiler || Actor.Department is null) return Forbid();
        await classifications.EnsureDepartmentCategoryAsync(Actor.Department.Id, ct);
        if (id is not { } key) return null;
        Entry = await Service.GetAsync(Actor, key.ToString(), ct);
        // Another department's entry (even a published one) is not a compiler's to edit: answer as if it did not exist.
        if (Entry is null || !Actor.CanCompile(Entry.DepartmentId)) return NotFound();
        if (Entry.Working is { Status: "已驳回" } rejected)
        {
            var last = rejected.ReviewedAt;
            RejectionComments = rejected.Comments.Where(c => last is null || c.CreatedAt >= last.Value.AddSeconds(-1)).ToList();
            foreach (var c in RejectionComments) Notes.Add(c.Field, c.Message);
        }
        return null;
    }

    /// <summary>True when the entry may be edited now (new page: always).</summary>
    public bool Editable => Entry is null || Entry.AllowedActions.Contains("edit");

    // ---------------------------------------------------------------- handlers shared by both pages

    /// <summary>“更新分类选项”: narrows the 项/目 lists to the chosen 类/项 (the no-script path of the picker).</summary>
    public async Task<IActionResult> OnPostPickAsync(Guid? id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        return await RenderAsync(normalize: true, ct);
    }

    /// <summary>“添加信息项”: one more empty row, everything entered kept.</summary>
    public async Task<IActionResult> OnPostAddRowAsync(Guid? id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        if (Input.Items.Count < ResourceValidator.ItemCountMax) Input.Items.Add(new ItemRow());
        else Errors.Add(F.Items, $"信息项不能超过{ResourceValidator.ItemCountMax}个");
        return await RenderAsync(normalize: false, ct);
    }

    /// <summary>“删除”: drops row <paramref name="row"/> (0-based), everything else kept.</summary>
    public async Task<IActionResult> OnPostRemoveRowAsync(Guid? id, int? row, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        if (row is { } r && r >= 0 && r < Input.Items.Count) Input.Items.RemoveAt(r);
        return await RenderAsync(normalize: false, ct);
    }

    /// <summary>“校验并预览代码”: the submission rules as a dry run, and the code the entry gets; nothing is stored.</summary>
    public async Task<IActionResult> OnPostCheckAsync(Guid? id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } stop) return stop;
        if (!Editable) return await RenderAsync(false, ct);
        var input = Prepare();
        await DryRunAsync(input, ValidationMode.Submit, ct);
        CheckPassed = !Errors.Any;
        return await RenderAsync(normalize: false, ct);
    }

    /// <summary>Re-renders a refused state change or edit.</summary>
    protected async Task<IActionResult> ShowFailureAsync<T>(CatalogResult<T> r, CancellationToken ct)
    {
        if (r.NotFound) return NotFound();
        Errors.AddRange(r.Errors);
        Conflict = r.Conflict ?? r.Forbidden;
        return await RenderAsync(normalize: false, ct);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Drops blank rows and converts the form; conversion problems land in <see cref="Errors"/>.</summary>
    protected ResourceInput Prepare()
    {
        Input.DropBlankRows();
        var classification = ClassificationLocked ? null : Input.ResolveClassification(Errors);
        return Input.ToInput(classification, Errors);
    }

    /// <summary>Runs the service's validation without saving and adds its errors (and the code preview).</summary>
    protected async Task DryRunAsync(ResourceInput input, ValidationMode mode, CancellationToken ct)
    {
        if (ClassificationLocked) input = input with { ClassificationCode = Entry!.ClassificationCode };
        var r = await Service.PreviewAsync(Actor, input, mode, ct);
        if (r.Forbidden is { } f) { Conflict = f; return; }
        var hadClassificationError = Errors.Has(F.Classification);
        foreach (var (field, messages) in r.Value!.Errors)
        {
            if (field == F.Classification && hadClassificationError) continue;
            foreach (var m in messages) Errors.Add(field, m);
        }
        if (r.Value.CodePreview is { } preview && !SameClassification(input.ClassificationCode))
        {
            CodePreview = preview;
            CodeNote = Entry is null ? "预览：保存时正式分配顺序码" : $"预览：保存后改用新代码，原代码 {Entry.Code} 作废且不再复用";
        }
    }

    /// <summary>Loads the picker, works out the code preview and shows the page.</summary>
    protected async Task<IActionResult> RenderAsync(bool normalize, CancellationToken ct)
    {
        if (ClassificationLocked) Input.SetClassification(Entry!.ClassificationCode);
        Picker = await ClassificationPicker.LoadAsync(db, Actor.Department!, Input, normalize, ct);
        if (CodePreview is null)
        {
            var scratch = new FieldMessages();
            var classification = ClassificationLocked ? Entry!.ClassificationCode : Input.ResolveClassification(scratch);
            if (Entry is not null && SameClassification(classification))
            {
                CodePreview = Entry.Code;
                CodeNote = Entry.Published is null ? "已分配；改变分类会分配新代码" : "已发布资源的代码不再改变";
            }
            else if (classification is not null)
            {
                var r = await Service.PreviewAsync(Actor, new ResourceInput(ClassificationCode: classification, Name: "预览"), ValidationMode.Draft, ct);
                if (r.Value?.CodePreview is { } preview)
                {
                    CodePreview = preview;
                    CodeNote = Entry is null ? "预览：保存时正式分配顺序码" : $"预览：保存后改用新代码，原代码 {Entry.Code} 作废且不再复用";
                }
            }
        }
        return Page();
    }

    private bool SameClassification(string? classification) =>
        Entry is not null && (ClassificationLocked || string.Equals(classification, Entry.ClassificationCode, StringComparison.Ordinal));

    /// <summary>The department's defaults for a new form.</summary>
    protected void FillDefaults()
    {
        var dept = Actor.Department!;
        Input.ProviderName = dept.Name;
        Input.ProviderCode = dept.CreditCode;
        Input.MetadataMaintainer = dept.Name;
        Input.SecurityClass = "非涉密";
        Input.Hierarchy = "部门目录";
        Input.ClassCode = "3";
        for (var i = 0; i < 3; i++) Input.Items.Add(new ItemRow());
    }

    // ---------------------------------------------------------------- choices

    public static IReadOnlyList<string> FormatCategories => Contracts.CatalogTerms.Labels<Contracts.FormatCategory>();
    public static IReadOnlyList<string> ShareTypes => Contracts.CatalogTerms.Labels<Contracts.ShareType>();
    public static IReadOnlyList<string> ShareChannels => Contracts.CatalogTerms.Labels<Contracts.ShareChannel>();
    public static IReadOnlyList<string> ShareMethodTypes => Contracts.CatalogTerms.Labels<Contracts.ShareMethodType>();
    public static IReadOnlyList<string> OpenTypes => Contracts.CatalogTerms.Labels<Contracts.OpenType>();
    public static IReadOnlyList<string> UpdateCycles => Contracts.CatalogTerms.Labels<Contracts.UpdateCycle>();
    public static IReadOnlyList<string> SecurityClasses => Contracts.CatalogTerms.Labels<Contracts.SecurityClass>();
    public static IReadOnlyList<string> Hierarchies => Contracts.CatalogTerms.Labels<Contracts.CatalogHierarchy>();
    public static IReadOnlyList<string> Sensitivities => Contracts.CatalogTerms.Labels<Contracts.ItemSensitivity>();
    public static IReadOnlyList<string> MaskingRules => Contracts.CatalogTerms.Labels<Contracts.MaskingRule>();

    /// <summary>C 字符型 … F 浮点型.</summary>
    public static IReadOnlyList<(string Code, string Name)> DataTypes { get; } =
        DataTypeSpec.Names.Select(kv => (Contracts.CatalogTerms.Label(kv.Key), kv.Value)).ToList();

    /// <summary>格式分类 → listed 格式类型 (for the datalist and the hint).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FormatTypes { get; } =
        ResourceFormats.Types.ToDictionary(kv => Contracts.CatalogTerms.Label(kv.Key), kv => kv.Value);
}
