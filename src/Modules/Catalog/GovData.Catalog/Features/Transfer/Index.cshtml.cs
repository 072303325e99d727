using GovData.Catalog.Features.Browse;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Catalog.Features.Transfer;

/// <summary>
/// 导入导出: import of the department's catalog from the exchange file (XLSX, or CSV files in a ZIP; all or nothing,
/// every error listed by sheet/row/column), export of the department's entries — or, for reviewers, administrators
/// and auditors, of a region or all — as XLSX or CSV, and the blank template.
/// </summary>
[Authorize(Policy = CatalogPolicies.Read)]
internal sealed class TransferModel(CatalogImport import, CatalogExport export, ExportScope scopes, IDepartmentDirectory departments) : PageModel
{
    public const string Path = "/console/catalog/transfer";

    [BindProperty(SupportsGet = true, Name = "content")] public string? ExportContent { get; set; }
    [BindProperty(SupportsGet = true, Name = "scope")] public string? Scope { get; set; }
    [BindProperty(SupportsGet = true, Name = "region")] public string? Region { get; set; }
    [BindProperty(SupportsGet = true, Name = "format")] public string? Format { get; set; }

    public CatalogActor Actor { get; private set; } = null!;
    public bool CanImport => Actor.IsCompiler && Actor.Department is not null;
    public bool MaySpan => ExportScope.MaySpanDepartments(Actor);
    public IReadOnlyList<(string Code, string Name)> RegionChoices { get; private set; } = [];
    public Dictionary<string, string[]> ExportErrors { get; private set; } = [];
    public IReadOnlyList<ImportError> ImportErrors { get; private set; } = [];
    public string? ImportFileName { get; private set; }
    public string? ImportProblem { get; private set; }

    /// <summary>What can be exported: the workspace (current content, drafts included) or one of the three catalogs.</summary>
    public static readonly (string Key, string Label)[] Contents =
    [
        ("workspace", "编目工作台（当前内容，含草稿和待审核）"),
        ("business", "业务目录（已发布内容）"),
        ("share", "共享目录（已发布内容）"),
        ("open", "开放目录（已发布内容）"),
    ];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Downloads the chosen content as XLSX or a ZIP of CSV files.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var errors = new Dictionary<string, string[]>();
        CatalogView? view = null;
        switch (ExportContent?.Trim().ToLowerInvariant())
        {
            case null or "" or "workspace": break;
            case var c when CatalogUi.TryParseCatalog(c, out var v): view = v; break;
            default: errors["content"] = [$"导出内容“{ExportContent}”无效，可选：workspace、business、share、open"]; break;
        }
        if (!TryFormat(Format, out var csv)) errors["format"] = [$"文件格式“{Format}”无效，可选：xlsx、csv"];
        var (selection, scopeErrors) = await scopes.ResolveAsync(Actor, Scope, Region, ct);
        if (scopeErrors is not null) foreach (var (k, v) in scopeErrors) errors[k] = v;
        if (errors.Count > 0)
        {
            ExportErrors = errors;
            return Page();
        }
        var file = await export.ExportAsync(Actor, view, csv, selection, ct);
        return File(file.Content, file.ContentType, file.FileName);
    }

    /// <summary>The blank template with a filled example row.</summary>
    public IActionResult OnGetTemplate()
    {
        TryFormat(Format, out var csv);
        var file = CatalogExport.Template(csv);
        return File(file.Content, file.ContentType, file.FileName);
    }

    /// <summary>Imports the uploaded file: all or nothing.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanImport)
        {
            ImportProblem = "只有部门编目员可以导入本部门的资源目录";
            return Page();
        }
        if (file is null || file.Length == 0)
        {
            ImportProblem = "请选择要导入的 .xlsx 文件或含“信息资源.csv”“信息项.csv”的 .zip 文件";
            return Page();
        }
        ImportFileName = System.IO.Path.GetFileName(file.FileName);
        await using var stream = file.OpenReadStream();
        var result = await import.ImportAsync(Actor, stream, ImportFileName, ct);
        if (!result.Succeeded)
        {
            ImportErrors = result.Errors.OrderBy(e => e.Sheet == CatalogWorkbook.ResourceSheet ? 0 : e.Sheet == CatalogWorkbook.ItemSheet ? 1 : -1)
                .ThenBy(e => e.Row).ToList();
            return Page();
        }
        TempData["Message"] = $"“{ImportFileName}”导入成功：新建 {result.Created} 条（草稿）、更新 {result.Updated} 条、内容未变 {result.Unchanged} 条。"
            + (result.Created + result.Updated > 0 ? "新建和更新的资源需报送审核后才会发布。" : "");
        return Redirect(Path);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        RegionChoices = await scopes.RegionChoicesAsync(Actor, ct);
    }

    private static bool TryFormat(string? format, out bool csv)
    {
        csv = false;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "xlsx": return true;
            case "csv" or "zip": csv = true; return true;
            default: return false;
        }
    }

    public string? ErrorFor(string field) => ExportErrors.TryGetValue(field, out var m) ? string.Join("；", m) : null;
}
