using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Codes;
using F = GovData.Catalog.Domain.ResourceFields;

namespace GovData.Catalog.Domain;

/// <summary>How strict a validation is.</summary>
internal enum ValidationMode
{
    /// <summary>Saving a draft: the classification and the name are required; everything given must be well-formed.</summary>
    Draft,
    /// <summary>Submitting (报送) or approving: every item of the template must be filled in and every rule holds.</summary>
    Submit,
}

/// <summary>Outcome of a validation: the parsed content (when parsing succeeded) and the errors per field.</summary>
internal sealed class ValidationResult
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public ResourceContent? Content { get; internal set; }

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }

    public bool Has(string field) => _errors.ContainsKey(field);
}

/// <summary>
/// The catalog rules of the 1272 guide (catalog-standard.md §2–§4 and §6 快速校核), each reported in Chinese
/// under the field it concerns.
/// </summary>
internal static partial class ResourceValidator
{
    public const int NameMax = 50;
    public const int AbstractMax = 256;
    public const int ConditionMax = 500;
    public const int KeywordMax = 20;
    public const int KeywordCountMax = 10;
    public const int ItemNameMax = 50;
    public const int FieldCodeMax = 64;
    public const int ItemCountMax = 500;

    /// <summary>Keywords may arrive as one text: split on these.</summary>
    private static readonly char[] KeywordSeparators = [',', '，', ';', '；', '、'];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldCodeRegex();

    /// <summary>Data elements whose type is fixed by a national standard (matched on the end of the item name, so 法定代表人身份证号码 counts).</summary>
    internal static readonly (string[] Names, ItemDataType Type, int[] Lengths, string Standard)[] StandardElements =
    [
        (["统一社会信用代码"], ItemDataType.C, [18], "GB 32100"),
        (["公民身份号码", "身份证号码", "身份证号", "居民身份证号码"], ItemDataType.C, [18], "GB 11643"),
        (["行政区划代码"], ItemDataType.C, [6], "GB/T 2260"),
        (["组织机构代码"], ItemDataType.C, [9, 10], "GB 11714"),
        (["邮政编码"], ItemDataType.C, [6], "邮政编码"),
    ];

    /// <summary>Personal identifiers: such items are at least 敏感 and carry a masking rule.</summary>
    internal static readonly string[] PersonalIdentifierMarks = ["身份证", "身份号码", "手机号", "手机号码", "银行卡号", "银行账号", "护照号"];

    /// <summary>Fills what the platform knows when the compiler left it blank: provider, maintainer, 涉密属性, 层级属性.</summary>
    public static ResourceInput WithDefaults(ResourceInput input, DepartmentInfo department) => input with
    {
        ProviderName = Blank(input.ProviderName) ?? department.Name,
        ProviderCode = Blank(input.ProviderCode) ?? department.CreditCode,
        MetadataMaintainer = Blank(input.MetadataMaintainer) ?? department.Name,
        SecurityClass = Blank(input.SecurityClass) ?? CatalogTerms.Label(SecurityClass.NonClassified),
        Hierarchy = Blank(input.Hierarchy) ?? CatalogTerms.Label(CatalogHierarchy.Department),
    };

