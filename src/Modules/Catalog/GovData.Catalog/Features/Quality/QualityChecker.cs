using System.Text.Json;
using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Codes;
using F = GovData.Catalog.Domain.ResourceFields;

namespace GovData.Catalog.Features.Quality;

/// <summary>A published entry with the content it is published with (items loaded).</summary>
internal sealed record CheckedEntry(CatalogEntry Entry, ResourceRevision Revision);

/// <summary>What one quality run looks at.</summary>
/// <param name="Entries">The published entries of the scope's departments.</param>
/// <param name="Nodes">The whole classification tree by code.</param>
/// <param name="Departments">The departments of the scope (coverage is counted over them).</param>
/// <param name="Directory">Every department known to the directory, by id (to check providers).</param>
/// <param name="Authorities">Authoritative sources designated by competent departments.</param>
/// <param name="NowUtc">The time of the check.</param>
internal sealed record QualitySnapshot(
    IReadOnlyList<CheckedEntry> Entries, IReadOnlyDictionary<string, Classification> Nodes, IReadOnlyList<DepartmentInfo> Departments,
    IReadOnlyDictionary<Guid, DepartmentInfo> Directory, IReadOnlyList<QualityAuthority> Authorities, DateTime NowUtc);

/// <summary>A ratio against the 80% threshold.</summary>
internal sealed record CoverageFigure(int Covered, int Total, double Ratio, bool Met);

/// <summary>How many published resources (and of how many departments) count for a domain.</summary>
internal sealed record DomainCoverageItem(string Domain, int Resources, int Departments, bool Covered);

/// <summary>A department of the scope and its published resources.</summary>
internal sealed record DepartmentCoverageItem(Guid DepartmentId, string Name, string RegionCode, int Resources, bool Covered);

/// <summary>目录覆盖度 of a run: the 12 domains and the scope's departments, each against the 80% threshold.</summary>
internal sealed record CoverageReport(double Threshold, CoverageFigure Domains, CoverageFigure Departments,
    IReadOnlyList<DomainCoverageItem> DomainItems, IReadOnlyList<DepartmentCoverageItem> DepartmentItems)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CoverageReport? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<CoverageReport>(json, Json);

    /// <summary>covered/total as a ratio (0 when there is nothing to cover).</summary>
    public static CoverageFigure Figure(int covered, int total)
    {
        var ratio = total == 0 ? 0 : Math.Round((double)covered / total, 4);
        return new CoverageFigure(covered, total, ratio, total > 0 && covered >= AssessedDomains.Threshold * total - 1e-9);
    }
}

/// <summary>One provider of a data element in a 一数多源 group.</summary>
internal sealed record SourceMember(Guid EntryId, string Code, string Name, Guid DepartmentId, string DepartmentName, string Class,
    string ItemName, string? FieldCode, bool Designated, bool Authoritative, bool ReferencesAuthority);

/// <summary>Details of a 一数多源 finding: every provider of the element in the scope and the authoritative one.</summary>
internal sealed record MultipleSourceDetails(string Element, Guid? AuthoritativeEntryId, string Decision, IReadOnlyList<SourceMember> Members)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MultipleSourceDetails? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonSerializer.Deserialize<MultipleSourceDetails>(json, Json); }
        catch (JsonException) { return null; }
    }
}

/// <summary>Outcome of the checks: findings (not yet bound to a run) and coverage.</summary>
internal sealed record QualityOutcome(IReadOnlyList<QualityFinding> Findings, CoverageReport Coverage);

/// <summary>
/// The quality rules (<see cref="QualityRules"/>) applied to a <see cref="QualitySnapshot"/>. Pure: no database, no clock,
/// so every rule is testable on its own. Each finding names the resource (name and code) and the field in Chinese.
/// </summary>
internal static class QualityChecker
{
    /// <summary>Grace period added to an update cycle: half the cycle, at least 7 and at most 30 days.</summary>
    public static TimeSpan Grace(TimeSpan period) =>
        TimeSpan.FromDays(Math.Clamp(period.TotalDays / 2, 7, 30));

