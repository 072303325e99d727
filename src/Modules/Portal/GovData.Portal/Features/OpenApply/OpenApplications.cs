using System.Globalization;
using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Exchange.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Features.Shared;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.OpenApply;

/// <summary>Outcome of an application step: OK, or a Chinese message per field (or for the whole form) and the HTTP status.</summary>
internal sealed record ApplyResult(bool Ok, Dictionary<string, string> Errors, int Status, Guid? Id = null)
{
    public static ApplyResult Success(Guid id) => new(true, [], StatusCodes.Status200OK, id);

    public static ApplyResult Fail(string field, string message, int status = StatusCodes.Status400BadRequest) => new(false, new() { [field] = message }, status);

    /// <summary>The message for the whole form (key <c>""</c>), or the first one.</summary>
    public string? Message => Errors.GetValueOrDefault("") ?? Errors.Values.FirstOrDefault();
}

/// <summary>The application form as posted.</summary>
internal sealed record ApplyInput(
    string? ApplicantType, string? Organization, string? Contact, string? Purpose, string? Scenario, IReadOnlyList<string>? Items,
    int? PeriodDays, bool AcceptPledge, string? PledgeVersion, bool AcceptAgreement, string? AgreementVersion);

/// <summary>The department's decision to approve, as posted.</summary>
internal sealed record ApproveInput(IReadOnlyList<string>? Items, string? ExpiresOn, string? ScopeField, string? ScopeOperator, string? ScopeValues, string? Reason);

/// <summary>
/// 有条件开放 applications: a developer applies (申请表 + 安全承诺书 + 利用协议), the providing department's 部门管理员
/// approves (a grant in the exchange module through <see cref="IOpenGrants"/>) or rejects with a reason, may revoke later;
/// the applicant may withdraw a pending application and submits the 利用报告. Every check names the field in Chinese.
/// </summary>
internal sealed class OpenApplications(PortalDb db, IPublicAccounts accounts, IOpenGrants grants, TimeProvider clock)
{
    public const int PurposeMin = 10, PurposeMax = 1000, ScenarioMin = 4, ScenarioMax = 500, ContactMax = 100, OrganizationMax = 100,
        ReasonMax = 1000, ReportMin = 20, ReportMax = 4000;

    /// <summary>申请主体类型.</summary>
    public static readonly IReadOnlyList<string> ApplicantTypes = ["个人", "企业", "科研机构", "社会组织", "其他"];

