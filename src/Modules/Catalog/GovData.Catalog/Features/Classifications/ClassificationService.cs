using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Classifications;

/// <summary>Result of generating the 部门类 branch from the department tree.</summary>
internal sealed record DepartmentBranchSync(int ItemsCreated, int CategoriesCreated, int Renamed, int Deactivated, int Reactivated);

/// <summary>Input for a new classification node.</summary>
/// <param name="ParentCode">Full code of the parent node.</param>
/// <param name="Segment">The node's own code; when empty the next free one is taken (项 2 digits, 目 3, 细目 2).</param>
/// <param name="Name">Name.</param>
/// <param name="Description">Optional description.</param>
internal sealed record ClassificationInput(string? ParentCode, string? Segment, string? Name, string? Description = null);

/// <summary>
/// The classification tree (类/项/目/细目) kept as data in <c>catalog_classifications</c>.
/// <para>
/// 部门类 scheme (documented in the module README): the guide's 项 01–06 stand for the six national systems; this
/// platform serves local government, so — as the guide's “30 地方” does for provinces — it gives each region
/// (行政区划) that has departments its own 项, numbered from 30 in the order regions first appear (the platform's
/// province first), and each department a 目 inside its region's 项. The 目 code is the department's system digit
/// (1 党委, 2 人大, 3 政府, 4 政协, 5 法院, 6 检察院, 7 事业单位, 9 其他 — as in the guide's 北京 example: 101
/// 市委办公厅, 301 市政府办公厅, 302 发展改革委) followed by a two-digit ordinal. Codes are assigned once and kept: a
/// renamed department keeps its 目, a removed one has its 目 deactivated, never renumbered.
/// </para>
/// </summary>
internal sealed class ClassificationService(CatalogDb db, DatabaseSettings database, IDepartmentDirectory departments, RegionDirectory regions, TimeProvider clock)
{
    public const int FirstRegionItem = 30;
    public const int MaxDepth = 7;