    /// <summary>Length of an update cycle; 不定期 and 其他 are held to one year.</summary>
    public static TimeSpan Period(UpdateCycle cycle) => cycle switch
    {
        UpdateCycle.Realtime or UpdateCycle.Daily => TimeSpan.FromDays(1),
        UpdateCycle.Weekly => TimeSpan.FromDays(7),
        UpdateCycle.TenDays => TimeSpan.FromDays(10),
        UpdateCycle.Monthly => TimeSpan.FromDays(31),
        UpdateCycle.Quarterly => TimeSpan.FromDays(92),
        UpdateCycle.HalfYearly => TimeSpan.FromDays(183),
        _ => TimeSpan.FromDays(366),
    };

    public static QualityOutcome Run(QualitySnapshot s)
    {
        var findings = new List<QualityFinding>();
        foreach (var e in s.Entries.OrderBy(x => x.Entry.Code, StringComparer.Ordinal))
        {
            var dept = s.Directory.GetValueOrDefault(e.Entry.DepartmentId);
            CheckBlankItems(e, findings);
            CheckConditionalItems(e, findings);
            CheckInformationItems(e, findings);
            CheckProvider(e, dept, findings);
            CheckCode(e, dept, findings);
            CheckClassification(e, dept, s.Nodes, findings);
            CheckShare(e, s.Nodes, findings);
            CheckUpdate(e, s.NowUtc, findings);
        }
        CheckMultipleSources(s, findings);
        var coverage = Coverage(s, findings);
        foreach (var finding in findings)
            if (finding.DepartmentId is { } id && s.Directory.GetValueOrDefault(id) is { } d) finding.DepartmentName = d.Name;
        return new QualityOutcome(findings, coverage);
    }

    // ------------------------------------------------------------------ 目录规范性

    private static void CheckBlankItems(CheckedEntry e, List<QualityFinding> f)
    {
        var r = e.Revision;
        void Require(bool blank, string field)
        {
            if (blank) Add(f, QualityRules.MissingItem, Severities.Error, e, field, $"{Who(e)}的“{Label(field)}”为空");
        }
        Require(Blank(r.Name), F.Name);
        Require(Blank(r.Abstract), F.Abstract);
        Require(Blank(r.ProviderName), F.ProviderName);
        Require(Blank(r.ProviderCode), F.ProviderCode);
        Require(r.FormatCategory is null, F.FormatCategory);
        if (r.FormatCategory is { } fc && !ResourceFormats.NeedsDescription(fc)) Require(Blank(r.FormatType), F.FormatType);
        Require(r.ShareType is null, F.ShareType);
        if (r.ShareType is { } st && st != ShareType.NotShared) Require(r.ShareChannel is null, F.ShareChannel);
        Require(r.OpenType is null, F.OpenType);
        Require(r.UpdateCycle is null, F.UpdateCycle);
        Require(r.PublishDate is null, F.PublishDate);
        Require(Blank(r.MetadataMaintainer), F.MetadataMaintainer);
        Require(r.SecurityClass is null, F.SecurityClass);
        Require(r.Hierarchy is null, F.Hierarchy);
    }

    private static void CheckConditionalItems(CheckedEntry e, List<QualityFinding> f)
    {
        var r = e.Revision;
        void Require(bool missing, string field, string why)
        {
            if (missing) Add(f, QualityRules.MissingConditional, Severities.Error, e, field, $"{Who(e)}{why}，但“{Label(field)}”为空");
        }
        Require(r.ShareType == ShareType.Conditional && Blank(r.ShareCondition), F.ShareCondition, "的共享类型为“有条件共享”");
        Require(r.OpenType == OpenType.Conditional && Blank(r.OpenCondition), F.OpenCondition, "的开放类型为“有条件开放”");
        Require(r.FormatCategory is { } fc && ResourceFormats.NeedsDescription(fc) && Blank(r.FormatDescription), F.FormatDescription,
            $"的格式分类为“{CatalogTerms.Label(r.FormatCategory)}”");
        Require(r.UpdateCycle == UpdateCycle.Other && Blank(r.UpdateCycleNote), F.UpdateCycleNote, "的更新周期为“其他”");
        Require(r.ShareType != ShareType.NotShared && r.ShareChannel == ShareChannel.Platform && r.ShareMethodType is null, F.ShareMethodType,
            "通过共享平台共享");
    }

