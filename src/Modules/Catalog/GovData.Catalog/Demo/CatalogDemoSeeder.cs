using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Catalog.Demo;

/// <summary>
/// 演示目录: generates the 部门类 branch, adds practice 目 and each department's 细目, then files the resources of
/// <see cref="DemoCatalog"/> through the real workflow (create → submit → approve/reject → revise → withdraw), so
/// codes, validation, history and every lifecycle state are genuine. Dates are spread over the past eighteen months.
/// </summary>
internal sealed class CatalogDemoSeeder : IDemoSeeder
{
    public string Module => "catalog";
    public int Order => 20;

    /// <summary>How the n-th resource ends up (deterministic, so the demo is the same on every install).</summary>
    internal enum Fate { Draft, Pending, Rejected, Published, PublishedAfterRejection, RevisionDraft, RevisionPending, RevisionRejected, Offline }

    internal static Fate FateOf(int index) => (index % 32) switch
    {
        0 or 16 => Fate.Draft,
        1 or 17 => Fate.Pending,
        2 or 18 => Fate.Rejected,
        3 or 19 => Fate.RevisionDraft,
        4 or 20 => Fate.RevisionPending,
        5 => Fate.Offline,
        21 => Fate.RevisionRejected,
        6 or 22 or 11 => Fate.PublishedAfterRejection,
        _ => Fate.Published,
    };

    private static readonly (string Field, string Message)[] RejectionReasons =
    [
        ("abstract", "摘要应说明数据的覆盖范围、统计口径和来源系统"),
        ("keywords", "请补充便于检索的关键字"),
        ("updateCycle", "更新周期与源系统的实际更新频率不一致，请核实"),
        ("name", "名称应体现数据内容，避免使用系统名称"),
        ("shareCondition", "共享条件应写明使用部门和用途"),
    ];

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<CatalogDb>();
        if (await db.Entries.AnyAsync(ct)) return;
        var log = services.GetRequiredService<ILogger<CatalogDemoSeeder>>();
        var directory = services.GetRequiredService<IDepartmentDirectory>();
        var users = services.GetService<IUserDirectory>();
        var regions = services.GetRequiredService<RegionDirectory>();
        var database = services.GetRequiredService<GovData.SharedKernel.Persistence.DatabaseSettings>();
        var clock = new SeedClock(DateTime.UtcNow.AddDays(-540));
        var classifications = new ClassificationService(db, database, directory, regions, clock);
        var resources = new ResourceService(db, classifications, directory, regions, clock);

        var all = await directory.ListAsync(ct);
        var depts = new Dictionary<string, DepartmentInfo>();
        foreach (var d in DemoCatalog.Departments)
        {
            var match = all.Where(x => x.RegionCode == d.Region && x.Name.Contains(d.NameFragment, StringComparison.Ordinal)).OrderBy(x => x.SortOrder).FirstOrDefault();
            if (match is null) log.LogWarning("演示目录：未找到部门“{Fragment}”（{Region}），跳过其资源", d.NameFragment, d.Region);
            else depts[d.Key] = match;
        }
        var competent = all.FirstOrDefault(x => x.IsCompetent && depts.Values.All(d => regions.IsWithin(d.RegionCode, x.RegionCode)))
                        ?? all.FirstOrDefault(x => x.IsCompetent);
        if (competent is null) { log.LogWarning("演示目录：没有主管部门，无法审核，跳过"); return; }

        await classifications.SyncDepartmentBranchAsync(ct);
        var admin = new CatalogActor(null, "平台管理员（演示）", competent, false, false, true);
        foreach (var (item, names) in DemoCatalog.ExtraCategories)
        {
            var existing = await db.Classifications.AsNoTracking().Where(c => c.ParentCode == item).Select(c => c.Name).ToListAsync(ct);
            foreach (var name in names.Where(n => !existing.Contains(n)))
                Require(await classifications.CreateAsync(admin, new ClassificationInput(item, null, name, "演示扩充"), ct), $"目“{name}”");
        }

        var compilers = new Dictionary<string, CatalogActor>();
        var details = new Dictionary<string, string[]>();
        foreach (var d in DemoCatalog.Departments.Where(d => depts.ContainsKey(d.Key)))
        {
            var dept = depts[d.Key];
            var user = users is null ? null : (await users.InRoleAsync(Roles.Cataloger, dept.Id, ct)).FirstOrDefault();
            var compiler = new CatalogActor(user?.Id, user?.DisplayName ?? ShortName(dept) + "编目员（演示）", dept, true, false, false);
            compilers[d.Key] = compiler;
            var category = await classifications.EnsureDepartmentCategoryAsync(dept.Id, ct)
                           ?? throw new InvalidOperationException($"未能为{dept.Name}生成部门类的目");
            var codes = new List<string>();
            foreach (var name in d.Details)
            {
                var existing = await db.Classifications.AsNoTracking().FirstOrDefaultAsync(c => c.ParentCode == category && c.Name == name, ct);
                codes.Add(existing?.Code ?? Require(await classifications.CreateAsync(compiler, new ClassificationInput(category, null, name), ct), $"细目“{name}”").Code);
            }
            details[d.Key] = [category, .. codes];
        }

