using GovData.Exchange.Features.Sharing;

namespace GovData.Exchange.Features.Disputes;

/// <summary>States of a data dispute (数据异议).</summary>
internal enum DisputeStatus
{
    /// <summary>待核实: the provider has to verify it.</summary>
    Open,
    /// <summary>已更正: the provider corrected the data (a new data version).</summary>
    Corrected,
    /// <summary>已驳回: the provider verified the data as right, with a reason.</summary>
    Rejected,
    /// <summary>已撤回: withdrawn by the consumer.</summary>
    Withdrawn,
}

/// <summary>Named transitions of a dispute.</summary>
internal enum DisputeAction
{
    /// <summary>提出异议 (creation).</summary>
    Create,
    /// <summary>核实更正 (provider, linking the corrected data version).</summary>
    Correct,
    /// <summary>驳回异议 (provider, with a reason).</summary>
    Reject,
    /// <summary>撤回异议 (consumer).</summary>
    Withdraw,
}

/// <summary>Codes and labels of the dispute enumerations.</summary>
internal static class DisputeTerms
{
    public static string Code(DisputeStatus s) => s switch
    {
        DisputeStatus.Open => "open",
        DisputeStatus.Corrected => "corrected",
        DisputeStatus.Rejected => "rejected",
        DisputeStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Label(DisputeStatus s) => s switch
    {
        DisputeStatus.Open => "待核实",
        DisputeStatus.Corrected => "已更正",
        DisputeStatus.Rejected => "已驳回",
        DisputeStatus.Withdrawn => "已撤回",
        _ => s.ToString(),
    };

    public static string Code(DisputeAction a) => a switch
    {
        DisputeAction.Create => "create",
        DisputeAction.Correct => "correct",
        DisputeAction.Reject => "reject",
        DisputeAction.Withdraw => "withdraw",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public static string Label(DisputeAction a) => a switch
    {
        DisputeAction.Create => "提出异议",
        DisputeAction.Correct => "核实更正",
        DisputeAction.Reject => "驳回异议",
        DisputeAction.Withdraw => "撤回异议",
        _ => a.ToString(),
    };

    public static bool TryParse(string? text, out DisputeStatus status)
    {
        status = default;
        foreach (var s in Enum.GetValues<DisputeStatus>())
            if (string.Equals(Code(s), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { status = s; return true; }
        return false;
    }

    public static DisputeAction ParseAction(string code) =>
        Enum.GetValues<DisputeAction>().First(a => Code(a) == code);

    public static DisputeStatus ParseStatus(string code) =>
        TryParse(code, out var s) ? s : throw new InvalidOperationException($"数据库中的异议状态“{code}”无效");
}

/// <summary>What a consumer reports, already checked against its grant.</summary>
/// <param name="RecordKey">Which record: its key values as the consumer received them (e.g. credit_code=9137…).</param>
/// <param name="Field">The item in doubt (a granted item), or null for the whole record.</param>
/// <param name="ReportedValue">The value received.</param>
/// <param name="ExpectedValue">The value the consumer believes right.</param>
/// <param name="Description">What is wrong.</param>
/// <param name="Evidence">The evidence (documents, registrations, on-site findings …).</param>
/// <param name="DataVersion">The data version the consumer read, when known.</param>
internal sealed record DisputeContent(
    string RecordKey, string? Field, string? ReportedValue, string? ExpectedValue, string Description, string Evidence, int? DataVersion);

/// <summary>
/// A data dispute (数据异议/校核纠错): a consumer flags a record or field of a resource it was granted, with evidence; the
/// provider verifies and either corrects the data (linking the new data version) or rejects the dispute with a reason,
/// within a working-day limit. 待核实 → 已更正 | 已驳回 (provider) | 已撤回 (consumer); the last three are final.
/// </summary>
internal sealed class Dispute
{
    private Dispute()
    {
    }

    public Guid Id { get; private set; }
    /// <summary>The consumer's grant under which the data was received.</summary>
    public Guid GrantId { get; private set; }
    public Guid ResourceEntryId { get; private set; }
    public string ResourceCode { get; private set; } = "";
    public string ResourceName { get; private set; } = "";
    public Guid ProviderDepartmentId { get; private set; }
    public string ProviderRegionCode { get; private set; } = "";
    public Guid ConsumerDepartmentId { get; private set; }
    public Guid? ReporterId { get; private set; }
    public string ReporterName { get; private set; } = "";
    public string RecordKey { get; private set; } = "";
    public string? Field { get; private set; }
    public string? ReportedValue { get; private set; }
    public string? ExpectedValue { get; private set; }
    public string Description { get; private set; } = "";
    public string Evidence { get; private set; } = "";
    public int? DataVersion { get; private set; }
    public DisputeStatus Status { get; private set; }
    public DateOnly DueOn { get; private set; }
    public DateTime DueAt { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    /// <summary>The provider's answer: what was corrected, or why the data stands.</summary>
    public string? ResolutionNote { get; private set; }
    /// <summary>The data version that carries the correction.</summary>
    public int? CorrectedVersion { get; private set; }
    public int EventCount { get; private set; }
    public int Version { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public List<DisputeEvent> Events { get; private set; } = [];

    /// <summary>Waiting for the provider past its due date.</summary>
    public bool IsOverdue(DateTime now) => Status == DisputeStatus.Open && now >= DueAt;

    /// <summary>A new dispute (待核实) about data received under <paramref name="grant"/>; due in the configured working days.</summary>
    public static Dispute Create(Grant grant, string providerRegionCode, DisputeContent content, Actor reporter, DateTime now, (DateOnly On, DateTime At) due)
    {
        var d = new Dispute
        {
            Id = Guid.CreateVersion7(),
            GrantId = grant.Id,
            ResourceEntryId = grant.ResourceEntryId,
            ResourceCode = grant.ResourceCode,
            ResourceName = grant.ResourceName,
            ProviderDepartmentId = grant.ProviderDepartmentId,
            ProviderRegionCode = providerRegionCode,
            ConsumerDepartmentId = grant.ConsumerDepartmentId,
            ReporterId = reporter.UserId,
            ReporterName = reporter.Name,
            RecordKey = content.RecordKey,
            Field = content.Field,
            ReportedValue = content.ReportedValue,
            ExpectedValue = content.ExpectedValue,
            Description = content.Description,
            Evidence = content.Evidence,
            DataVersion = content.DataVersion,
            Status = DisputeStatus.Open,
            DueOn = due.On,
            DueAt = due.At,
            CreatedAt = now,
            UpdatedAt = now,
        };
        d.Record(DisputeAction.Create, null, reporter, now, null, $"核实期限 {due.On:yyyy-MM-dd}");
        return d;
    }

    /// <summary>核实更正: 待核实 → 已更正, with what was corrected and the data version carrying it.</summary>
    public DisputeEvent Correct(Actor who, DateTime now, string? note, int? correctedVersion)
    {
        var from = Check(DisputeAction.Correct);
        var text = Required(note, "note", "更正说明不能为空：请说明核实与更正的情况");
        if (correctedVersion is null) throw new SharingException("correctedVersion（更正后的数据版本号）不能为空", "correctedVersion");
        if (correctedVersion < 1) throw new SharingException("correctedVersion（更正后的数据版本号）必须是正整数", "correctedVersion");
        if (DataVersion is { } seen && correctedVersion <= seen)
            throw new SharingException($"更正后的数据版本必须晚于异议所指的版本 {seen}", "correctedVersion");
        Status = DisputeStatus.Corrected;
        ResolvedAt = now;
        ResolutionNote = text;
        CorrectedVersion = correctedVersion;
        return Record(DisputeAction.Correct, from, who, now, text, $"更正已载入数据版本 {correctedVersion}");
    }

    /// <summary>驳回异议: 待核实 → 已驳回, with the reason (the data was verified as right).</summary>
    public DisputeEvent Reject(Actor who, DateTime now, string? reason)
    {
        var from = Check(DisputeAction.Reject);
        var text = Required(reason, "reason", "驳回异议必须说明理由");
        Status = DisputeStatus.Rejected;
        ResolvedAt = now;
        ResolutionNote = text;
        return Record(DisputeAction.Reject, from, who, now, text, null);
    }

    /// <summary>撤回异议 (consumer): 待核实 → 已撤回.</summary>
    public DisputeEvent Withdraw(Actor who, DateTime now, string? reason)
    {
        var from = Check(DisputeAction.Withdraw);
        Status = DisputeStatus.Withdrawn;
        ResolvedAt = now;
        return Record(DisputeAction.Withdraw, from, who, now, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), null);
    }

    /// <summary>The refusal of <paramref name="action"/> in <paramref name="status"/>, or null: only 待核实 disputes change.</summary>
    public static string? Refusal(DisputeStatus status, DisputeAction action) =>
        action != DisputeAction.Create && status == DisputeStatus.Open
            ? null
            : $"当前状态为“{DisputeTerms.Label(status)}”，不能{DisputeTerms.Label(action)}" + (action == DisputeAction.Create ? "" : "：异议已办结");

    private DisputeStatus Check(DisputeAction action)
    {
        if (Refusal(Status, action) is { } message) throw new SharingException(message);
        return Status;
    }

    private static string Required(string? text, string field, string message)
    {
        var t = string.IsNullOrWhiteSpace(text) ? throw new SharingException(message, field) : text.Trim();
        if (t.Length > 1000) throw new SharingException("说明不能超过1000个字", field);
        return t;
    }

    private DisputeEvent Record(DisputeAction action, DisputeStatus? from, Actor who, DateTime now, string? reason, string? detail)
    {
        var e = new DisputeEvent
        {
            Id = Guid.CreateVersion7(),
            DisputeId = Id,
            Seq = ++EventCount,
            Action = DisputeTerms.Code(action),
            FromStatus = from is { } f ? DisputeTerms.Code(f) : null,
            ToStatus = DisputeTerms.Code(Status),
            ActorId = who.UserId,
            ActorName = who.Name,
            ActorDepartmentId = who.DepartmentId,
            At = now,
            Reason = reason,
            Detail = detail,
        };
        Events.Add(e);
        UpdatedAt = now;
        Version++;
        return e;
    }
}

/// <summary>One transition of a dispute (<c>exchange_dispute_events</c>); codes as in <see cref="DisputeTerms"/>.</summary>
internal sealed class DisputeEvent
{
    public Guid Id { get; set; }
    public Guid DisputeId { get; set; }
    public int Seq { get; set; }
    public required string Action { get; set; }
    public string? FromStatus { get; set; }
    public required string ToStatus { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    public Guid? ActorDepartmentId { get; set; }
    public DateTime At { get; set; }
    public string? Reason { get; set; }
    public string? Detail { get; set; }

    /// <summary>核实更正（待核实 → 已更正）.</summary>
    public string Describe()
    {
        var label = DisputeTerms.Label(DisputeTerms.ParseAction(Action));
        var to = DisputeTerms.Label(DisputeTerms.ParseStatus(ToStatus));
        return FromStatus is null ? $"{label}（{to}）" : $"{label}（{DisputeTerms.Label(DisputeTerms.ParseStatus(FromStatus))} → {to}）";
    }
}