    /// <summary>
    /// Validates <paramref name="input"/> for <paramref name="department"/> under the classification node found for
    /// its code (<paramref name="node"/> is null when no node has that code).
    /// </summary>
    public static ValidationResult Validate(ResourceInput input, ClassificationNode? node, DepartmentInfo department, ValidationMode mode, string? ownCode = null)
    {
        var r = new ValidationResult();
        var submit = mode == ValidationMode.Submit;

        CheckClassification(input, node, department, r);

        // 2 信息资源名称
        var name = Blank(input.Name);
        if (name is null) r.Add(F.Name, "信息资源名称不能为空");
        else if (name.Length > NameMax) r.Add(F.Name, $"信息资源名称不能超过{NameMax}个字（当前{name.Length}个字）");

        // 4, 5 提供方 and 提供方代码
        var providerName = Blank(input.ProviderName);
        if (providerName is null) { if (submit) r.Add(F.ProviderName, "信息资源提供方不能为空"); }
        else if (providerName != department.Name) r.Add(F.ProviderName, $"信息资源提供方应为编目部门“{department.Name}”，不能填写“{providerName}”");
        var providerCode = Blank(input.ProviderCode)?.ToUpperInvariant();
        if (providerCode is null) { if (submit) r.Add(F.ProviderCode, "信息资源提供方代码不能为空"); }
        else if (CreditCode.Validate(providerCode) is { } cc) r.Add(F.ProviderCode, "信息资源提供方代码：" + cc);
        else if (providerCode != department.CreditCode.ToUpperInvariant())
            r.Add(F.ProviderCode, $"信息资源提供方代码应为本部门的统一社会信用代码 {department.CreditCode}，不能填写 {providerCode}");

        // 6 摘要
        var summary = Blank(input.Abstract);
        if (summary is null) { if (submit) r.Add(F.Abstract, "信息资源摘要不能为空"); }
        else if (summary.Length > AbstractMax) r.Add(F.Abstract, $"信息资源摘要不能超过{AbstractMax}个字（当前{summary.Length}个字）");

        // 7 格式
        var format = ParseEnum<FormatCategory>(input.FormatCategory, F.FormatCategory, "信息资源格式分类", r, submit);
        string? formatType = Blank(input.FormatType);
        var formatDescription = Blank(input.FormatDescription);
        if (format is { } fc)
        {
            if (ResourceFormats.NeedsDescription(fc))
            {
                if (formatDescription is null && submit) r.Add(F.FormatDescription, $"格式分类为“{CatalogTerms.Label(fc)}”时须说明具体格式");
            }
            else if (formatType is null)
            {
                if (submit) r.Add(F.FormatType, $"请填写信息资源格式类型（{CatalogTerms.Label(fc)}：{string.Join("、", ResourceFormats.Types[fc])}）");
            }
            else if (ResourceFormats.Canonical(fc, formatType) is { } canonical) formatType = canonical;
            else r.Add(F.FormatType, $"格式类型“{formatType}”不属于“{CatalogTerms.Label(fc)}”，可选：{string.Join("、", ResourceFormats.Types[fc])}");
        }
        if (formatDescription?.Length > ConditionMax) r.Add(F.FormatDescription, $"格式说明不能超过{ConditionMax}个字");

        // 8 信息项
        var items = CheckItems(input.Items ?? [], format, r, submit);

        // 9 共享属性
        var shareType = ParseEnum<ShareType>(input.ShareType, F.ShareType, "共享类型", r, submit);
        var shareCondition = Blank(input.ShareCondition);
        var shareBasis = Blank(input.ShareBasis);
        var channel = ParseEnum<ShareChannel>(input.ShareChannel, F.ShareChannel, "共享方式分类", r, false);
        var methodType = ParseEnum<ShareMethodType>(input.ShareMethodType, F.ShareMethodType, "共享方式类型", r, false);
        if (shareCondition?.Length > ConditionMax) r.Add(F.ShareCondition, $"共享条件不能超过{ConditionMax}个字");
        if (shareBasis?.Length > ConditionMax) r.Add(F.ShareBasis, $"不予共享依据不能超过{ConditionMax}个字");
        if (submit && shareType is { } st)
        {
            if (st == ShareType.Conditional && shareCondition is null)
                r.Add(F.ShareCondition, "共享类型为“有条件共享”时必须填写共享条件");
            if (st == ShareType.NotShared && shareBasis is null)
                r.Add(F.ShareBasis, "共享类型为“不予共享”时必须注明法律、行政法规或国家政策依据");
            if (st != ShareType.NotShared)
            {
                if (channel is null && !r.Has(F.ShareChannel))
                    r.Add(F.ShareChannel, "请填写共享方式分类（共享平台方式、邮件方式或介质方式）");
                else if (channel == ShareChannel.Platform && methodType is null && !r.Has(F.ShareMethodType))
                    r.Add(F.ShareMethodType, "通过共享平台共享时请填写共享方式类型（数据库(库表)、文件(下载)或接口(服务)）");
            }
            if (node is { RequiresUnconditionalShare: true } && st != ShareType.Unconditional)
                r.Add(F.ShareType, $"{node.RuleSource ?? node.Name}属于基础信息资源，共享类型应为“无条件共享”");
        }

        // 10 开放属性 (开放类型, or the guide's 是否开放 + 开放条件)
        var openCondition = Blank(input.OpenCondition);
        OpenType? openType = null;
        if (Blank(input.OpenType) is not null)
        {
            openType = ParseEnum<OpenType>(input.OpenType, F.OpenType, "开放类型", r, false);
            if (openType is { } ot && input.IsOpen is { } isOpen && OpenAttributes.IsOpen(ot) != isOpen)
                r.Add(F.OpenType, $"是否开放为“{(isOpen ? "是" : "否")}”，与开放类型“{CatalogTerms.Label(ot)}”矛盾");
        }
        else if (input.IsOpen is { } isOpen) openType = OpenAttributes.FromGuide(isOpen, openCondition);
        else if (submit) r.Add(F.OpenType, "请填写开放属性（无条件开放、有条件开放或不予开放）");
        if (openCondition?.Length > ConditionMax) r.Add(F.OpenCondition, $"开放条件不能超过{ConditionMax}个字");
        if (submit && openType == OpenType.Conditional && openCondition is null)
            r.Add(F.OpenCondition, "开放类型为“有条件开放”时必须填写开放条件");
        if (submit && shareType == ShareType.NotShared && openType is { } o && o != OpenType.NotOpen)
            r.Add(F.OpenType, "不予共享的信息资源不能向社会开放，开放类型应为“不予开放”");

        // 11 更新周期
        var cycle = ParseEnum<UpdateCycle>(input.UpdateCycle, F.UpdateCycle, "更新周期", r, submit);
        var cycleNote = Blank(input.UpdateCycleNote);
        if (submit && cycle == UpdateCycle.Other && cycleNote is null) r.Add(F.UpdateCycleNote, "更新周期为“其他”时须说明具体周期");
        if (cycleNote?.Length > 100) r.Add(F.UpdateCycleNote, "更新周期说明不能超过100个字");

        // 13 关联资源代码
        var related = new List<string>();
        foreach (var raw in input.RelatedCodes ?? [])
        {
            if (string.IsNullOrWhiteSpace(raw)) continue;
            if (!ResourceCode.TryParse(raw, out var code, out var err)) { r.Add(F.RelatedCodes, "关联资源代码：" + err); continue; }
            var text = code.ToString();
            if (text == ownCode) r.Add(F.RelatedCodes, $"关联资源代码不能是本资源自己的代码 {text}");
            else if (related.Contains(text)) r.Add(F.RelatedCodes, $"关联资源代码 {text} 重复");
            else related.Add(text);
        }

        // Extended metadata
        var keywords = new List<string>();
        foreach (var raw in (input.Keywords ?? []).SelectMany(k => (k ?? "").Split(KeywordSeparators, StringSplitOptions.RemoveEmptyEntries)))
        {
            var k = Blank(raw);
            if (k is null) continue;
            if (k.Length > KeywordMax) r.Add(F.Keywords, $"关键字“{k}”过长：每个关键字不能超过{KeywordMax}个字");
            else if (!keywords.Contains(k)) keywords.Add(k);
        }
        if (keywords.Count > KeywordCountMax) r.Add(F.Keywords, $"关键字不能超过{KeywordCountMax}个");
        var maintainer = Blank(input.MetadataMaintainer);
        if (maintainer is null) { if (submit) r.Add(F.MetadataMaintainer, "元数据维护方不能为空"); }
        else if (maintainer.Length > 100) r.Add(F.MetadataMaintainer, "元数据维护方不能超过100个字");
        var link = Blank(input.OnlineLink);
        if (link is not null && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || link.Length > 500))
            r.Add(F.OnlineLink, $"在线资源链接地址“{link}”应为以 http:// 或 https:// 开头的完整网址（不超过500字符）");
        var security = ParseEnum<SecurityClass>(input.SecurityClass, F.SecurityClass, "涉密属性", r, submit);
        var hierarchy = ParseEnum<CatalogHierarchy>(input.Hierarchy, F.Hierarchy, "层级属性", r, submit);
        if (submit && security == SecurityClass.Classified)
        {
            if (shareType is { } s2 && s2 != ShareType.NotShared) r.Add(F.ShareType, "涉密信息资源不得通过本平台共享，共享类型应为“不予共享”");
            if (openType is { } o2 && o2 != OpenType.NotOpen) r.Add(F.OpenType, "涉密信息资源不得向社会开放，开放类型应为“不予开放”");
        }