        var reviewerUser = users is null ? null : (await users.InRoleAsync(Roles.CatalogReviewer, competent.Id, ct)).FirstOrDefault();
        var reviewer = new CatalogActor(reviewerUser?.Id, reviewerUser?.DisplayName ?? "目录审核员（演示）", competent, false, true, false);

        var list = DemoCatalog.Resources.Where(r => depts.ContainsKey(r.Dept)).ToList();
        var step = TimeSpan.FromDays(500.0 / Math.Max(1, list.Count));
        for (var i = 0; i < list.Count; i++)
        {
            var r = list[i];
            clock.Now = DateTime.UtcNow.AddDays(-540) + step * i;
            var target = r.Target.StartsWith('D') ? details[r.Dept][r.Target.Length == 1 ? 0 : int.Parse(r.Target[1..])] : r.Target;
            var input = Expand(r, depts[r.Dept], target);
            await FileAsync(resources, clock, compilers[r.Dept], reviewer, input, FateOf(i), i, ct);
        }
        log.LogInformation("演示目录：已写入 {Count} 条信息资源", list.Count);
    }

    private static async Task FileAsync(ResourceService service, SeedClock clock, CatalogActor compiler, CatalogActor reviewer, ResourceInput input, Fate fate, int index, CancellationToken ct)
    {
        EntryDto Step(CatalogResult<EntryDto> result, string what)
        {
            clock.Now = clock.Now.AddHours(3 + index % 5);
            return Require(result, $"“{input.Name}”{what}");
        }
        var e = Step(await service.CreateAsync(compiler, input, ct), "新建");
        if (fate == Fate.Draft) return;
        e = Step(await service.SubmitAsync(compiler, e.Code, e.Version, ct), "报送");
        if (fate == Fate.Pending) return;
        var reason = RejectionReasons[index % RejectionReasons.Length];
        if (reason.Field == "shareCondition" && string.IsNullOrEmpty(input.ShareCondition)) reason = RejectionReasons[0];
        if (fate is Fate.Rejected or Fate.PublishedAfterRejection)
        {
            e = Step(await service.RejectAsync(reviewer, e.Code, e.Version, "请按意见修改后重新报送", new Dictionary<string, string> { [reason.Field] = reason.Message }, ct), "驳回");
            if (fate == Fate.Rejected) return;
            e = Step(await service.UpdateAsync(compiler, e.Code, e.Version, Revise(input, reason.Field), ct), "整改");
            e = Step(await service.SubmitAsync(compiler, e.Code, e.Version, ct), "重新报送");
        }
        e = Step(await service.ApproveAsync(reviewer, e.Code, e.Version, index % 3 == 0 ? "符合编目规范，同意发布" : null, ct), "审核通过");
        if (fate is Fate.Published or Fate.PublishedAfterRejection) return;
        if (fate == Fate.Offline)
        {
            clock.Now = clock.Now.AddDays(30);
            Step(await service.WithdrawAsync(compiler, e.Code, e.Version, "源业务系统已整合停用，数据并入新资源", ct), "下线");
            return;
        }
        clock.Now = clock.Now.AddDays(20);
        e = Step(await service.UpdateAsync(compiler, e.Code, e.Version, Revise(input, index % 2 == 0 ? "updateCycle" : "abstract"), ct), "修订");
        if (fate == Fate.RevisionDraft) return;
        e = Step(await service.SubmitAsync(compiler, e.Code, e.Version, ct), "报送修订");
        if (fate == Fate.RevisionPending) return;
        Step(await service.RejectAsync(reviewer, e.Code, e.Version, null, new Dictionary<string, string> { ["abstract"] = "修订内容请说明变更原因" }, ct), "驳回修订");
    }

    /// <summary>A plausible correction of the field a reviewer complained about.</summary>
    internal static ResourceInput Revise(ResourceInput input, string field) => field switch
    {
        "keywords" => input with { Keywords = [.. input.Keywords ?? [], "政务数据"] },
        "updateCycle" => input with { UpdateCycle = input.UpdateCycle == "实时" ? "每日" : "实时" },
        "name" => input with { Name = input.Name!.EndsWith("信息", StringComparison.Ordinal) ? input.Name : input.Name + "信息" },
        "shareCondition" => input with { ShareCondition = input.ShareCondition + "（限履职需要，不得转授）" },
        _ => input with { Abstract = Trim(input.Abstract + "数据来源于部门业务系统，经质量校核后发布。", ResourceValidator.AbstractMax) },
    };

    /// <summary>Expands a compact demo line into the input a compiler would submit.</summary>
    internal static ResourceInput Expand(DemoCatalog.Resource r, DepartmentInfo dept, string classificationCode)
    {
        var colon = r.Format.IndexOf(':');
        var category = r.Format[..colon];
        var typeOrDescription = r.Format[(colon + 1)..];
        var describe = category is "自描述格式" or "其他";
        var items = r.Items.Length == 0 ? [] : r.Items.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Item).ToList();
        var (shareType, shareText) = Split(r.Share);
        var (openType, openText) = Split(r.Open);
        var shared = shareType != "不予";
        var channelType = category switch
        {
            "服务接口" => "接口(服务)",
            "数据库" => "数据库(库表)",
            _ => "文件(下载)",
        };
        return new ResourceInput(
            ClassificationCode: classificationCode,
            Name: r.Name,
            Abstract: r.Abstract ?? AbstractOf(r, dept, items),
            FormatCategory: category,
            FormatType: describe ? null : typeOrDescription,
            FormatDescription: describe ? typeOrDescription : null,
            Items: items,
            ShareType: shareType + "共享",
            ShareCondition: shareType == "有条件" ? shareText : null,
            ShareBasis: shareType == "不予" ? shareText : null,
            ShareChannel: shared ? "共享平台方式" : null,
            ShareMethodType: shared ? channelType : null,
            OpenType: openType switch { "无条件" => "无条件开放", "有条件" => "有条件开放", _ => "不予开放" },
            OpenCondition: openType == "有条件" ? openText : null,
            UpdateCycle: r.Cycle,
            Keywords: [.. r.Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
    }

    private static ItemInput Item(string token)
    {
        var isKey = token.EndsWith('*');
        var t = token.TrimEnd('*');
        var eq = t.IndexOf('=');
        if (eq > 0)
        {
            var name = t[..eq];
            var spec = t[(eq + 1)..];
            var c = spec.IndexOf(':');
            return new ItemInput(name, spec[..c], spec[(c + 1)..], Required: isKey, IsKey: isKey, Sensitivity: "公开");
        }
        if (!DemoElements.All.TryGetValue(t, out var e)) throw new InvalidOperationException($"演示数据元“{t}”未定义");
        return new ItemInput(t, e.Code, e.Type, Required: isKey, IsKey: isKey, ValueDomain: e.Domain, Sensitivity: e.Sensitivity, MaskingRule: e.Masking);
    }

    private static string AbstractOf(DemoCatalog.Resource r, DepartmentInfo dept, List<ItemInput> items)
    {
        var provider = dept.Name.Replace("（演示）", "", StringComparison.Ordinal);
        var text = items.Count > 0
            ? $"{provider}掌握的{r.Name}，包括{string.Join("、", items.Take(4).Select(i => i.Name))}{(items.Count > 4 ? "等" : "")}{items.Count}项信息，更新周期为{r.Cycle}。"
            : $"{provider}发布的{r.Name}（{r.Format.Replace(':', '/')}），更新周期为{r.Cycle}。";
        return Trim(text, ResourceValidator.AbstractMax);
    }

    private static (string Kind, string? Text) Split(string spec)
    {
        var colon = spec.IndexOf(':');
        return colon < 0 ? (spec, null) : (spec[..colon], spec[(colon + 1)..]);
    }

    private static string ShortName(DepartmentInfo d) => d.Name.Replace("（演示）", "", StringComparison.Ordinal).Replace("山东省", "", StringComparison.Ordinal);

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "。";

    private static T Require<T>(CatalogResult<T> result, string what) => result.Ok
        ? result.Value!
        : throw new InvalidOperationException($"演示目录写入失败：{what}：" + (result.Errors is { } e
            ? string.Join("；", e.Select(x => $"{x.Key} {string.Join("，", x.Value)}"))
            : result.Forbidden ?? result.Conflict ?? "未找到"));

    /// <summary>A clock the seeder moves forward, so the demo history spans months.</summary>
    private sealed class SeedClock(DateTime start) : TimeProvider
    {
        public DateTime Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Now, DateTimeKind.Utc));
    }
}
