using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Transfer;

/// <summary>An import problem located by sheet, row and column, with a Chinese message.</summary>
internal sealed record ImportError(string Sheet, int Row, string Column, string Message)
{
    public string Key => Row > 0 ? $"{Sheet}/第{Row}行/{Column}" : Sheet.Length > 0 ? Sheet : "file";
    public override string ToString() => Row > 0 ? $"“{Sheet}”表第{Row}行“{Column}”：{Message}" : Message;
}

/// <summary>Outcome of an import: counts, or every error (and then nothing was stored).</summary>
internal sealed record ImportResult(int Created, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
    public static ImportResult Fail(params ImportError[] errors) => new(0, 0, 0, errors);
}

/// <summary>
/// All-or-nothing import of a department's catalog from the exchange file (see <see cref="CatalogWorkbook"/>).
/// The whole file is checked first — columns, values, every catalog rule, codes, lifecycle — and every problem is
/// reported by sheet, row and column; only a clean file is stored, in one transaction. Rows without a code become
/// new drafts with generated codes; rows with a code update that entry (a revision when it is published) or, when the
/// code is unknown and was never handed out here, create the entry under that code. Rows identical to the current
/// content are left alone, whatever the entry's state.
/// </summary>
internal sealed class CatalogImport(CatalogDb db, ClassificationService classifications, ResourceService resources, TimeProvider clock)
{
    private sealed record ParsedItem(SheetRow Row, int Order, ItemInput Input);

    private sealed record ParsedResource(SheetRow Row, ResourceCode? Code, ResourceInput Input)
    {
        public List<ParsedItem> Items { get; } = [];
        public CatalogEntry? Existing { get; set; }
        public ResourceRevision? Working { get; set; }
        public ResourceRevision? Published { get; set; }
        public ResourceContent? Content { get; set; }
        public bool Unchanged { get; set; }
    }