    private static void CheckInformationItems(CheckedEntry e, List<QualityFinding> f)
    {
        var r = e.Revision;
        if (r.FormatCategory is { } fc && ResourceFormats.IsStructured(fc) && r.Items.Count == 0)
            Add(f, QualityRules.IncompleteItems, Severities.Error, e, F.Items,
                $"{Who(e)}是结构化资源（{CatalogTerms.Label(fc)}），但没有描述信息项（名称、数据类型、长度）");
        var index = 0;
        foreach (var item in r.Items.OrderBy(i => i.Ordinal))
        {
            var i = index++;
            var name = $"信息项“{item.Name}”";
            if (Blank(item.FieldCode))
                Add(f, QualityRules.IncompleteItems, Severities.Error, e, F.ItemKey(i, "fieldCode"), $"{Who(e)}的{name}没有字段代码（英文）",
                    label: $"{name}的字段代码");
            if (item.DataType is not { } type)
                Add(f, QualityRules.IncompleteItems, Severities.Error, e, F.ItemKey(i, "dataType"), $"{Who(e)}的{name}没有数据类型",
                    label: $"{name}的数据类型");
            else if (new DataTypeSpec(type, item.Length, item.Precision).Validate() is { } problem)
                Add(f, QualityRules.IncompleteItems, Severities.Error, e, F.ItemKey(i, "length"), $"{Who(e)}的{name}：{problem}",
                    label: $"{name}的数据长度");
        }
    }

    private static void CheckProvider(CheckedEntry e, DepartmentInfo? dept, List<QualityFinding> f)
    {
        if (dept is null || Blank(e.Revision.ProviderName)) return;
        var name = e.Revision.ProviderName!.Trim();
        if (name != dept.Name)
            Add(f, QualityRules.ProviderName, Severities.Warning, e, F.ProviderName,
                $"{Who(e)}的信息资源提供方为“{name}”，与编目部门现名“{dept.Name}”不一致");
    }

    // ------------------------------------------------------------------ 代码合规性

    private static void CheckCode(CheckedEntry e, DepartmentInfo? dept, List<QualityFinding> f)
    {
        var entry = e.Entry;
        if (!ResourceCode.TryParse(entry.Code, out var code, out var error) || !ResourceCode.HasValidShape(entry.Code))
        {
            Add(f, QualityRules.CodeShape, Severities.Error, e, F.Code, $"{Who(e)}的信息资源代码不合规：{error ?? "不符合“前段码/后段码”的数字格式"}");
        }
        else if (code.Prefix != entry.ClassificationCode)
        {
            Add(f, QualityRules.CodeShape, Severities.Error, e, F.Code,
                $"{Who(e)}的前段码 {code.Prefix} 与所属分类 {entry.ClassificationCode} 不一致");
        }
        else if (code.Sequence != entry.Sequence)
        {
            Add(f, QualityRules.CodeShape, Severities.Error, e, F.Code, $"{Who(e)}的后段码 {code.Suffix} 与登记的顺序码 {entry.Sequence} 不一致");
        }
        else if (string.Concat(entry.ClassCode.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.ItemCode, entry.CategoryCode, entry.DetailPath) != entry.ClassificationCode)
        {
            Add(f, QualityRules.CodeShape, Severities.Error, e, F.Code,
                $"{Who(e)}登记的类/项/目/细目（{entry.ClassCode}/{entry.ItemCode}/{entry.CategoryCode}/{entry.DetailPath}）与前段码 {entry.ClassificationCode} 不一致");
        }

        var provider = e.Revision.ProviderCode?.Trim().ToUpperInvariant();
        if (dept is null)
        {
            Add(f, QualityRules.ProviderCode, Severities.Error, e, F.ProviderCode, $"{Who(e)}的编目部门已不在部门名录中（已撤销或合并），无法核对提供方代码");
            return;
        }
        if (string.IsNullOrEmpty(provider)) return; // reported as a blank item (NORM-01)
        if (CreditCode.Validate(provider) is { } invalid)
            Add(f, QualityRules.ProviderCode, Severities.Error, e, F.ProviderCode, $"{Who(e)}的信息资源提供方代码“{provider}”不合规：{invalid}");
        else if (!string.Equals(provider, dept.CreditCode, StringComparison.OrdinalIgnoreCase))
            Add(f, QualityRules.ProviderCode, Severities.Error, e, F.ProviderCode,
                $"{Who(e)}的信息资源提供方代码 {provider} 不是编目部门“{dept.Name}”的统一社会信用代码 {dept.CreditCode}");
    }

