namespace GovData.Exchange.Features.Sharing;

/// <summary>States of a sharing request (共享申请).</summary>
internal enum RequestStatus
{
    /// <summary>草稿: saved, not yet submitted.</summary>
    Draft,
    /// <summary>待合规审查: waiting for the competent department's compliance check.</summary>
    PendingCompliance,
    /// <summary>待提供方审批: 有条件共享, waiting for the providing department's decision.</summary>
    PendingProvider,
    /// <summary>已批准: a grant was issued (or extended, for a renewal).</summary>
    Approved,
    /// <summary>已拒绝: the provider refused, with reasons.</summary>
    Refused,
    /// <summary>合规审查未通过: the competent department refused, with reasons.</summary>
    ComplianceRejected,
    /// <summary>已撤回: withdrawn by the consumer department.</summary>
    Withdrawn,
}

/// <summary>What a request asks for.</summary>
internal enum RequestKind
{
    /// <summary>申请: access to a resource.</summary>
    New,
    /// <summary>续期: a longer term for an existing grant.</summary>
    Renewal,
}

/// <summary>The named transitions of a request.</summary>
internal enum RequestAction
{
    /// <summary>新建 (the draft is created; not a transition of an existing request).</summary>
    Create,
    /// <summary>提交申请.</summary>
    Submit,
    /// <summary>合规审查通过.</summary>
    PassCompliance,
    /// <summary>合规审查不通过.</summary>
    FailCompliance,
    /// <summary>批准 (provider).</summary>
    Approve,
    /// <summary>拒绝 (provider, with reasons).</summary>
    Refuse,
    /// <summary>撤回 (consumer).</summary>
    Withdraw,
    /// <summary>提请协调: overdue (flagged by the deadline job or the consumer) or disputed refusal.</summary>
    Escalate,
    /// <summary>协调: the competent department's note, optionally a new due date.</summary>
    Coordinate,
}

/// <summary>States of a grant (授权).</summary>
internal enum GrantStatus
{
    /// <summary>有效.</summary>
    Active,
    /// <summary>已撤销.</summary>
    Revoked,
    /// <summary>已过期.</summary>
    Expired,
}

/// <summary>Changes of a grant.</summary>
internal enum GrantAction
{
    /// <summary>授权生效.</summary>
    Issue,
    /// <summary>续期.</summary>
    Renew,
    /// <summary>撤销.</summary>
    Revoke,
    /// <summary>到期.</summary>
    Expire,
}

/// <summary>How the consumer uses the data.</summary>
internal enum AccessMode
{
    /// <summary>接口查询 (api).</summary>
    Api,
    /// <summary>核验 (verify).</summary>
    Verify,
    /// <summary>文件交付 (file).</summary>
    File,
    /// <summary>订阅增量 (feed).</summary>
    Feed,
}

/// <summary>What a daily quota counts.</summary>
internal enum QuotaUnit
{
    /// <summary>行: rows returned per day.</summary>
    Rows,
    /// <summary>次: calls per day.</summary>
    Calls,
}

/// <summary>Operators of a row-scope condition.</summary>
internal enum ScopeOperator
{
    /// <summary>等于 (one value).</summary>
    Eq,
    /// <summary>属于 (a list of values).</summary>
    In,
    /// <summary>以…开头 (one value, e.g. a region code prefix 3701).</summary>
    Prefix,
}

