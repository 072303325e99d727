using Microsoft.AspNetCore.Mvc;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 导出: download links to the export API for the current version — CSV in UTF-8, with a BOM for Excel, or in GBK
/// (GB18030), XLSX, JSON, NDJSON and XML — plus a form for other versions, header styles and masked exports. Values are
/// masked unless the caller is entitled to raw values (the API decides; entitled callers may ask for masked values).
/// </summary>
internal sealed class ExportModel : ResourcePageModel
{
    public override string Tab => "export";

    public static readonly (string Id, string Label, string Query, string Note)[] Formats =
    [
        ("csv", "CSV（UTF-8）", "format=csv", "通用文本格式，适合程序处理"),
        ("csv-bom", "CSV（UTF-8 带 BOM）", "format=csv&bom=true", "用 Excel、WPS 直接打开不乱码"),
        ("csv-gbk", "CSV（GBK）", "format=csv&encoding=gbk", "GB18030 编码（兼容 GBK），供只认 GBK 的旧系统"),
        ("xlsx", "Excel（XLSX）", "format=xlsx", "保留数值、日期类型；每个工作表最多 1,048,575 行"),
        ("json", "JSON", "format=json", "对象数组，按字段代码命名"),
        ("ndjson", "NDJSON", "format=ndjson", "每行一个 JSON 对象，适合大数据量流式处理"),
        ("xml", "XML", "format=xml", "dataset/row 结构"),
    ];

    /// <summary>Whether the caller gets raw values by default.</summary>
    public bool Raw => Resource.IsInsider;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        return Page();
    }

    public string Link(string query) => Resource.Api("/export") + "?" + query;
}