    private static void CheckClassification(CheckedEntry e, DepartmentInfo? dept, IReadOnlyDictionary<string, Classification> nodes, List<QualityFinding> f)
    {
        var code = e.Entry.ClassificationCode;
        if (!nodes.TryGetValue(code, out var node))
        {
            Add(f, QualityRules.ClassificationPath, Severities.Error, e, F.Classification, $"{Who(e)}所属分类“{code}”在分类表中不存在");
            return;
        }
        for (var n = node; n.Depth > 1; )
        {
            if (n.ParentCode is not { } parentCode || !nodes.TryGetValue(parentCode, out var parent) || !n.Code.StartsWith(parent.Code, StringComparison.Ordinal))
            {
                Add(f, QualityRules.ClassificationPath, Severities.Error, e, F.Classification,
                    $"{Who(e)}的分类路径不完整：“{n.Code} {n.Name}”的上级分类{(n.ParentCode is null ? "未登记" : $"“{n.ParentCode}”不存在")}");
                return;
            }
            n = parent;
        }
        if (node.Depth < 3)
            Add(f, QualityRules.ClassificationPath, Severities.Error, e, F.Classification,
                $"{Who(e)}编在“{node.Code} {node.Name}”（{(node.Depth == 1 ? "类" : "项")}）下，资源须编入目或细目");
        var inactive = Ancestors(node, nodes).FirstOrDefault(a => !a.IsActive);
        if (inactive is not null)
            Add(f, QualityRules.ClassificationPath, Severities.Warning, e, F.Classification,
                $"{Who(e)}所属分类“{inactive.Code} {inactive.Name}”已停用，请调整分类后重新发布或下线该资源");
        else if (node.ClassCode == 3 && dept is not null && Ancestors(node, nodes).FirstOrDefault(a => a.Depth == 3) is { DepartmentId: { } owner } category
                 && owner != dept.Id)
            Add(f, QualityRules.ClassificationPath, Severities.Error, e, F.Classification,
                $"{Who(e)}编在其他部门的部门类目录“{category.Code} {category.Name}”下");
    }

    // ------------------------------------------------------------------ 快速校核: share types

    private static void CheckShare(CheckedEntry e, IReadOnlyDictionary<string, Classification> nodes, List<QualityFinding> f)
    {
        var r = e.Revision;
        if (r.ShareType is { } st && st != ShareType.Unconditional && nodes.TryGetValue(e.Entry.ClassificationCode, out var node)
            && Ancestors(node, nodes).FirstOrDefault(a => a.RequiresUnconditionalShare) is { } basis)
            Add(f, QualityRules.BasicShare, Severities.Error, e, F.ShareType,
                $"{Who(e)}属于{basis.Name}，共享类型应为“无条件共享”，实际为“{CatalogTerms.Label(st)}”");
        if (r.ShareType == ShareType.NotShared && Blank(r.ShareBasis))
            Add(f, QualityRules.NotSharedBasis, Severities.Error, e, F.ShareBasis, $"{Who(e)}的共享类型为“不予共享”，但未注明法律、行政法规或国家政策依据");
        if (r.ShareType == ShareType.NotShared && r.OpenType is { } ot && ot != OpenType.NotOpen)
            Add(f, QualityRules.ShareOpenConflict, Severities.Warning, e, F.OpenType, $"{Who(e)}不予共享，却向社会{CatalogTerms.Label(ot)}");
        if (r.SecurityClass == SecurityClass.Classified && (r.ShareType is { } s2 && s2 != ShareType.NotShared || r.OpenType is { } o2 && o2 != OpenType.NotOpen))
            Add(f, QualityRules.ShareOpenConflict, Severities.Error, e, F.SecurityClass,
                $"{Who(e)}为涉密资源，应不予共享、不予开放（当前：{CatalogTerms.Label(r.ShareType) ?? "未填"}、{CatalogTerms.Label(r.OpenType) ?? "未填"}）");
    }

