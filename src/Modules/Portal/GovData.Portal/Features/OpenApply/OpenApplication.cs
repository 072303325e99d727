using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GovData.Portal.Features.OpenApply;

/// <summary>Stored status of an application (<c>portal_open_applications.status</c>).</summary>
internal enum ApplicationStatus
{
    /// <summary>待审核.</summary>
    Pending,
    /// <summary>已批准 (已到期 once past <see cref="OpenApplication.GrantedExpiresOn"/>).</summary>
    Approved,
    /// <summary>已驳回.</summary>
    Rejected,
    /// <summary>已撤回 by the applicant.</summary>
    Withdrawn,
    /// <summary>已撤销 by the providing department (the grant revoked).</summary>
    Revoked,
}

/// <summary>
/// A 有条件开放 application (申请表): who applies, for which dataset, for what (用途, 应用场景), which items for how long,
/// the accepted 安全承诺书 and 利用协议 (version and time), the department's decision, the exchange grant it produced,
/// and the 利用报告 afterwards.
/// </summary>
internal sealed class OpenApplication
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public string DatasetCode { get; set; } = "";
    public string DatasetName { get; set; } = "";
    /// <summary>The providing department (whose 部门管理员 decides).</summary>
    public Guid DepartmentId { get; set; }
    public Guid UserId { get; set; }
    public string ApplicantName { get; set; } = "";
    /// <summary>申请主体类型: 个人, 企业, 科研机构, 社会组织, 其他.</summary>
    public string ApplicantType { get; set; } = "";
    /// <summary>单位名称 (required unless 个人).</summary>
    public string? Organization { get; set; }
    /// <summary>联系方式.</summary>
    public string Contact { get; set; } = "";
    /// <summary>用途 (10–1000 characters).</summary>
    public string Purpose { get; set; } = "";
    /// <summary>应用场景.</summary>
    public string Scenario { get; set; } = "";
    /// <summary>Requested items (API field names), a subset of the dataset's.</summary>
    public List<string> Items { get; set; } = [];
    /// <summary>Requested period of use, days.</summary>
    public int PeriodDays { get; set; }
    public string PledgeVersion { get; set; } = "";
    public DateTime PledgeAcceptedAt { get; set; }
    public string AgreementVersion { get; set; } = "";
    public DateTime AgreementAcceptedAt { get; set; }
    public ApplicationStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public Guid? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    /// <summary>审核意见 (required when rejecting).</summary>
    public string? DecisionReason { get; set; }
    /// <summary>The exchange grant (<c>IOpenGrants</c>) issued on approval.</summary>
    public Guid? GrantId { get; set; }
    public List<string>? GrantedItems { get; set; }
    /// <summary>The granted row scope in words (e.g. “所属区划 以…开头 3701”), null = all rows.</summary>
    public string? GrantedScope { get; set; }
    public DateOnly? GrantedExpiresOn { get; set; }
    /// <summary>Withdrawn or revoked: when and why.</summary>
    public DateTime? ClosedAt { get; set; }
    public string? CloseReason { get; set; }
    /// <summary>利用报告.</summary>
    public string? ReportText { get; set; }
    public DateTime? ReportSubmittedAt { get; set; }
    public int Version { get; set; }

    /// <summary>已到期: approved and past the last granted day (local date <paramref name="today"/>).</summary>
    public bool IsExpired(DateOnly today) => Status == ApplicationStatus.Approved && GrantedExpiresOn is { } e && e < today;

    /// <summary>A 利用报告 may be submitted (a grant was issued).</summary>
    public bool MayReport => GrantId is not null && Status is ApplicationStatus.Approved or ApplicationStatus.Revoked;

    /// <summary>The grant has ended (expired or revoked) and no 利用报告 has been submitted.</summary>
    public bool ReportOverdue(DateOnly today) => MayReport && ReportSubmittedAt is null && (IsExpired(today) || Status == ApplicationStatus.Revoked);

    /// <summary>Chinese status as shown (已到期 derived).</summary>
    public string StatusLabel(DateOnly today) => IsExpired(today) ? "已到期" : Label(Status);

    public static string Label(ApplicationStatus s) => s switch
    {
        ApplicationStatus.Pending => "待审核",
        ApplicationStatus.Approved => "已批准",
        ApplicationStatus.Rejected => "已驳回",
        ApplicationStatus.Withdrawn => "已撤回",
        ApplicationStatus.Revoked => "已撤销",
        _ => s.ToString(),
    };
}