/// <summary>Stable codes (stored in the database and used in the API) and Chinese labels of the sharing enumerations.</summary>
internal static class SharingTerms
{
    public static string Code(RequestStatus s) => s switch
    {
        RequestStatus.Draft => "draft",
        RequestStatus.PendingCompliance => "pending_compliance",
        RequestStatus.PendingProvider => "pending_provider",
        RequestStatus.Approved => "approved",
        RequestStatus.Refused => "refused",
        RequestStatus.ComplianceRejected => "compliance_rejected",
        RequestStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Label(RequestStatus s) => s switch
    {
        RequestStatus.Draft => "草稿",
        RequestStatus.PendingCompliance => "待合规审查",
        RequestStatus.PendingProvider => "待提供方审批",
        RequestStatus.Approved => "已批准",
        RequestStatus.Refused => "已拒绝",
        RequestStatus.ComplianceRejected => "合规审查未通过",
        RequestStatus.Withdrawn => "已撤回",
        _ => s.ToString(),
    };

    public static string Code(RequestKind k) => k == RequestKind.New ? "new" : "renewal";

    public static string Label(RequestKind k) => k == RequestKind.New ? "申请" : "续期";

    public static string Code(RequestAction a) => a switch
    {
        RequestAction.Create => "create",
        RequestAction.Submit => "submit",
        RequestAction.PassCompliance => "pass_compliance",
        RequestAction.FailCompliance => "fail_compliance",
        RequestAction.Approve => "approve",
        RequestAction.Refuse => "refuse",
        RequestAction.Withdraw => "withdraw",
        RequestAction.Escalate => "escalate",
        RequestAction.Coordinate => "coordinate",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public static string Label(RequestAction a) => a switch
    {
        RequestAction.Create => "新建",
        RequestAction.Submit => "提交申请",
        RequestAction.PassCompliance => "合规审查通过",
        RequestAction.FailCompliance => "合规审查不通过",
        RequestAction.Approve => "批准",
        RequestAction.Refuse => "拒绝",
        RequestAction.Withdraw => "撤回",
        RequestAction.Escalate => "提请协调",
        RequestAction.Coordinate => "协调",
        _ => a.ToString(),
    };

    public static string Code(GrantStatus s) => s switch
    {
        GrantStatus.Active => "active",
        GrantStatus.Revoked => "revoked",
        GrantStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Label(GrantStatus s) => s switch
    {
        GrantStatus.Active => "有效",
        GrantStatus.Revoked => "已撤销",
        GrantStatus.Expired => "已过期",
        _ => s.ToString(),
    };

    public static string Code(GrantAction a) => a switch
    {
        GrantAction.Issue => "issue",
        GrantAction.Renew => "renew",
        GrantAction.Revoke => "revoke",
        GrantAction.Expire => "expire",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public static string Label(GrantAction a) => a switch
    {
        GrantAction.Issue => "授权生效",
        GrantAction.Renew => "续期",
        GrantAction.Revoke => "撤销",
        GrantAction.Expire => "到期",
        _ => a.ToString(),
    };

    public static string Code(AccessMode m) => m switch
    {
        AccessMode.Api => "api",
        AccessMode.Verify => "verify",
        AccessMode.File => "file",
        AccessMode.Feed => "feed",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    public static string Label(AccessMode m) => m switch
    {
        AccessMode.Api => "接口查询",
        AccessMode.Verify => "核验",
        AccessMode.File => "文件交付",
        AccessMode.Feed => "订阅增量",
        _ => m.ToString(),
    };

    public static string Code(QuotaUnit u) => u == QuotaUnit.Rows ? "rows" : "calls";

    public static string Label(QuotaUnit u) => u == QuotaUnit.Rows ? "行/日" : "次/日";

    public static string Code(ScopeOperator o) => o switch
    {
        ScopeOperator.Eq => "eq",
        ScopeOperator.In => "in",
        ScopeOperator.Prefix => "prefix",
        _ => throw new ArgumentOutOfRangeException(nameof(o)),
    };

    public static string Label(ScopeOperator o) => o switch
    {
        ScopeOperator.Eq => "等于",
        ScopeOperator.In => "属于",
        ScopeOperator.Prefix => "以…开头",
        _ => o.ToString(),
    };

    /// <summary>Parses a code of <typeparamref name="T"/> (case-insensitive, blanks ignored).</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(CodeOf(v), t, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        return false;
    }

    /// <summary>The code of any sharing enumeration value.</summary>
    public static string CodeOf<T>(T value) where T : struct, Enum => value switch
    {
        RequestStatus s => Code(s),
        RequestKind k => Code(k),
        RequestAction a => Code(a),
        GrantStatus g => Code(g),
        GrantAction ga => Code(ga),
        AccessMode m => Code(m),
        QuotaUnit u => Code(u),
        ScopeOperator o => Code(o),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>All codes of <typeparamref name="T"/>, for messages (“api、verify、file、feed”).</summary>
    public static string Codes<T>() where T : struct, Enum => string.Join("、", Enum.GetValues<T>().Select(CodeOf));
}