    // ------------------------------------------------------------------ 更新机制

    private static void CheckUpdate(CheckedEntry e, DateTime now, List<QualityFinding> f)
    {
        var r = e.Revision;
        if (r.UpdateCycle is not { } cycle) return; // reported as a blank item
        var updated = LastUpdate(r);
        var period = Period(cycle);
        var allowed = period + Grace(period);
        var age = now - updated;
        if (age <= allowed) return;
        var cycleText = cycle is UpdateCycle.Irregular or UpdateCycle.Other ? $"{CatalogTerms.Label(cycle)}（按一年计）" : CatalogTerms.Label(cycle);
        Add(f, QualityRules.Stale, Severities.Warning, e, F.UpdateCycle,
            $"{Who(e)}的更新周期为“{cycleText}”，最近更新于 {updated.ToLocalTime():yyyy-MM-dd}，已 {(int)age.TotalDays} 天未更新（允许 {(int)allowed.TotalDays} 天，含宽限期 {(int)Grace(period).TotalDays} 天）");
    }

    /// <summary>
    /// The entry's last update as the catalog knows it: the later of 元数据更新日期 and 发布日期. (Once the Data module
    /// records loads, the last load time of the entry's data list replaces this.)
    /// </summary>
    public static DateTime LastUpdate(ResourceRevision r)
    {
        var metadata = DateTime.SpecifyKind(r.MetadataUpdatedAt, DateTimeKind.Utc);
        if (r.PublishDate is { } d)
        {
            var published = d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (published > metadata) return published;
        }
        return metadata;
    }

    // ------------------------------------------------------------------ 快速校核: 一数多源