/// <summary>EF Core mapping (migration <c>0005_open_applications</c>); one line in <c>PortalDb</c>.</summary>
internal static class OpenApplyModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Configure(ModelBuilder b) => b.Entity<OpenApplication>(e =>
    {
        e.ToTable("portal_open_applications");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Status).HasConversion<string>();
        e.Property(x => x.Items).HasConversion(
            new ValueConverter<List<string>, string>(v => JsonSerializer.Serialize(v, Json), s => JsonSerializer.Deserialize<List<string>>(s, Json)!),
            Comparer());
        e.Property(x => x.GrantedItems).HasConversion(
            new ValueConverter<List<string>?, string?>(v => v == null ? null : JsonSerializer.Serialize(v, Json),
                s => s == null ? null : JsonSerializer.Deserialize<List<string>>(s, Json)),
            Comparer());
        e.Property(x => x.Version).IsConcurrencyToken();
    });

    private static ValueComparer<List<string>?> Comparer() =>
        new((a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
            v => v == null ? 0 : v.Aggregate(17, (h, x) => HashCode.Combine(h, x.GetHashCode())),
            v => v == null ? null : v.ToList());

    /// <summary>The applications table.</summary>
    public static DbSet<OpenApplication> OpenApplications(this Persistence.PortalDb db) => db.Set<OpenApplication>();
}

/// <summary>
/// The texts an applicant accepts, versioned: the version accepted is stored with the application, so a later change
/// of the wording never changes what an earlier applicant agreed to. A new wording gets a new version string.
/// </summary>
internal static class OpenAgreements
{
    public const string PledgeVersion = "2026.1";
    public const string AgreementVersion = "2026.1";

    public const string PledgeTitle = "数据安全承诺书";

    public static readonly IReadOnlyList<string> Pledge =
    [
        "一、本人/本单位承诺仅将获准使用的有条件开放数据用于申请表所列用途和应用场景，不超出获批的数据项、数据范围和使用期限。",
        "二、严格遵守《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》《中华人民共和国网络安全法》等法律法规，建立数据安全管理制度，采取必要的技术和管理措施保障数据安全。",
        "三、不以任何方式尝试还原已脱敏的数据，不将开放数据与其他数据关联比对以识别特定自然人，不利用数据从事危害国家安全、公共利益或他人合法权益的活动。",
        "四、妥善保管 API 密钥，不转让、出借或与他人共享；发现密钥泄露、数据泄露或其他安全事件，立即停止使用并在 24 小时内报告数据提供部门。",
        "五、使用期限届满、授权被撤销或用途已完成时，立即停止使用并删除获取的数据及其副本（法律法规另有规定的除外）。",
        "六、如违反本承诺，愿意承担相应的法律责任，并接受数据提供部门暂停或撤销授权的决定。",
    ];

    public const string AgreementTitle = "公共数据利用协议";

    public static readonly IReadOnlyList<string> Agreement =
    [
        "第一条 数据提供部门在审核同意的数据项、数据范围和有效期内，通过开放平台的开放数据接口向申请人提供数据；敏感数据项一律脱敏后提供。",
        "第二条 申请人通过本人开发者账号的 API 密钥调用接口，遵守平台公布的调用频率和每日调用配额；平台记录每一次调用以备审计。",
        "第三条 申请人在产品或成果中使用数据时，应注明数据来源为“GovData 公共数据开放门户”及数据提供部门，不得声称或暗示数据提供部门认可其产品或观点。",
        "第四条 申请人不得将原始数据转售、转让或再次开放；基于数据形成的统计、分析等衍生成果除外，但不得可识别到特定个人或企业。",
        "第五条 申请人应在使用期限届满后 30 日内（续用申请前）通过用户中心提交利用报告，说明数据使用情况、形成的成果和安全管理情况。",
        "第六条 申请人违反本协议或安全承诺书的，数据提供部门可随时撤销授权；数据提供部门因数据更新、安全事件或法律法规变化需要调整开放范围的，可调整或终止提供。",
        "第七条 本协议自申请获批之日起生效，至授权到期或撤销时终止；第三条至第五条在终止后继续有效。",
    ];
}