    /// <summary>All nodes, optionally of one 类, ordered for display.</summary>
    public async Task<List<Classification>> ListAsync(int? classCode = null, bool includeInactive = false, CancellationToken ct = default)
    {
        var q = db.Classifications.AsNoTracking();
        if (classCode is { } c) q = q.Where(x => x.ClassCode == c);
        if (!includeInactive) q = q.Where(x => x.IsActive);
        var list = await q.ToListAsync(ct);
        return list.OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>A node with the rule it inherits from its ancestors, or null.</summary>
    public async Task<ClassificationNode?> FindNodeAsync(string? code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        code = code.Trim();
        var prefixes = Enumerable.Range(1, code.Length).Select(n => code[..n]).ToList();
        var chain = await db.Classifications.AsNoTracking().Where(x => prefixes.Contains(x.Code)).ToListAsync(ct);
        var node = chain.FirstOrDefault(x => x.Code == code);
        if (node is null) return null;
        var byCode = chain.ToDictionary(x => x.Code);
        var ancestors = new List<Classification>();
        for (var n = node; n is not null; n = n.ParentCode is { } p && byCode.TryGetValue(p, out var parent) ? parent : null) ancestors.Add(n);
        var rule = ancestors.FirstOrDefault(a => a.RequiresUnconditionalShare);
        return new ClassificationNode(node.Code, node.Name, node.Depth, node.DepartmentId, rule is not null, rule?.Name, node.IsActive && ancestors.All(a => a.IsActive));
    }

    /// <summary>“基础信息资源 › 法人基础信息 › 企业单位法人” for every node.</summary>
    public static Dictionary<string, string> PathNames(IEnumerable<Classification> nodes)
    {
        var byCode = nodes.ToDictionary(x => x.Code);
        var result = new Dictionary<string, string>();
        foreach (var n in byCode.Values)
        {
            var names = new List<string>();
            for (var x = n; x is not null; x = x.ParentCode is { } p && byCode.TryGetValue(p, out var parent) ? parent : null) names.Insert(0, x.Name);
            result[n.Code] = string.Join(" › ", names);
        }
        return result;
    }

    /// <summary>Makes sure the department has its 部门类 目, generating the branch when it is missing.</summary>
    public async Task<string?> EnsureDepartmentCategoryAsync(Guid departmentId, CancellationToken ct = default)
    {
        var existing = await CategoryOfAsync(departmentId, ct);
        if (existing is not null) return existing;
        await SyncDepartmentBranchAsync(ct);
        return await CategoryOfAsync(departmentId, ct);
    }

    /// <summary>The code of the department's 部门类 目, or null.</summary>
    public Task<string?> CategoryOfAsync(Guid departmentId, CancellationToken ct = default) =>
        db.Classifications.AsNoTracking().Where(x => x.ClassCode == 3 && x.Depth == 3 && x.DepartmentId == departmentId)
            .Select(x => x.Code).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Generates the 部门类 branch from the department tree: a 项 for every region that has departments, a 目 for every
    /// department. Existing codes are kept; names follow renames; 目 of departments that disappeared are deactivated.
    /// </summary>
    public async Task<DepartmentBranchSync> SyncDepartmentBranchAsync(CancellationToken ct = default)
    {
        var depts = (await departments.ListAsync(ct)).ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (database.IsPostgres) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7262020)", ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var nodes = await db.Classifications.Where(x => x.ClassCode == 3).ToListAsync(ct);
            int items = 0, categories = 0, renamed = 0, deactivated = 0, reactivated = 0;

            var regionItems = nodes.Where(x => x.Depth == 2 && x.RegionCode is not null).ToDictionary(x => x.RegionCode!);
            foreach (var region in depts.Select(d => d.RegionCode).Distinct().OrderBy(r => r, StringComparer.Ordinal))
            {
                if (regionItems.ContainsKey(region)) continue;
                var used = nodes.Where(x => x.Depth == 2).Select(x => int.Parse(x.Segment)).ToHashSet();
                var next = Enumerable.Range(FirstRegionItem, 100 - FirstRegionItem).FirstOrDefault(n => !used.Contains(n));
                if (next == 0) throw new InvalidOperationException("部门类的项代码（30–99）已用尽，无法为新的行政区划生成项");
                var segment = next.ToString("00");
                var node = new Classification
                {
                    Code = "3" + segment, ParentCode = "3", Depth = 2, Segment = segment, Name = regions.FullName(region) is { Length: > 0 } full ? full : region,
                    ClassCode = 3, ItemCode = segment, RegionCode = region, Origin = ClassificationOrigins.Generated, SortOrder = next,
                    Description = $"行政区划 {region} 的部门（自动生成）", CreatedAt = now, UpdatedAt = now,
                };
                db.Classifications.Add(node);
                nodes.Add(node);
                regionItems[region] = node;
                items++;
            }

            var byDepartment = nodes.Where(x => x.Depth == 3 && x.DepartmentId is not null).ToDictionary(x => x.DepartmentId!.Value);
            foreach (var d in depts.OrderBy(d => d.RegionCode, StringComparer.Ordinal).ThenBy(d => (int)d.Kind).ThenBy(d => d.SortOrder).ThenBy(d => d.Name, StringComparer.Ordinal))
            {
                if (byDepartment.TryGetValue(d.Id, out var existing))
                {
                    if (existing.Name != d.Name) { existing.Name = d.Name; existing.UpdatedAt = now; renamed++; }
                    if (!existing.IsActive) { existing.IsActive = true; existing.UpdatedAt = now; reactivated++; }
                    continue;
                }
                var item = regionItems[d.RegionCode];
                var digit = (int)d.Kind is >= 1 and <= 9 ? (int)d.Kind : 9;
                var used = nodes.Where(x => x.ParentCode == item.Code).Select(x => x.Segment).ToHashSet();
                var ordinal = Enumerable.Range(1, 99).FirstOrDefault(n => !used.Contains($"{digit}{n:00}"));
                if (ordinal == 0) throw new InvalidOperationException($"{item.Name}的{DepartmentKinds.Names.GetValueOrDefault(d.Kind, "其他")}部门已超过99个，目代码已用尽");
                var segment = $"{digit}{ordinal:00}";
                var node = new Classification
                {
                    Code = item.Code + segment, ParentCode = item.Code, Depth = 3, Segment = segment, Name = d.Name, ClassCode = 3,
                    ItemCode = item.Segment, CategoryCode = segment, DepartmentId = d.Id, Origin = ClassificationOrigins.Generated,
                    SortOrder = int.Parse(segment), CreatedAt = now, UpdatedAt = now,
                };
                db.Classifications.Add(node);
                nodes.Add(node);
                byDepartment[d.Id] = node;
                categories++;
            }

            var active = depts.Select(d => d.Id).ToHashSet();
            foreach (var node in byDepartment.Values.Where(n => n.IsActive && !active.Contains(n.DepartmentId!.Value)))
            {
                node.IsActive = false;
                node.UpdatedAt = now;
                deactivated++;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new DepartmentBranchSync(items, categories, renamed, deactivated, reactivated);
        });
    }

    /// <summary>
    /// Adds a node. 细目 (under a 目 or 细目) are added by the compilers of the department that owns the branch
    /// (部门类: the department's own 目; 基础类/主题类: any 目, the new 细目 then belongs to the compiler's department).
    /// 项 and 目 of 基础类/主题类 are added by platform administrators (provinces extend the guide's tables).
    /// The 部门类 项/目 come only from the department tree.
    /// </summary>
    public async Task<CatalogResult<Classification>> CreateAsync(CatalogActor actor, ClassificationInput input, CancellationToken ct = default)
    {
        var name = ResourceValidator.Blank(input.Name);
        var parentCode = ResourceValidator.Blank(input.ParentCode);
        var errors = new Dictionary<string, string[]>();
        if (name is null) errors["name"] = ["分类名称不能为空"];
        else if (name.Length > 100) errors["name"] = ["分类名称不能超过100个字"];
        if (input.Description?.Length > 500) errors["description"] = ["说明不能超过500个字"];
        if (parentCode is null) errors["parentCode"] = ["请选择上级分类"];
        if (errors.Count > 0) return CatalogResult<Classification>.Invalid(errors);

        var parent = await db.Classifications.FirstOrDefaultAsync(x => x.Code == parentCode, ct);
        if (parent is null) return CatalogResult<Classification>.Invalid("parentCode", $"上级分类“{parentCode}”不存在");
        if (!parent.IsActive) return CatalogResult<Classification>.Invalid("parentCode", $"上级分类“{parent.Code} {parent.Name}”已停用");
        var depth = parent.Depth + 1;
        if (depth > MaxDepth) return CatalogResult<Classification>.Invalid("parentCode", "细目最多4级（指南建议控制在3至4级），不能再往下细分");

        Guid? owner = null;
        if (depth <= 3)
        {
            if (parent.ClassCode == 3) return CatalogResult<Classification>.Deny("部门类的项和目由部门树自动生成，不能手工添加");
            if (!actor.IsPlatformAdmin) return CatalogResult<Classification>.Deny("只有平台管理员可以扩充基础类、主题类的项和目");
        }
        else
        {
            if (!actor.IsCompiler || actor.Department is null) return CatalogResult<Classification>.Deny("只有部门编目员可以为本部门添加细目");
            var branchOwner = parent.DepartmentId;
            if (parent.ClassCode == 3 && branchOwner != actor.Department.Id)
                return CatalogResult<Classification>.Deny("只能在本部门的目下添加细目");
            if (parent.Depth >= 4 && branchOwner != actor.Department.Id)
                return CatalogResult<Classification>.Deny("该细目由其他部门管理，不能在其下添加细目");
            owner = actor.Department.Id;
        }

        var width = depth switch { 2 => 2, 3 => 3, _ => 0 };
        var segment = ResourceValidator.Blank(input.Segment);
        var siblings = await db.Classifications.Where(x => x.ParentCode == parent.Code).Select(x => x.Segment).ToListAsync(ct);
        if (segment is null)
        {
            var w = width == 0 ? 2 : width;
            var max = (int)Math.Pow(10, w) - 1;
            var next = Enumerable.Range(1, max).Select(n => n.ToString().PadLeft(w, '0')).FirstOrDefault(x => !siblings.Contains(x));
            if (next is null) return CatalogResult<Classification>.Invalid("segment", "该分类下的代码已用尽");
            segment = next;
        }
        else if (!segment.All(char.IsAsciiDigit))
            return CatalogResult<Classification>.Invalid("segment", $"分类代码“{segment}”只能包含数字");
        else if (width > 0 && segment.Length != width)
            return CatalogResult<Classification>.Invalid("segment", $"{(depth == 2 ? "项" : "目")}代码应为{width}位数字");
        else if (width == 0 && segment.Length is < 1 or > 4)
            return CatalogResult<Classification>.Invalid("segment", "细目代码应为1至4位数字");
        else if (segment.All(c => c == '0'))
            return CatalogResult<Classification>.Invalid("segment", "分类代码不能全为0");

        var code = parent.Code + segment;
        if (code.Length >= 6 && ResourceCode.ValidatePrefix(code) is { } prefixError)
            return CatalogResult<Classification>.Invalid("segment", prefixError);
        if (await db.Classifications.AnyAsync(x => x.Code == code, ct))
            return CatalogResult<Classification>.Invalid("segment", $"分类代码 {code} 已被使用（细目代码不定长，拼接后不能与已有分类重复）");

        var now = clock.GetUtcNow().UtcDateTime;
        var node = new Classification
        {
            Code = code, ParentCode = parent.Code, Depth = depth, Segment = segment, Name = name!, ClassCode = parent.ClassCode,
            ItemCode = depth >= 2 ? code.Substring(1, 2) : null, CategoryCode = depth >= 3 ? code.Substring(3, 3) : null,
            DetailPath = depth >= 4 ? code[6..] : "", DepartmentId = owner ?? (depth >= 4 ? parent.DepartmentId : null),
            Origin = ClassificationOrigins.Custom, SortOrder = siblings.Count + 1, Description = ResourceValidator.Blank(input.Description),
            CreatedAt = now, UpdatedAt = now,
        };
        db.Classifications.Add(node);
        await db.SaveChangesAsync(ct);
        return CatalogResult<Classification>.Success(node);
    }
}