        if (name is not null)
        {
            r.Content = new ResourceContent
            {
                Name = name,
                Abstract = summary,
                ProviderName = providerName,
                ProviderCode = providerCode,
                FormatCategory = format,
                FormatType = formatType,
                FormatDescription = formatDescription,
                Items = items,
                ShareType = shareType,
                ShareCondition = shareCondition,
                ShareBasis = shareBasis,
                ShareChannel = channel,
                ShareMethodType = methodType,
                OpenType = openType,
                OpenCondition = openCondition,
                UpdateCycle = cycle,
                UpdateCycleNote = cycleNote,
                RelatedCodes = related,
                Keywords = keywords,
                MetadataMaintainer = maintainer,
                OnlineLink = link,
                SecurityClass = security,
                Hierarchy = hierarchy,
            };
        }
        return r;
    }

    private static void CheckClassification(ResourceInput input, ClassificationNode? node, DepartmentInfo department, ValidationResult r)
    {
        var code = Blank(input.ClassificationCode);
        if (code is null) { r.Add(F.Classification, "信息资源分类不能为空：请选择资源所属的目或细目"); return; }
        if (node is null) { r.Add(F.Classification, $"信息资源分类“{code}”不存在"); return; }
        if (node.Depth < 3)
        {
            r.Add(F.Classification, $"信息资源分类“{node.Code} {node.Name}”是{(node.Depth == 1 ? "类" : "项")}，资源须编入其下的目或细目");
            return;
        }
        if (!node.IsActive) r.Add(F.Classification, $"信息资源分类“{node.Code} {node.Name}”已停用，不能编入新资源");
        if (node.Class == ResourceClass.Departmental && node.DepartmentId != department.Id)
            r.Add(F.Classification, $"部门类资源只能编入本部门（{department.Name}）的目录，“{node.Code} {node.Name}”属于其他部门");
        else if (node.Depth > 3 && node.DepartmentId is { } owner && owner != department.Id)
            r.Add(F.Classification, $"细目“{node.Code} {node.Name}”由其他部门管理，不能编入本部门资源");
    }

    private static List<ItemContent> CheckItems(List<ItemInput> inputs, FormatCategory? format, ValidationResult r, bool submit)
    {
        var items = new List<ItemContent>();
        if (inputs.Count > ItemCountMax) { r.Add(F.Items, $"信息项不能超过{ItemCountMax}个"); return items; }
        if (submit && format is { } fc)
        {
            if (ResourceFormats.IsStructured(fc) && inputs.Count == 0)
                r.Add(F.Items, $"“{CatalogTerms.Label(fc)}”是结构化资源，至少须描述一个信息项（名称、数据类型、长度）");
            else if (ResourceFormats.ForbidsItems(fc) && inputs.Count > 0)
                r.Add(F.Items, $"“{CatalogTerms.Label(fc)}”是非结构化资源，不填写信息项");
        }
        var names = new HashSet<string>();
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < inputs.Count; i++)
        {
            var it = inputs[i];
            var n = i + 1;
            var name = Blank(it.Name);
            var who = name is null ? $"第{n}个信息项" : $"第{n}个信息项“{name}”";
            if (name is null) r.Add(F.ItemKey(i, "name"), $"第{n}个信息项的名称不能为空");
            else if (name.Length > ItemNameMax) r.Add(F.ItemKey(i, "name"), $"{who}：名称不能超过{ItemNameMax}个字");
            else if (!names.Add(name)) r.Add(F.ItemKey(i, "name"), $"{who}：信息项名称重复");

            var fieldCode = Blank(it.FieldCode);
            if (fieldCode is null) { if (submit) r.Add(F.ItemKey(i, "fieldCode"), $"{who}：字段代码（英文）不能为空"); }
            else if (fieldCode.Length > FieldCodeMax || !FieldCodeRegex().IsMatch(fieldCode))
                r.Add(F.ItemKey(i, "fieldCode"), $"{who}：字段代码“{fieldCode}”应以英文字母开头，只含字母、数字和下划线，不超过{FieldCodeMax}个字符");
            else if (!codes.Add(fieldCode)) r.Add(F.ItemKey(i, "fieldCode"), $"{who}：字段代码“{fieldCode}”重复");

            ItemDataType? type = null;
            int? length = it.Length, precision = it.Precision;
            if (Blank(it.DataType) is null) { if (submit) r.Add(F.ItemKey(i, "dataType"), $"{who}：数据类型不能为空"); }
            else if (!DataTypeSpec.TryParse(it.DataType, out var spec, out var err)) r.Add(F.ItemKey(i, "dataType"), $"{who}：{err}");
            else
            {
                if (spec.Length is { } l && it.Length is { } l2 && l != l2)
                    r.Add(F.ItemKey(i, "length"), $"{who}：数据类型中写明的长度 {l} 与数据长度 {l2} 不一致");
                if (spec.Precision is { } p && it.Precision is { } p2 && p != p2)
                    r.Add(F.ItemKey(i, "precision"), $"{who}：数据类型中写明的小数位数 {p} 与小数位数 {p2} 不一致");
                type = spec.Type;
                length = spec.Length ?? it.Length;
                precision = spec.Precision ?? it.Precision;
                var full = new DataTypeSpec(spec.Type, length, precision);
                if (full.Validate() is { } typeError) r.Add(F.ItemKey(i, "dataType"), $"{who}：{typeError}");
                else if (name is not null && StandardElements.FirstOrDefault(e => e.Names.Any(name.EndsWith)) is { Names: not null } std
                         && (std.Type != spec.Type || length is null || !std.Lengths.Contains(length.Value)))
                    r.Add(F.ItemKey(i, "dataType"), $"{who}：按 {std.Standard} 应为 {CatalogTerms.Label(std.Type)},{string.Join("或", std.Lengths)}，实际为 {full}");
            }

            var sensitivity = ItemSensitivity.Internal;
            if (Blank(it.Sensitivity) is { } sText)
            {
                if (CatalogTerms.TryParse<ItemSensitivity>(sText, out var s)) sensitivity = s;
                else r.Add(F.ItemKey(i, "sensitivity"), $"{who}：敏感级别“{sText}”无效，可选：{string.Join("、", CatalogTerms.Labels<ItemSensitivity>())}");
            }
            var masking = MaskingRule.None;
            if (Blank(it.MaskingRule) is { } mText)
            {
                if (CatalogTerms.TryParse<MaskingRule>(mText, out var m)) masking = m;
                else r.Add(F.ItemKey(i, "maskingRule"), $"{who}：脱敏规则“{mText}”无效，可选：{string.Join("、", CatalogTerms.Labels<MaskingRule>())}");
            }
            if (name is not null && PersonalIdentifierMarks.Any(name.Contains) && sensitivity < ItemSensitivity.Sensitive)
                r.Add(F.ItemKey(i, "sensitivity"), $"{who}：属于个人身份或账户信息，敏感级别应为“敏感”或“重要”");
            else if (sensitivity >= ItemSensitivity.Sensitive && masking == MaskingRule.None && !r.Has(F.ItemKey(i, "maskingRule")))
                r.Add(F.ItemKey(i, "maskingRule"), $"{who}：敏感级别为“{CatalogTerms.Label(sensitivity)}”，须指定脱敏规则");

            var domain = Blank(it.ValueDomain);
            if (domain?.Length > 200) r.Add(F.ItemKey(i, "valueDomain"), $"{who}：值域/字典说明不能超过200个字");
            var description = Blank(it.Description);
            if (description?.Length > 500) r.Add(F.ItemKey(i, "description"), $"{who}：说明不能超过500个字");

            if (name is not null)
                items.Add(new ItemContent(name, fieldCode, type, length, precision, it.Required || it.IsKey, it.IsKey, domain, sensitivity, masking, description));
        }
        return items;
    }

    private static T? ParseEnum<T>(string? text, string field, string label, ValidationResult r, bool required) where T : struct, Enum
    {
        var t = Blank(text);
        if (t is null)
        {
            if (required) r.Add(field, $"{label}不能为空，可选：{string.Join("、", CatalogTerms.Labels<T>())}");
            return null;
        }
        if (CatalogTerms.TryParse<T>(t, out var value)) return value;
        r.Add(field, $"{label}“{t}”无效，可选：{string.Join("、", CatalogTerms.Labels<T>())}");
        return null;
    }

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
