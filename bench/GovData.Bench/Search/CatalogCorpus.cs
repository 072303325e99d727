using GovData.Catalog.Contracts;
using GovData.Catalog.Demo;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Codes;
using Microsoft.EntityFrameworkCore;

namespace GovData.Bench.Search;

/// <summary>
/// A large, realistic catalog made from the demo vocabulary (<see cref="DemoCatalog"/>: 239 resource lines of 28
/// departments, their data elements, keywords and conditions). Each generated resource is a demo line placed in one
/// of 34 districts of the demo province and one of 12 variants (年度, 汇总, 明细 …), expanded and validated by the
/// module's own code (<see cref="CatalogDemoSeeder.Expand"/>, <see cref="ResourceValidator"/>, <see cref="RevisionMapper"/>).
/// States: 88% published, 3% published with a revision draft, 5% draft, 2% pending, 2% offline.
/// </summary>
internal static class CatalogCorpus
{
    private static readonly string[] Districts =
    [
        "济南市历下区", "济南市市中区", "济南市槐荫区", "济南市天桥区", "济南市历城区", "济南市长清区", "济南市章丘区", "济南市济阳区", "济南市莱芜区",
        "济南市钢城区", "济南市平阴县", "济南市商河县", "青岛市市南区", "青岛市市北区", "青岛市黄岛区", "青岛市崂山区", "青岛市李沧区", "青岛市城阳区",
        "青岛市即墨区", "青岛市胶州市", "青岛市平度市", "青岛市莱西市", "临沂市兰山区", "临沂市罗庄区", "临沂市河东区", "临沂市沂南县", "临沂市郯城县",
        "临沂市沂水县", "临沂市兰陵县", "临沂市费县", "临沂市平邑县", "临沂市莒南县", "临沂市蒙阴县", "临沂市临沭县",
    ];

    private static readonly string[] Variants =
        ["", "（汇总）", "（明细）", "（历史数据）", "（2021年度）", "（2022年度）", "（2023年度）", "（2024年度）", "（季度统计）", "（按乡镇）", "（共享交换）", "（归集库）"];

    /// <summary>The demo departments, named like the Identity demo.</summary>
    public static List<DepartmentInfo> Departments()
    {
        var cities = new Dictionary<string, string> { ["370000"] = "山东省", ["370100"] = "济南市", ["370200"] = "青岛市", ["371300"] = "临沂市" };
        return DemoCatalog.Departments.Select((d, i) => new DepartmentInfo(
            Guid.CreateVersion7(),
            (d.Key == "swb" ? "中共山东省委办公厅" : cities[d.Region] + d.NameFragment) + "（演示）",
            CreditCode.Create('1', '1', d.Region, $"1{i:D3}{d.Region[..4]}").Value,
            d.Key switch
            {
                "swb" => DepartmentKind.PartyCommittee, "rd" => DepartmentKind.PeoplesCongress, "zx" => DepartmentKind.PoliticalConsultative,
                "fy" => DepartmentKind.Court, "jcy" => DepartmentKind.Procuratorate, "xxzx" => DepartmentKind.PublicInstitution, _ => DepartmentKind.Government,
            },
            null, d.Region, d.Key.EndsWith("dsj", StringComparison.Ordinal), [], i * 10)).ToList();
    }

    /// <summary>One generated entry with its revisions (published and/or working).</summary>
    public sealed record Generated(CatalogEntry Entry, List<ResourceRevision> Revisions);

