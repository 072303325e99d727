using GovData.Identity.Contracts;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Identity.Features.Departments;

/// <summary>All-or-nothing department import from CSV/XLSX (platform administrators), through <see cref="DepartmentImport"/>.</summary>
[Authorize(Policy = Policies.PlatformAdmin)]
internal sealed class ImportModel(DepartmentImport import) : PageModel
{
    public DepartmentImportResult? Result { get; private set; }
    public string? FileError { get; private set; }
    public string? FileName { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            FileError = "请选择要上传的 CSV 或 XLSX 文件";
            return Page();
        }
        FileName = Path.GetFileName(file.FileName);
        if (!TabularFile.IsSupported(file.FileName))
        {
            FileError = $"不支持的文件类型“{Path.GetExtension(file.FileName)}”，请上传 .csv 或 .xlsx 文件";
            return Page();
        }
        await using var stream = file.OpenReadStream();
        Result = await import.ImportAsync(stream, FileName, User.Identity?.Name, ct);
        return Page();
    }
}