    public async Task<ImportResult> ImportAsync(CatalogActor actor, Stream file, string fileName, CancellationToken ct = default)
    {
        if (!actor.IsCompiler || actor.Department is null)
            return ImportResult.Fail(new ImportError("", 0, "", "只有部门编目员可以导入本部门的资源目录"));
        var dept = actor.Department;
        var (resourceRows, itemRows, readError) = CatalogWorkbook.Read(file, fileName);
        if (readError is not null) return ImportResult.Fail(new ImportError("", 0, "", readError));

        var errors = new List<ImportError>();
        var rSheet = CatalogWorkbook.ResourceSheet;
        var iSheet = CatalogWorkbook.ItemSheet;
        if (resourceRows!.Count == 0) return ImportResult.Fail(new ImportError(rSheet, 0, "", $"“{rSheet}”表为空"));
        var rIndex = HeaderIndex(resourceRows[0], CatalogWorkbook.ResourceColumns.Select(c => c.Header), rSheet, ["信息资源分类", "信息资源名称"], errors);
        var iIndex = itemRows!.Count == 0 ? new Dictionary<string, int>()
            : HeaderIndex(itemRows[0], CatalogWorkbook.ItemColumns.Select(c => c.Header), iSheet, ["信息项名称", "数据类型"], errors);
        if (itemRows.Count > 0 && !iIndex.ContainsKey("信息资源代码") && !iIndex.ContainsKey("信息资源名称"))
            errors.Add(new ImportError(iSheet, itemRows[0].RowNumber, "信息资源代码", "缺少用于关联资源的列：“信息资源代码”或“信息资源名称”"));
        if (errors.Count > 0) return new ImportResult(0, 0, 0, errors);

        static string Cell(SheetRow row, Dictionary<string, int> index, string column) =>
            index.TryGetValue(column, out var i) ? row[i].Trim() : "";

        // 1. Resource rows.
        var parsed = new List<ParsedResource>();
        var byCode = new Dictionary<string, ParsedResource>();
        var byName = new Dictionary<string, ParsedResource>();
        foreach (var row in resourceRows.Skip(1).Where(r => !r.IsBlank))
        {
            string C(string column) => Cell(row, rIndex, column);
            ResourceCode? code = null;
            var codeText = C("信息资源代码");
            if (codeText.Length > 0)
            {
                if (!ResourceCode.TryParse(codeText, out code, out var codeError)) errors.Add(new(rSheet, row.RowNumber, "信息资源代码", codeError));
                else if (byCode.TryGetValue(code.ToString(), out var first))
                    errors.Add(new(rSheet, row.RowNumber, "信息资源代码", $"代码 {code} 与第{first.Row.RowNumber}行重复"));
            }
            var isOpenText = C("是否开放");
            var isOpen = CatalogWorkbook.ParseYesNo(isOpenText);
            if (isOpen is null) errors.Add(new(rSheet, row.RowNumber, "是否开放", $"应填“是”或“否”，实际为“{isOpenText}”"));
            var input = new ResourceInput(
                ClassificationCode: C("信息资源分类"), Name: C("信息资源名称"), Abstract: C("信息资源摘要"),
                ProviderName: C("信息资源提供方"), ProviderCode: C("信息资源提供方代码"),
                FormatCategory: C("信息资源格式分类"), FormatType: C("信息资源格式类型"), FormatDescription: C("格式说明"),
                ShareType: C("共享类型"), ShareCondition: C("共享条件"), ShareBasis: C("不予共享依据"),
                ShareChannel: C("共享方式分类"), ShareMethodType: C("共享方式类型"),
                OpenType: C("开放类型"), IsOpen: isOpenText.Length == 0 ? null : isOpen, OpenCondition: C("开放条件"),
                UpdateCycle: C("更新周期"), UpdateCycleNote: C("更新周期说明"),
                RelatedCodes: CatalogWorkbook.SplitList(C("关联资源代码")), Keywords: CatalogWorkbook.SplitList(C("关键字")),
                MetadataMaintainer: C("元数据维护方"), OnlineLink: C("在线资源链接地址"), SecurityClass: C("涉密属性"), Hierarchy: C("层级属性"));
            var resource = new ParsedResource(row, code, input);
            parsed.Add(resource);
            if (code is not null) byCode.TryAdd(code.ToString(), resource);
            else if (codeText.Length == 0 && input.Name is { Length: > 0 } name)
            {
                if (byName.TryGetValue(name, out var first))
                    errors.Add(new(rSheet, row.RowNumber, "信息资源名称", $"没有代码的资源名称“{name}”与第{first.Row.RowNumber}行重复，无法关联其信息项"));
                else byName[name] = resource;
            }
        }
        if (parsed.Count == 0) return ImportResult.Fail(new ImportError(rSheet, 0, "", $"“{rSheet}”表中没有数据行"));

        // 2. Item rows, attached to their resource.
        var order = 0;
        foreach (var row in itemRows.Skip(1).Where(r => !r.IsBlank))
        {
            string C(string column) => Cell(row, iIndex, column);
            order++;
            var codeText = C("信息资源代码");
            var nameText = C("信息资源名称");
            ParsedResource? owner = null;
            if (codeText.Length > 0)
            {
                if (!ResourceCode.TryParse(codeText, out var code, out var codeError)) { errors.Add(new(iSheet, row.RowNumber, "信息资源代码", codeError)); continue; }
                if (!byCode.TryGetValue(code.ToString(), out owner)) { errors.Add(new(iSheet, row.RowNumber, "信息资源代码", $"代码 {code} 不在“{rSheet}”表中")); continue; }
            }
            else if (nameText.Length > 0)
            {
                if (!byName.TryGetValue(nameText, out owner))
                {
                    errors.Add(new(iSheet, row.RowNumber, "信息资源名称", $"“{rSheet}”表中没有名为“{nameText}”且未填代码的资源"));
                    continue;
                }
            }
            else { errors.Add(new(iSheet, row.RowNumber, "信息资源代码", "请填写所属资源的代码或名称")); continue; }
            var ordinalText = C("序号");
            var ordinal = order;
            if (ordinalText.Length > 0 && !int.TryParse(ordinalText, out ordinal))
                errors.Add(new(iSheet, row.RowNumber, "序号", $"应为整数，实际为“{ordinalText}”"));
            bool Flag(string column)
            {
                var v = CatalogWorkbook.ParseYesNo(C(column));
                if (v is null) errors.Add(new(iSheet, row.RowNumber, column, $"应填“是”或“否”，实际为“{C(column)}”"));
                return v ?? false;
            }
            owner.Items.Add(new ParsedItem(row, ordinal, new ItemInput(C("信息项名称"), C("字段代码"), C("数据类型"), null, null,
                Flag("是否必填"), Flag("是否主键"), C("值域/字典"), C("敏感级别"), C("脱敏规则"), C("说明"))));
        }

        // 3. Codes, existing entries, classification and every catalog rule.
        await classifications.EnsureDepartmentCategoryAsync(dept.Id, ct);
        var codes = parsed.Where(p => p.Code is not null).Select(p => p.Code!.ToString()).ToList();
        var existing = await db.Entries.AsNoTracking().Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, ct);
        var revisionIds = existing.Values.SelectMany(e => new[] { e.WorkingRevisionId, e.PublishedRevisionId }).Where(x => x is not null).Select(x => x!.Value).ToList();
        var revisions = await db.Revisions.AsNoTracking().Include(r => r.Items).Where(r => revisionIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var prefixes = parsed.Where(p => p.Code is not null).Select(p => p.Code!.Prefix).Distinct().ToList();
        var counters = new Dictionary<string, long>();
        foreach (var prefix in prefixes) counters[prefix] = await CodeAllocator.LastAsync(db, prefix, ct);
        var nodes = new Dictionary<string, ClassificationNode?>();

        foreach (var p in parsed)
        {
            var row = p.Row.RowNumber;
            var input = ResourceValidator.WithDefaults(p.Input with { Items = p.Items.OrderBy(i => i.Order).Select(i => i.Input).ToList() }, dept);
            var orderedItems = p.Items.OrderBy(i => i.Order).ToList();
            if (p.Code is { } code && existing.TryGetValue(code.ToString(), out var entry))
            {
                p.Existing = entry;
                p.Working = entry.WorkingRevisionId is { } w ? revisions.GetValueOrDefault(w) : null;
                p.Published = entry.PublishedRevisionId is { } pub ? revisions.GetValueOrDefault(pub) : null;
                if (entry.DepartmentId != dept.Id) { errors.Add(new(rSheet, row, "信息资源代码", $"代码 {code} 属于其他部门，不能通过本部门导入修改")); continue; }
                if (string.IsNullOrWhiteSpace(input.ClassificationCode)) input = input with { ClassificationCode = entry.ClassificationCode };
                else if (input.ClassificationCode.Trim() != entry.ClassificationCode)
                    { errors.Add(new(rSheet, row, "信息资源分类", $"资源 {code} 的分类为 {entry.ClassificationCode}，导入不能调整已有资源的分类")); continue; }
            }
            else if (p.Code is { } newCode)
            {
                if (!string.IsNullOrWhiteSpace(input.ClassificationCode) && newCode.Prefix != input.ClassificationCode.Trim())
                    errors.Add(new(rSheet, row, "信息资源代码", $"代码 {newCode} 的前段码 {newCode.Prefix} 与信息资源分类 {input.ClassificationCode.Trim()} 不一致"));
                else if (counters.GetValueOrDefault(newCode.Prefix) >= newCode.Sequence)
                    errors.Add(new(rSheet, row, "信息资源代码", $"代码 {newCode} 曾在本平台分配过（已删除或作废），代码不能复用；请清空代码由系统重新生成"));
            }

            var classification = input.ClassificationCode?.Trim() ?? "";
            if (!nodes.TryGetValue(classification, out var node)) nodes[classification] = node = await classifications.FindNodeAsync(classification, ct);
            var check = ResourceValidator.Validate(input, node, dept, ValidationMode.Submit, p.Code?.ToString());
            foreach (var (field, messages) in check.Errors)
            {
                var itemMatch = System.Text.RegularExpressions.Regex.Match(field, @"^items\[(\d+)\]\.(\w+)$");
                foreach (var message in messages)
                {
                    if (itemMatch.Success && int.Parse(itemMatch.Groups[1].Value) is var i && i < orderedItems.Count)
                        errors.Add(new(iSheet, orderedItems[i].Row.RowNumber, CatalogWorkbook.ItemColumnOf(itemMatch.Groups[2].Value), message));
                    else
                        errors.Add(new(rSheet, row, CatalogWorkbook.ResourceColumnOf(field), message));
                }
            }
            p.Content = check.Content;
            if (p.Existing is { } current && check.IsValid)
            {
                var now = RevisionMapper.ToInput(p.Working ?? p.Published!, current.ClassificationCode);
                var incoming = ResourceInput(check.Content!, current.ClassificationCode);
                p.Unchanged = RevisionDiff.Compare(now, incoming).Count == 0;
                if (!p.Unchanged)
                {
                    var phase = Lifecycle.PhaseOf(current.Status, p.Working?.Status);
                    if (!Lifecycle.TryTransition(phase, LifecycleAction.Edit, out _, out var refusal))
                        errors.Add(new(rSheet, row, "信息资源代码", $"资源 {current.Code}：{refusal}"));
                }
            }
        }
        if (errors.Count > 0) return new ImportResult(0, 0, 0, errors.OrderBy(e => e.Sheet == rSheet ? 0 : 1).ThenBy(e => e.Row).ToList());

        // 4. Store everything in one transaction.
        var created = 0;
        var updated = 0;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var p in parsed.Where(p => p.Existing is null && p.Code is not null).OrderBy(p => p.Code!.Prefix).ThenBy(p => p.Code!.Sequence))
            {
                if (!await CodeAllocator.TryReserveAsync(db, p.Code!.Prefix, p.Code.Sequence, now, ct))
                {
                    await tx.RollbackAsync(ct);
                    return ImportResult.Fail(new ImportError(rSheet, p.Row.RowNumber, "信息资源代码", $"代码 {p.Code} 刚被分配给其他资源，请清空代码后重新导入"));
                }
                resources.AddEntry(actor, dept, p.Code, p.Content!, now, "（文件导入，沿用文件中的代码）");
                created++;
            }
            foreach (var p in parsed.Where(p => p.Existing is null && p.Code is null))
            {
                var node = nodes[(p.Input.ClassificationCode ?? "").Trim()]!;
                var sequence = await CodeAllocator.NextAsync(db, node.Code, now, ct);
                resources.AddEntry(actor, dept, ResourceCode.FromPrefix(node.Code, sequence), p.Content!, now, "（文件导入）");
                created++;
            }
            foreach (var p in parsed.Where(p => p.Existing is not null && !p.Unchanged))
            {
                var entry = await db.Entries.FirstAsync(e => e.Id == p.Existing!.Id, ct);
                if (entry.Version != p.Existing!.Version)
                {
                    await tx.RollbackAsync(ct);
                    return ImportResult.Fail(new ImportError(rSheet, p.Row.RowNumber, "信息资源代码", $"资源 {entry.Code} 在导入期间被他人修改，请重新导出后再导入"));
                }
                var ids = new[] { entry.WorkingRevisionId, entry.PublishedRevisionId }.Where(x => x is not null).Select(x => x!.Value).ToList();
                var tracked = await db.Revisions.Include(r => r.Items).Where(r => ids.Contains(r.Id)).ToListAsync(ct);
                resources.ApplyEdit(actor, entry, tracked.FirstOrDefault(r => r.Id == entry.WorkingRevisionId), tracked.FirstOrDefault(r => r.Id == entry.PublishedRevisionId),
                    p.Content!, null, now, "（文件导入）");
                updated++;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return ImportResult.Fail(new ImportError("", 0, "", "导入期间目录被他人修改（代码或版本冲突），未导入任何数据，请重新导入"));
        }
        return new ImportResult(created, updated, parsed.Count(p => p.Unchanged), []);
    }

    /// <summary>Header name → column index; unknown or duplicated headers and missing required ones are errors.</summary>
    private static Dictionary<string, int> HeaderIndex(SheetRow header, IEnumerable<string> known, string sheet, string[] required, List<ImportError> errors)
    {
        var knownSet = known.ToHashSet();
        var index = new Dictionary<string, int>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0) continue;
            if (!knownSet.Contains(name)) errors.Add(new(sheet, header.RowNumber, name, $"未知的列“{name}”：请使用模板中的列名"));
            else if (!index.TryAdd(name, i)) errors.Add(new(sheet, header.RowNumber, name, $"列“{name}”重复"));
        }
        foreach (var r in required.Where(r => !index.ContainsKey(r)))
            errors.Add(new(sheet, header.RowNumber, r, $"缺少必需的列“{r}”"));
        return index;
    }

    /// <summary>Parsed content back to input form, for comparison with the stored revision.</summary>
    private static ResourceInput ResourceInput(ResourceContent c, string classification)
    {
        var revision = new ResourceRevision { Name = c.Name };
        RevisionMapper.Apply(revision, c, DateTime.UtcNow);
        return RevisionMapper.ToInput(revision, classification);
    }
}