    /// <summary>
    /// Prepares the classification tree (部门类 branch, the demo's practice 目) through <see cref="ClassificationService"/>
    /// and generates <paramref name="count"/> entries in memory (not saved).
    /// </summary>
    public static async Task<List<Generated>> GenerateAsync(CatalogDb db, ClassificationService classifications, IReadOnlyList<DepartmentInfo> departments, int count)
    {
        await classifications.SyncDepartmentBranchAsync();
        var competent = departments.First(d => d.IsCompetent && d.RegionCode == "370000");
        var admin = new CatalogActor(null, "平台管理员（基准测试）", competent, false, false, true);
        foreach (var (item, names) in DemoCatalog.ExtraCategories)
        {
            var existing = await db.Classifications.AsNoTracking().Where(c => c.ParentCode == item).Select(c => c.Name).ToListAsync();
            foreach (var name in names.Where(n => !existing.Contains(n)))
                if (!(await classifications.CreateAsync(admin, new ClassificationInput(item, null, name, "演示扩充"))).Ok)
                    throw new InvalidOperationException($"无法创建目“{name}”");
        }
        var byKey = DemoCatalog.Departments.Select((d, i) => (d.Key, Dept: departments[i])).ToDictionary(x => x.Key, x => x.Dept);
        var categories = new Dictionary<Guid, string>();
        foreach (var d in departments)
            categories[d.Id] = await classifications.EnsureDepartmentCategoryAsync(d.Id) ?? throw new InvalidOperationException($"{d.Name} 没有部门类的目");
        var nodes = new Dictionary<string, ClassificationNode>();
        // Continue after entries already in the database (the demo catalog, when the run seeds it), so codes never collide.
        var sequences = await db.Entries.AsNoTracking().GroupBy(e => e.ClassificationCode)
            .Select(g => new { g.Key, Max = g.Max(e => e.Sequence) }).ToDictionaryAsync(x => x.Key, x => x.Max);
        var templates = DemoCatalog.Resources;
        var start = DateTime.UtcNow.AddDays(-730);
        var step = TimeSpan.FromDays(720.0 / count);
        var list = new List<Generated>(count);
        for (var i = 0; i < count; i++)
        {
            var t = templates[i % templates.Length];
            var k = i / templates.Length;
            var dept = byKey[t.Dept];
            var name = Districts[k % Districts.Length] + t.Name + Variants[k / Districts.Length % Variants.Length];
            if (name.Length > ResourceValidator.NameMax) name = t.Name + Variants[k / Districts.Length % Variants.Length];
            var target = t.Target.StartsWith('D') ? categories[dept.Id] : t.Target;
            if (!nodes.TryGetValue(target, out var node))
                nodes[target] = node = await classifications.FindNodeAsync(target) ?? throw new InvalidOperationException($"分类 {target} 不存在");
            var input = ResourceValidator.WithDefaults(CatalogDemoSeeder.Expand(t with { Name = name }, dept, target), dept);
            var check = ResourceValidator.Validate(input, node, dept, ValidationMode.Submit);
            if (!check.IsValid) throw new InvalidOperationException($"生成的资源“{name}”未通过校验：" + string.Join("；", check.ToDictionary().Select(e => $"{e.Key} {string.Join("，", e.Value)}")));
            var sequence = sequences[node.Code] = sequences.GetValueOrDefault(node.Code) + 1;
            var code = ResourceCode.FromPrefix(node.Code, sequence);
            var now = start + step * i;
            list.Add(Build(code, dept, check.Content!, now, i));
        }
        return list;
    }

    private static Generated Build(ResourceCode code, DepartmentInfo dept, ResourceContent content, DateTime now, int index)
    {
        var fate = (index * 37 % 100) switch
        {
            < 5 => EntryStatus.Draft,
            < 7 => EntryStatus.Pending,
            < 9 => EntryStatus.Offline,
            _ => EntryStatus.Published,
        };
        var withRevision = fate == EntryStatus.Published && index * 37 % 100 is >= 9 and < 12;
        var entry = new CatalogEntry
        {
            Id = Guid.CreateVersion7(), Code = code.ToString(), ClassificationCode = code.Prefix, ClassCode = code.ClassCode, ItemCode = code.ItemCode,
            CategoryCode = code.CategoryCode, DetailPath = code.DetailPath, Sequence = code.Sequence, DepartmentId = dept.Id, Status = fate,
            LastRevisionNumber = 1, MetadataIdentifier = "", CreatedAt = now, UpdatedAt = now.AddHours(6), Version = 3,
        };
        entry.MetadataIdentifier = entry.Id.ToString();
        var first = Revision(entry, 1, content, now);
        var revisions = new List<ResourceRevision> { first };
        if (fate is EntryStatus.Draft or EntryStatus.Pending)
        {
            first.Status = fate == EntryStatus.Draft ? RevisionStatus.Draft : RevisionStatus.Pending;
            first.SubmittedAt = fate == EntryStatus.Pending ? now.AddHours(2) : null;
            entry.WorkingRevisionId = first.Id;
            return new Generated(entry, revisions);
        }
        first.Status = fate == EntryStatus.Offline ? RevisionStatus.Offline : RevisionStatus.Published;
        first.SubmittedAt = now.AddHours(2);
        first.ReviewedAt = now.AddHours(6);
        first.ReviewerName = "目录审核员（基准测试）";
        first.PublishDate = ResourceService.ChinaDate(now.AddHours(6));
        entry.PublishedRevisionId = first.Id;
        entry.FirstPublishedAt = first.ReviewedAt;
        if (fate == EntryStatus.Offline)
        {
            entry.OfflineAt = now.AddDays(30);
            entry.OfflineReason = "源业务系统已整合停用";
        }
        if (withRevision)
        {
            var second = Revision(entry, 2, content with { Abstract = content.Abstract + "（修订：补充数据来源说明）" }, now.AddDays(20));
            entry.LastRevisionNumber = 2;
            entry.WorkingRevisionId = second.Id;
            revisions.Add(second);
        }
        return new Generated(entry, revisions);
    }

    private static ResourceRevision Revision(CatalogEntry entry, int number, ResourceContent content, DateTime now)
    {
        var r = new ResourceRevision
        {
            Id = Guid.CreateVersion7(), EntryId = entry.Id, Number = number, Status = RevisionStatus.Draft, Name = content.Name,
            CreatedAt = now, UpdatedAt = now, MetadataUpdatedAt = now,
        };
        RevisionMapper.Apply(r, content with { Abstract = content.Abstract is { Length: > ResourceValidator.AbstractMax } a ? a[..ResourceValidator.AbstractMax] : content.Abstract }, now);
        return r;
    }
}