    private static void CheckMultipleSources(QualitySnapshot s, List<QualityFinding> f)
    {
        var members = new List<(DataElement Element, CheckedEntry Entry, InformationItem Item, int Index)>();
        foreach (var e in s.Entries)
        {
            var index = 0;
            var seen = new HashSet<string>();
            foreach (var item in e.Revision.Items.OrderBy(i => i.Ordinal))
            {
                var i = index++;
                if (DataElements.Match(item.Name, item.FieldCode) is { } element && seen.Add(element.Name))
                    members.Add((element, e, item, i));
            }
        }
        foreach (var group in members.GroupBy(m => m.Element.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (group.Select(m => m.Entry.Entry.DepartmentId).Distinct().Count() < 2) continue;
            var element = group.First().Element;
            var designated = s.Authorities.Where(a => a.Element == element.Name).Select(a => a.EntryId).ToHashSet();
            var inGroup = group.Select(m => m.Entry.Entry.Id).ToHashSet();
            designated.IntersectWith(inGroup);

            Guid? authority = null;
            string decision;
            if (designated.Count == 1)
            {
                authority = designated.Single();
                decision = "主管部门指定的权威来源";
            }
            else if (designated.Count > 1)
            {
                decision = $"未指定权威来源：主管部门指定了{designated.Count}个资源为权威来源，须只保留一个";
            }
            else
            {
                var basic = group.Where(m => m.Entry.Entry.ClassCode == (int)ResourceClass.Basic).Select(m => m.Entry.Entry.Id).Distinct().ToList();
                if (basic.Count == 1)
                {
                    authority = basic[0];
                    decision = "唯一提供该数据元的基础类资源";
                }
                else decision = basic.Count == 0
                    ? "未指定权威来源：没有基础类资源提供该数据元，请由主管部门指定权威来源"
                    : $"未指定权威来源：有{basic.Count}个基础类资源提供该数据元，请由主管部门指定其中一个为权威来源";
            }

            var authorityEntry = authority is { } aid ? group.First(m => m.Entry.Entry.Id == aid).Entry : null;
            var authorityDepartment = authorityEntry?.Entry.DepartmentId;
            var list = group.OrderBy(m => m.Entry.Entry.Code, StringComparer.Ordinal).Select(m => new SourceMember(
                m.Entry.Entry.Id, m.Entry.Entry.Code, m.Entry.Revision.Name, m.Entry.Entry.DepartmentId, DepartmentName(s, m.Entry),
                CatalogTerms.Label((ResourceClass)m.Entry.Entry.ClassCode), m.Item.Name, m.Item.FieldCode,
                designated.Contains(m.Entry.Entry.Id), m.Entry.Entry.Id == authority,
                authorityEntry is not null && ResourceRevision.SplitList(m.Entry.Revision.RelatedCodes).Contains(authorityEntry.Entry.Code))).ToList();
            var details = new MultipleSourceDetails(element.Name, authority, decision, list).ToJson();
            var departments = list.Select(m => m.DepartmentId).Distinct().Count();

            // The provider list is stored once per group (on its first finding): a group of n providers would
            // otherwise store n copies of an n-long list.
            var pending = details;
            string? Once() { var d = pending; pending = null; return d; }
            foreach (var m in group.OrderBy(m => m.Entry.Entry.Code, StringComparer.Ordinal))
            {
                var item = $"信息项“{m.Item.Name}”{(Blank(m.Item.FieldCode) ? "" : $"（{m.Item.FieldCode}）")}";
                var field = F.ItemKey(m.Index, "name");
                if (authorityEntry is null)
                {
                    Add(f, QualityRules.MultipleSources, Severities.Error, m.Entry, field,
                        $"数据元“{element.Name}”由{departments}个部门的{list.Count}个资源提供，{decision}；本资源：{Who(m.Entry)}的{item}",
                        subject: element.Name, details: Once(), label: item);
                }
                else if (m.Entry.Entry.DepartmentId != authorityDepartment
                         && !ResourceRevision.SplitList(m.Entry.Revision.RelatedCodes).Contains(authorityEntry.Entry.Code))
                {
                    Add(f, QualityRules.MultipleSources, Severities.Warning, m.Entry, field,
                        $"{Who(m.Entry)}的{item}与权威来源“{authorityEntry.Revision.Name}”（{authorityEntry.Entry.Code}，{DepartmentName(s, authorityEntry)}，{decision}）重复提供数据元“{element.Name}”：请在关联资源代码中引用权威来源，或改为从权威来源获取",
                        subject: element.Name, details: Once(), label: item);
                }
            }
        }
    }

    // ------------------------------------------------------------------ 目录覆盖度

    private static CoverageReport Coverage(QualitySnapshot s, List<QualityFinding> f)
    {
        var pathNames = new Dictionary<string, List<string>>();
        List<string> PathOf(string code)
        {
            if (pathNames.TryGetValue(code, out var cached)) return cached;
            var names = s.Nodes.TryGetValue(code, out var node) ? Ancestors(node, s.Nodes).Select(n => n.Name).ToList() : [];
            pathNames[code] = names;
            return names;
        }

        var domainResources = AssessedDomains.All.ToDictionary(d => d.Name, _ => new List<CheckedEntry>());
        foreach (var e in s.Entries)
        {
            var texts = new List<string?>();
            if (s.Directory.GetValueOrDefault(e.Entry.DepartmentId) is { } dept) texts.AddRange(dept.Domains);
            texts.AddRange(PathOf(e.Entry.ClassificationCode));
            texts.AddRange(ResourceRevision.SplitList(e.Revision.Keywords));
            foreach (var domain in AssessedDomains.Match(texts)) domainResources[domain].Add(e);
        }
        var domainItems = AssessedDomains.All.Select(d => new DomainCoverageItem(d.Name, domainResources[d.Name].Count,
            domainResources[d.Name].Select(x => x.Entry.DepartmentId).Distinct().Count(), domainResources[d.Name].Count > 0)).ToList();
        var domains = CoverageReport.Figure(domainItems.Count(d => d.Covered), domainItems.Count);

        var perDepartment = s.Entries.GroupBy(e => e.Entry.DepartmentId).ToDictionary(g => g.Key, g => g.Count());
        var departmentItems = s.Departments.OrderBy(d => d.RegionCode, StringComparer.Ordinal).ThenBy(d => d.SortOrder).ThenBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => new DepartmentCoverageItem(d.Id, d.Name, d.RegionCode, perDepartment.GetValueOrDefault(d.Id), perDepartment.GetValueOrDefault(d.Id) > 0))
            .ToList();
        var departments = CoverageReport.Figure(departmentItems.Count(d => d.Covered), departmentItems.Count);

        foreach (var d in domainItems.Where(d => !d.Covered))
            f.Add(New(QualityRules.DomainCoverage, Severities.Warning, null, null, null, null, d.Domain,
                $"领域“{d.Domain}”没有已发布的信息资源（按部门领域、分类路径和关键字归属）"));
        if (!domains.Met)
            f.Add(New(QualityRules.DomainCoverage, Severities.Error, null, null, null, null, "领域覆盖率",
                $"已发布资源覆盖 {domains.Covered}/{domains.Total} 个评估领域（{Percent(domains.Ratio)}），低于 80% 的要求"));
        foreach (var d in departmentItems.Where(d => !d.Covered))
            f.Add(New(QualityRules.DepartmentCoverage, Severities.Warning, null, d.DepartmentId, d.Name, null, d.Name,
                $"部门“{d.Name}”没有已发布的信息资源"));
        if (!departments.Met)
            f.Add(New(QualityRules.DepartmentCoverage, Severities.Error, null, null, null, null, "部门覆盖率",
                $"范围内 {departments.Covered}/{departments.Total} 个部门有已发布的信息资源（{Percent(departments.Ratio)}），低于 80% 的要求"));
        return new CoverageReport(AssessedDomains.Threshold, domains, departments, domainItems, departmentItems);
    }

