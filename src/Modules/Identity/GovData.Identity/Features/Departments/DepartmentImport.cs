using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

/// <summary>An import error located by row and column, with a Chinese message.</summary>
internal sealed record ImportError(int Row, string Column, string Message)
{
    public override string ToString() => Row > 0 ? $"第{Row}行“{Column}”：{Message}" : Message;
}

internal sealed record DepartmentImportResult(int Created, int Updated, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// All-or-nothing import of departments from CSV/XLSX. Columns (header names, any order):
/// 部门名称, 简称, 统一社会信用代码, 部门类别, 上级部门统一社会信用代码, 行政区划代码, 是否主管部门, 领域, 排序.
/// Rows are matched to existing departments by 统一社会信用代码 (update) or created; a parent may be
/// another row of the same file.
/// </summary>
internal sealed class DepartmentImport(IdentityDb db, DepartmentAdministration admin, IHttpContextAccessor http)
{
    public static readonly string[] Columns = ["部门名称", "简称", "统一社会信用代码", "部门类别", "上级部门统一社会信用代码", "行政区划代码", "是否主管部门", "领域", "排序"];

    public static IReadOnlyList<string> ExampleRow { get; } =
        ["山东省示例局（演示）", "示例局", GovData.SharedKernel.Codes.CreditCode.Create('1', '1', "370000", "MB000000").Value, "政府", "", "370000", "否", "科技", "100"];

    public async Task<DepartmentImportResult> ImportAsync(Stream file, string fileName, string? actorName, CancellationToken ct = default)
    {
        IReadOnlyList<SheetRow> rows;
        try { rows = TabularFile.Read(file, fileName); }
        catch (InvalidDataException ex) { return new(0, 0, [new ImportError(0, "", ex.Message)]); }

        var errors = new List<ImportError>();
        if (rows.Count == 0) return new(0, 0, [new ImportError(0, "", "文件为空")]);
        var header = rows[0].Cells.Select(c => c.Trim()).ToList();
        var index = Columns.ToDictionary(c => c, c => header.IndexOf(c));
        foreach (var required in new[] { "部门名称", "统一社会信用代码", "部门类别", "行政区划代码" })
            if (index[required] < 0) errors.Add(new ImportError(rows[0].RowNumber, required, $"缺少必需的列“{required}”"));
        if (errors.Count > 0) return new(0, 0, errors);

        string Cell(SheetRow r, string column) => index[column] >= 0 ? r[index[column]].Trim() : "";
        var existing = await db.Departments.ToDictionaryAsync(d => d.CreditCode, ct);
        var parsed = new List<(SheetRow Row, DepartmentInput Input, string ParentCode)>();
        var seen = new Dictionary<string, int>();
        foreach (var row in rows.Skip(1).Where(r => !r.IsBlank))
        {
            var kindText = Cell(row, "部门类别");
            DepartmentKind? kind = DepartmentKinds.TryParse(kindText, out var k) ? k : null;
            var competentText = Cell(row, "是否主管部门");
            var sortText = Cell(row, "排序");
            var input = new DepartmentInput(Cell(row, "部门名称"), Cell(row, "简称"), Cell(row, "统一社会信用代码").ToUpperInvariant(), kind, null,
                Cell(row, "行政区划代码"), competentText is "是" or "Y" or "y" or "true" or "TRUE" or "1", Cell(row, "领域"),
                int.TryParse(sortText, out var so) ? so : 0);
            foreach (var (field, messages) in admin.Validate(input))
                errors.Add(new ImportError(row.RowNumber, FieldColumn(field), messages[0]));
            if (competentText.Length > 0 && competentText is not ("是" or "否" or "Y" or "N" or "y" or "n" or "true" or "false" or "TRUE" or "FALSE" or "1" or "0"))
                errors.Add(new ImportError(row.RowNumber, "是否主管部门", $"应填“是”或“否”，实际为“{competentText}”"));
            if (sortText.Length > 0 && !int.TryParse(sortText, out _))
                errors.Add(new ImportError(row.RowNumber, "排序", $"应为整数，实际为“{sortText}”"));
            var code = input.CreditCode ?? "";
            if (code.Length > 0 && seen.TryGetValue(code, out var firstRow))
                errors.Add(new ImportError(row.RowNumber, "统一社会信用代码", $"与第{firstRow}行重复"));
            else if (code.Length > 0) seen[code] = row.RowNumber;
            parsed.Add((row, input, Cell(row, "上级部门统一社会信用代码").ToUpperInvariant()));
        }
        if (parsed.Count == 0) errors.Add(new ImportError(0, "", "文件中没有数据行"));
        foreach (var (row, input, parentCode) in parsed)
        {
            if (parentCode.Length == 0) continue;
            if (parentCode == input.CreditCode) errors.Add(new ImportError(row.RowNumber, "上级部门统一社会信用代码", "上级部门不能是本部门"));
            else if (!existing.ContainsKey(parentCode) && !seen.ContainsKey(parentCode))
                errors.Add(new ImportError(row.RowNumber, "上级部门统一社会信用代码", $"上级部门“{parentCode}”既不在系统中，也不在本文件中"));
        }
        var competent = parsed.Where(p => p.Input.IsCompetent).GroupBy(p => p.Input.RegionCode).Where(g => g.Count() > 1);
        foreach (var g in competent)
            errors.Add(new ImportError(g.Skip(1).First().Row.RowNumber, "是否主管部门", $"行政区划 {g.Key} 在文件中有多个主管部门"));
        foreach (var (row, input, _) in parsed.Where(p => p.Input.IsCompetent))
            if (existing.Values.Any(d => d.IsCompetent && d.RegionCode == input.RegionCode && d.CreditCode != input.CreditCode))
                errors.Add(new ImportError(row.RowNumber, "是否主管部门", $"行政区划 {input.RegionCode} 在系统中已有主管部门"));
        if (errors.Count > 0) return new(0, 0, errors.OrderBy(e => e.Row).ToList());

        // Apply in one transaction: nothing is stored unless every row is valid.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        int created = 0, updated = 0;
        foreach (var (_, input, _) in parsed)
        {
            if (!existing.TryGetValue(input.CreditCode!, out var dept))
            {
                dept = new Department { Id = Guid.CreateVersion7(), Name = "", CreditCode = input.CreditCode!, RegionCode = "", CreatedAt = now };
                db.Departments.Add(dept);
                existing[dept.CreditCode] = dept;
                created++;
            }
            else { updated++; dept.Version++; }
            dept.Name = input.Name!.Trim();
            dept.ShortName = string.IsNullOrWhiteSpace(input.ShortName) ? null : input.ShortName.Trim();
            dept.Kind = input.Kind!.Value;
            dept.RegionCode = input.RegionCode!.Trim();
            dept.IsCompetent = input.IsCompetent;
            dept.Domains = DepartmentAdministration.NormalizeDomains(input.Domains);
            dept.SortOrder = input.SortOrder;
            dept.UpdatedAt = now;
        }
        foreach (var (_, input, parentCode) in parsed)
            existing[input.CreditCode!].ParentId = parentCode.Length == 0 ? null : existing[parentCode].Id;
        if (HasCycle(existing.Values)) 
        {
            await tx.RollbackAsync(ct);
            return new(0, 0, [new ImportError(0, "上级部门统一社会信用代码", "上级部门关系形成了循环，请检查")]);
        }
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.DepartmentsImported, true, $"导入部门文件 {fileName}：新增{created}个，更新{updated}个", actorName: actorName);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new(created, updated, []);
    }

    private static bool HasCycle(IEnumerable<Department> departments)
    {
        var byId = departments.ToDictionary(d => d.Id);
        foreach (var d in byId.Values)
        {
            var steps = 0;
            for (var p = d.ParentId; p is { } pid; p = byId.TryGetValue(pid, out var parent) ? parent.ParentId : null)
                if (++steps > byId.Count) return true;
        }
        return false;
    }

    private static string FieldColumn(string field) => field switch
    {
        "name" => "部门名称",
        "shortName" => "简称",
        "creditCode" => "统一社会信用代码",
        "kind" => "部门类别",
        "regionCode" => "行政区划代码",
        "domains" => "领域",
        _ => field,
    };
}