    /// <summary>Periods offered on the form (days).</summary>
    public static readonly IReadOnlyList<int> Periods = [30, 90, 180, 365];

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Today's local date (expiry dates are local days, as the exchange's).</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>The API name of an item (field code, or the item name when it has none) — what grants and the Data module use.</summary>
    public static string FieldName(CatalogItem item) => string.IsNullOrWhiteSpace(item.FieldCode) ? item.Name.Trim() : item.FieldCode.Trim();

    /// <summary>Why the caller may not apply (null when they may): sign in, role 开发者, verified and active account.</summary>
    public async Task<ApplyResult?> MayApplyAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.GetUserId() is not { } id)
            return ApplyResult.Fail("", "请先登录开发者账号再申请。还没有账号？请先注册公众账号，并在开发者中心开通开发者权限。", StatusCodes.Status401Unauthorized);
        if (!user.IsInRole(Roles.Developer))
            return ApplyResult.Fail("", "有条件开放数据只向开发者账号开放申请：您的账号不是开发者（角色“开发者”）。请使用开发者账号登录，或联系平台开通开发者权限。", StatusCodes.Status403Forbidden);
        var account = await accounts.FindAsync(id, ct);
        if (account is null || !account.IsActive) return ApplyResult.Fail("", "账号不存在或已停用，不能申请。", StatusCodes.Status403Forbidden);
        if (!account.EmailVerified)
            return ApplyResult.Fail("", "您的电子邮箱尚未验证，验证后才能申请有条件开放数据。请打开验证邮件中的链接，或重新发送验证邮件。", StatusCodes.Status403Forbidden);
        return null;
    }

    /// <summary>Why a dataset cannot be applied for (null for a 有条件开放 dataset).</summary>
    public static string? NotApplicable(OpenDataset dataset) => dataset.OpenType == OpenType.Conditional
        ? null
        : $"数据集“{dataset.Name}”为无条件开放，无须申请：可直接在数据集页面预览、下载，或通过开放接口读取。";

    /// <summary>Files an application (status 待审核).</summary>
    public async Task<ApplyResult> SubmitAsync(ClaimsPrincipal user, OpenDataset dataset, ApplyInput input, CancellationToken ct)
    {
        if (NotApplicable(dataset) is { } notNeeded) return ApplyResult.Fail("", notNeeded, StatusCodes.Status409Conflict);
        if (await MayApplyAsync(user, ct) is { } refused) return refused;
        var userId = user.GetUserId()!.Value;
        var errors = new Dictionary<string, string>();
        var type = input.ApplicantType?.Trim();
        if (string.IsNullOrEmpty(type)) errors["applicantType"] = "请选择申请主体类型";
        else if (!ApplicantTypes.Contains(type)) errors["applicantType"] = $"申请主体类型“{type}”无效，可选：{string.Join("、", ApplicantTypes)}";
        var organization = FeedbackService.Clean(input.Organization);
        if (type is not null and not "个人" && organization is null) errors["organization"] = "请填写单位名称（申请主体为个人时可不填）";
        else if (organization is { Length: > OrganizationMax }) errors["organization"] = $"单位名称不能超过{OrganizationMax}个字";
        var contact = FeedbackService.Clean(input.Contact);
        if (contact is null) errors["contact"] = "请填写联系方式（电话或电子邮箱）";
        else if (contact.Length > ContactMax) errors["contact"] = $"联系方式不能超过{ContactMax}个字";
        var purpose = FeedbackService.Clean(input.Purpose);
        if (Length(purpose, "用途", PurposeMin, PurposeMax) is { } p) errors["purpose"] = p;
        var scenario = FeedbackService.Clean(input.Scenario);
        if (Length(scenario, "应用场景", ScenarioMin, ScenarioMax) is { } s) errors["scenario"] = s;

        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in dataset.Items)
        {
            byName.TryAdd(FieldName(item), FieldName(item));
            byName.TryAdd(item.Name.Trim(), FieldName(item));
        }
        var items = new List<string>();
        if (input.Items is null || input.Items.Count == 0) errors["items"] = "请至少选择一个数据项";
        else
            foreach (var raw in input.Items)
            {
                var text = raw?.Trim() ?? "";
                if (!byName.TryGetValue(text, out var field))
                {
                    errors["items"] = $"数据项“{text}”不是数据集“{dataset.Name}”的数据项";
                    break;
                }
                if (!items.Contains(field)) items.Add(field);
            }
        if (input.PeriodDays is not { } days || !Periods.Contains(days))
            errors["periodDays"] = $"请选择申请使用期限：{string.Join("、", Periods.Select(d => d + " 天"))}";
        if (!input.AcceptPledge) errors["acceptPledge"] = $"请阅读并接受《{OpenAgreements.PledgeTitle}》";
        else if (input.PledgeVersion != OpenAgreements.PledgeVersion)
            errors["acceptPledge"] = $"《{OpenAgreements.PledgeTitle}》已更新为 {OpenAgreements.PledgeVersion} 版，请阅读新版本后重新接受";
        if (!input.AcceptAgreement) errors["acceptAgreement"] = $"请阅读并接受《{OpenAgreements.AgreementTitle}》";
        else if (input.AgreementVersion != OpenAgreements.AgreementVersion)
            errors["acceptAgreement"] = $"《{OpenAgreements.AgreementTitle}》已更新为 {OpenAgreements.AgreementVersion} 版，请阅读新版本后重新接受";
        if (errors.Count > 0) return new ApplyResult(false, errors, StatusCodes.Status400BadRequest);

        if (await db.OpenApplications().AnyAsync(a => a.UserId == userId && a.EntryId == dataset.EntryId && a.Status == ApplicationStatus.Pending, ct))
            return ApplyResult.Fail("", "您对该数据集已有一份待审核的申请，请等待提供部门审核（可在用户中心查看或撤回）。", StatusCodes.Status409Conflict);
        var account = await accounts.FindAsync(userId, ct);
        var now = Now;
        var application = new OpenApplication
        {
            Id = Guid.CreateVersion7(),
            EntryId = dataset.EntryId,
            DatasetCode = dataset.Code.ToString(),
            DatasetName = dataset.Name,
            DepartmentId = dataset.DepartmentId,
            UserId = userId,
            ApplicantName = account?.DisplayName ?? user.GetDisplayName(),
            ApplicantType = type!,
            Organization = organization,
            Contact = contact!,
            Purpose = purpose!,
            Scenario = scenario!,
            Items = items,
            PeriodDays = input.PeriodDays!.Value,
            PledgeVersion = OpenAgreements.PledgeVersion,
            PledgeAcceptedAt = now,
            AgreementVersion = OpenAgreements.AgreementVersion,
            AgreementAcceptedAt = now,
            Status = ApplicationStatus.Pending,
            CreatedAt = now,
        };
        db.OpenApplications().Add(application);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index of pending applications: a second submission at the same moment.
            return ApplyResult.Fail("", "您对该数据集已有一份待审核的申请，请等待提供部门审核（可在用户中心查看或撤回）。", StatusCodes.Status409Conflict);
        }
        return ApplyResult.Success(application.Id);
    }

    private static string? Length(string? value, string label, int min, int max) =>
        value is null ? $"请填写{label}（{min}–{max} 字）"
        : value.Length < min ? $"{label}至少需要{min}个字（现有{value.Length}个字）"
        : value.Length > max ? $"{label}不能超过{max}个字（现有{value.Length}个字）"
        : null;

    /// <summary>The account's applications, newest first.</summary>
    public async Task<IReadOnlyList<OpenApplication>> MineAsync(Guid userId, CancellationToken ct) =>
        await db.OpenApplications().AsNoTracking().Where(a => a.UserId == userId).OrderByDescending(a => a.CreatedAt).Take(200).ToListAsync(ct);

    // ------------------------------------------------------------------ department review

    /// <summary>May see the review queue: 部门管理员 (own department) or 平台管理员 (all, read only).</summary>
    public static bool MaySeeQueue(ClaimsPrincipal user) =>
        user.IsInRole(Roles.PlatformAdmin) || (user.IsInRole(Roles.DepartmentAdmin) && user.GetDepartmentId() is not null);

    /// <summary>May see one application: its department's 部门管理员 or a 平台管理员.</summary>
    public static bool MaySee(ClaimsPrincipal user, OpenApplication a) =>
        user.IsInRole(Roles.PlatformAdmin) || MayDecide(user, a);

    /// <summary>Decides: only a 部门管理员 of the providing department.</summary>
    public static bool MayDecide(ClaimsPrincipal user, OpenApplication a) =>
        user.IsInRole(Roles.DepartmentAdmin) && user.GetDepartmentId() == a.DepartmentId;

    /// <summary>The queue: pending first (oldest first — longest waiting), then the rest newest first.</summary>
    public async Task<(IReadOnlyList<OpenApplication> Items, int Total)> QueueAsync(ClaimsPrincipal user, string? status, int page, int pageSize, CancellationToken ct)
    {
        var query = db.OpenApplications().AsNoTracking();
        if (!user.IsInRole(Roles.PlatformAdmin))
        {
            var dept = user.GetDepartmentId();
            query = query.Where(a => a.DepartmentId == dept);
        }
        if (Enum.TryParse<ApplicationStatus>(status, true, out var s)) query = query.Where(a => a.Status == s);
        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderBy(a => a.Status == ApplicationStatus.Pending ? 0 : 1)
            .ThenBy(a => a.Status == ApplicationStatus.Pending ? a.CreatedAt : (DateTime?)null)
            .ThenByDescending(a => a.CreatedAt)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (rows, total);
    }

    /// <summary>Pending applications of the caller's department (all for the platform administrator), for the console home.</summary>
    public Task<int> PendingCountAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var query = db.OpenApplications().Where(a => a.Status == ApplicationStatus.Pending);
        if (!user.IsInRole(Roles.PlatformAdmin))
        {
            var dept = user.GetDepartmentId();
            query = query.Where(a => a.DepartmentId == dept);
        }
        return query.CountAsync(ct);
    }

    public Task<OpenApplication?> FindAsync(Guid id, CancellationToken ct) => db.OpenApplications().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);

    private async Task<(OpenApplication? Application, ApplyResult? Refusal)> LoadForDecisionAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var a = await db.OpenApplications().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return (null, ApplyResult.Fail("", "申请不存在", StatusCodes.Status404NotFound));
        if (!MayDecide(user, a))
            return (null, ApplyResult.Fail("", "只有该数据集提供部门的部门管理员可以审核、撤销本申请", StatusCodes.Status403Forbidden));
        return (a, null);
    }

    private static OpenGrantActor Actor(ClaimsPrincipal user) => new(user.GetUserId()!.Value, user.GetDisplayName(), user.GetDepartmentId()!.Value);

    /// <summary>批准: grants a subset of the requested items until a day within the requested period, optionally one row condition.</summary>
    public async Task<ApplyResult> ApproveAsync(ClaimsPrincipal user, Guid id, ApproveInput input, CancellationToken ct)
    {
        var (a, refusal) = await LoadForDecisionAsync(user, id, ct);
        if (refusal is not null) return refusal;
        if (a!.Status != ApplicationStatus.Pending) return ApplyResult.Fail("", $"申请当前状态为“{OpenApplication.Label(a.Status)}”，不能再审批", StatusCodes.Status409Conflict);
        var errors = new Dictionary<string, string>();
        var items = (input.Items ?? []).Select(i => i.Trim()).Where(i => i.Length > 0).Distinct().ToList();
        if (items.Count == 0) errors["items"] = "请至少批准一个数据项";
        else if (items.FirstOrDefault(i => !a.Items.Contains(i)) is { } extra) errors["items"] = $"数据项“{extra}”不在申请范围内：只能批准申请的数据项或其中一部分";
        var latest = Today.AddDays(a.PeriodDays);
        if (!DateOnly.TryParseExact(input.ExpiresOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiresOn))
            errors["expiresOn"] = "请填写授权到期日（格式 yyyy-MM-dd）";
        else if (expiresOn <= Today) errors["expiresOn"] = $"授权到期日必须晚于今天（{Today:yyyy-MM-dd}）";
        else if (expiresOn > latest) errors["expiresOn"] = $"授权到期日不能晚于申请期限（{a.PeriodDays} 天，即 {latest:yyyy-MM-dd}）";
        var scope = new List<OpenGrantScope>();
        var scopeField = input.ScopeField?.Trim();
        if (!string.IsNullOrEmpty(scopeField))
        {
            var op = input.ScopeOperator?.Trim();
            var values = (input.ScopeValues ?? "").Split([',', '，', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (op is not ("eq" or "in" or "prefix")) errors["scopeOperator"] = "数据范围的条件只能是 等于、属于 或 以…开头";
            else if (values.Length == 0) errors["scopeValues"] = "请填写数据范围的取值（多个取值用逗号分隔）";
            else if (op != "in" && values.Length != 1) errors["scopeValues"] = "“等于”和“以…开头”只能填写一个取值";
            else scope.Add(new OpenGrantScope(scopeField, op, values));
        }
        var reason = FeedbackService.Clean(input.Reason);
        if (reason is { Length: > ReasonMax }) errors["reason"] = $"审核意见不能超过{ReasonMax}个字";
        if (errors.Count > 0) return new ApplyResult(false, errors, StatusCodes.Status400BadRequest);

        var issued = await grants.IssueAsync(Actor(user),
            new OpenGrantIssue(a.Id, a.DatasetCode, a.UserId, a.ApplicantName, items, scope, a.Purpose + "（应用场景：" + a.Scenario + "）", expiresOn), ct);
        if (!issued.Ok)
        {
            if (issued.Errors is { } e)
                return new ApplyResult(false, e.ToDictionary(x => x.Key.StartsWith("rowScope", StringComparison.Ordinal) ? "scopeField" : x.Key, x => x.Value[0]),
                    StatusCodes.Status400BadRequest);
            return ApplyResult.Fail("", issued.Refusal ?? "授权未能生成", StatusCodes.Status403Forbidden);
        }
        a.Status = ApplicationStatus.Approved;
        a.DecidedAt = Now;
        a.DecidedBy = user.GetUserId();
        a.DecidedByName = user.GetDisplayName();
        a.DecisionReason = reason;
        a.GrantId = issued.GrantId;
        a.GrantedItems = items;
        a.GrantedScope = scope.Count == 0 ? null : $"{scope[0].Field} {OperatorLabel(scope[0].Operator)} {string.Join("、", scope[0].Values)}";
        a.GrantedExpiresOn = expiresOn;
        a.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone decided at the same moment: the grant just issued must not stay behind.
            await grants.RevokeAsync(Actor(user), issued.GrantId!.Value, "同一申请被同时审批，重复生成的授权已自动撤销", ct);
            return ApplyResult.Fail("", "该申请刚被他人处理，请刷新后查看", StatusCodes.Status409Conflict);
        }
        return ApplyResult.Success(a.Id);
    }

    public static string OperatorLabel(string op) => op switch { "eq" => "等于", "in" => "属于", "prefix" => "以…开头", _ => op };

    /// <summary>驳回 with a reason (required).</summary>
    public async Task<ApplyResult> RejectAsync(ClaimsPrincipal user, Guid id, string? reason, CancellationToken ct)
    {
        var (a, refusal) = await LoadForDecisionAsync(user, id, ct);
        if (refusal is not null) return refusal;
        if (a!.Status != ApplicationStatus.Pending) return ApplyResult.Fail("", $"申请当前状态为“{OpenApplication.Label(a.Status)}”，不能再审批", StatusCodes.Status409Conflict);
        var why = FeedbackService.Clean(reason);
        if (why is null) return ApplyResult.Fail("rejectReason", "驳回申请必须填写理由（申请人将看到该理由）");
        if (why.Length > ReasonMax) return ApplyResult.Fail("rejectReason", $"理由不能超过{ReasonMax}个字");
        a.Status = ApplicationStatus.Rejected;
        a.DecidedAt = Now;
        a.DecidedBy = user.GetUserId();
        a.DecidedByName = user.GetDisplayName();
        a.DecisionReason = why;
        return await SaveAsync(a, ct);
    }

    /// <summary>撤销 an approved application (reason required): the exchange grant is revoked at once.</summary>
    public async Task<ApplyResult> RevokeAsync(ClaimsPrincipal user, Guid id, string? reason, CancellationToken ct)
    {
        var (a, refusal) = await LoadForDecisionAsync(user, id, ct);
        if (refusal is not null) return refusal;
        if (a!.Status != ApplicationStatus.Approved || a.GrantId is null || a.IsExpired(Today))
            return ApplyResult.Fail("", $"申请当前状态为“{a.StatusLabel(Today)}”，不能撤销", StatusCodes.Status409Conflict);
        var why = FeedbackService.Clean(reason);
        if (why is null) return ApplyResult.Fail("revokeReason", "撤销授权必须填写理由（申请人将看到该理由）");
        if (why.Length > ReasonMax) return ApplyResult.Fail("revokeReason", $"理由不能超过{ReasonMax}个字");
        var revoked = await grants.RevokeAsync(Actor(user), a.GrantId.Value, why, ct);
        if (!revoked.Ok) return ApplyResult.Fail("", revoked.Refusal ?? revoked.Errors?.Values.FirstOrDefault()?[0] ?? "撤销未完成", StatusCodes.Status409Conflict);
        a.Status = ApplicationStatus.Revoked;
        a.ClosedAt = Now;
        a.CloseReason = why;
        return await SaveAsync(a, ct);
    }

    // ------------------------------------------------------------------ applicant

    private async Task<(OpenApplication? Application, ApplyResult? Refusal)> LoadOwnAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var a = await db.OpenApplications().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null || a.UserId != user.GetUserId()) return (null, ApplyResult.Fail("", "申请不存在", StatusCodes.Status404NotFound));
        return (a, null);
    }

    /// <summary>撤回 a pending application (the applicant).</summary>
    public async Task<ApplyResult> WithdrawAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var (a, refusal) = await LoadOwnAsync(user, id, ct);
        if (refusal is not null) return refusal;
        if (a!.Status != ApplicationStatus.Pending) return ApplyResult.Fail("", $"申请当前状态为“{a.StatusLabel(Today)}”，不能撤回", StatusCodes.Status409Conflict);
        a.Status = ApplicationStatus.Withdrawn;
        a.ClosedAt = Now;
        a.CloseReason = "申请人撤回";
        return await SaveAsync(a, ct);
    }

    /// <summary>利用报告 (the applicant, once a grant was issued; may be revised).</summary>
    public async Task<ApplyResult> ReportAsync(ClaimsPrincipal user, Guid id, string? text, CancellationToken ct)
    {
        var (a, refusal) = await LoadOwnAsync(user, id, ct);
        if (refusal is not null) return refusal;
        if (!a!.MayReport) return ApplyResult.Fail("", "只有获批的申请才需要提交利用报告", StatusCodes.Status409Conflict);
        var report = FeedbackService.Clean(text);
        if (Length(report, "利用报告", ReportMin, ReportMax) is { } e) return ApplyResult.Fail("report", e);
        a.ReportText = report;
        a.ReportSubmittedAt = Now;
        return await SaveAsync(a, ct);
    }

    private async Task<ApplyResult> SaveAsync(OpenApplication a, CancellationToken ct)
    {
        a.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApplyResult.Fail("", "该申请刚被他人处理，请刷新后查看", StatusCodes.Status409Conflict);
        }
        return ApplyResult.Success(a.Id);
    }
}