    // ------------------------------------------------------------------ helpers

    private static IEnumerable<Classification> Ancestors(Classification node, IReadOnlyDictionary<string, Classification> nodes)
    {
        var guard = 0;
        for (Classification? n = node; n is not null && guard++ < 16; n = n.ParentCode is { } p && nodes.TryGetValue(p, out var parent) ? parent : null)
            yield return n;
    }

    private static string DepartmentName(QualitySnapshot s, CheckedEntry e) =>
        s.Directory.GetValueOrDefault(e.Entry.DepartmentId)?.Name ?? e.Revision.ProviderName ?? "（已撤销的部门）";

    /// <summary>0.8333 → “83.3%” (culture-independent).</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string Who(CheckedEntry e) => $"信息资源“{e.Revision.Name}”（{e.Entry.Code}）";

    private static string Label(string field) => F.LabelOf(field) ?? field;

    private static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    private static void Add(List<QualityFinding> f, string rule, string severity, CheckedEntry e, string field, string message,
        string? subject = null, string? details = null, string? label = null)
    {
        var finding = New(rule, severity, e, e.Entry.DepartmentId, null, field, subject, message, details);
        finding.FieldLabel = label ?? Label(field);
        f.Add(finding);
    }

    private static QualityFinding New(string rule, string severity, CheckedEntry? e, Guid? departmentId, string? departmentName, string? field,
        string? subject, string message, string? details = null) => new()
    {
        RuleCode = rule,
        Severity = severity,
        EntryId = e?.Entry.Id,
        EntryCode = e?.Entry.Code,
        EntryName = e?.Revision.Name,
        DepartmentId = departmentId,
        DepartmentName = departmentName ?? e?.Revision.ProviderName,
        Field = field,
        FieldLabel = field is null ? null : Label(field),
        Subject = subject,
        Message = message.Length > 2000 ? message[..1997] + "…" : message,
        Details = details,
    };
}
