using System.Security.Claims;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Access;

/// <summary>
/// A consumer department's applications (调用方应用): register (client id + secret, shown once), list, rotate the secret,
/// revoke. Used by the API (<see cref="AppsApi"/>) and the console page 应用与密钥, so both apply the same rules. Every change
/// is logged (<see cref="AccessAuditKinds.AppChanged"/>) in the same transaction.
/// </summary>
internal sealed class AppService(ExchangeDb db, AppSecrets secrets, IAuditTrail audit, TimeProvider clock, IOptions<AccessOptions> options)
{
    private const int MaxName = 100, MaxDescription = 500, MaxReason = 1000;
    public const string ManageDenied = "只有部门用数人员、部门管理员和平台管理员可以管理本部门的调用方应用";
    public const string SecretNotice = "密钥只显示这一次，请立即妥善保存到调用方系统的安全配置中；平台不能再次查看，遗失请轮换密钥。";

    /// <summary>用数人员, 部门管理员 or 平台管理员 with a department.</summary>
    public static bool IsConsumerStaff(ClaimsPrincipal user) => user.GetDepartmentId() is not null
        && (user.IsInRole(Roles.DataUser) || user.IsInRole(Roles.DepartmentAdmin) || user.IsInRole(Roles.PlatformAdmin));

    public async Task<SharingResult<AppSecretResponse>> CreateAsync(ClaimsPrincipal user, CreateAppRequest request, CancellationToken ct)
    {
        if (!IsConsumerStaff(user)) return SharingResult<AppSecretResponse>.Deny(ManageDenied);
        var department = user.GetDepartmentId()!.Value;
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0) errors["name"] = ["应用名称不能为空"];
        else if (name.Length > MaxName) errors["name"] = [$"应用名称不能超过 {MaxName} 个字"];
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description?.Length > MaxDescription) errors["description"] = [$"用途说明不能超过 {MaxDescription} 个字"];
        if (errors.Count > 0) return SharingResult<AppSecretResponse>.Invalid(errors);
        var existing = await db.Apps().Where(a => a.DepartmentId == department).Select(a => new { a.Name, a.Status }).ToListAsync(ct);
        if (existing.Any(a => a.Status == AppStatus.Active && a.Name == name))
            return SharingResult<AppSecretResponse>.Invalid("name", $"本部门已有名为“{name}”的有效应用");
        if (existing.Count >= options.Value.MaxAppsPerDepartment)
            return SharingResult<AppSecretResponse>.Clash($"每个部门最多登记 {options.Value.MaxAppsPerDepartment} 个应用（含已吊销的），请联系平台管理员");

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = secrets.Create();
        var app = new AppCredential
        {
            Id = Guid.CreateVersion7(),
            DepartmentId = department,
            Name = name,
            Description = description,
            ClientId = AppSecrets.NewClientId(),
            SecretProtected = secret.Protected,
            SecretHint = secret.Hint,
            Status = AppStatus.Active,
            CreatedBy = user.GetUserId(),
            CreatedByName = user.GetDisplayName(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Apps().Add(app);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(Change(app, user, $"登记调用方应用“{app.Name}”"), ct);
            await tx.CommitAsync(ct);
        }
        return SharingResult<AppSecretResponse>.Success(new AppSecretResponse(AppDto.From(app), app.ClientId, secret.Secret, SecretNotice));
    }

    public async Task<SharingResult<List<AppDto>>> ListAsync(ClaimsPrincipal user, Guid? departmentId, CancellationToken ct)
    {
        if (!IsConsumerStaff(user)) return SharingResult<List<AppDto>>.Deny(ManageDenied);
        var own = user.GetDepartmentId()!.Value;
        if (departmentId is { } other && other != own && !user.IsInRole(Roles.PlatformAdmin))
            return SharingResult<List<AppDto>>.Deny("只能查看本部门的调用方应用");
        var department = departmentId ?? own;
        var apps = await db.Apps().AsNoTracking().Where(a => a.DepartmentId == department).ToListAsync(ct);
        return SharingResult<List<AppDto>>.Success(
            apps.OrderBy(a => a.Status == AppStatus.Active ? 0 : 1).ThenByDescending(a => a.CreatedAt).Select(AppDto.From).ToList());
    }

    public async Task<AppDto?> GetAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var app = await db.Apps().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return app is null || !CanSee(user, app) ? null : AppDto.From(app);
    }

    public async Task<SharingResult<AppSecretResponse>> RotateAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var app = await db.Apps().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null || !CanSee(user, app)) return SharingResult<AppSecretResponse>.Missing();
        if (user.GetDepartmentId() != app.DepartmentId) return SharingResult<AppSecretResponse>.Deny("只能轮换本部门应用的密钥");
        if (app.Status != AppStatus.Active) return SharingResult<AppSecretResponse>.Clash("应用已吊销，不能轮换密钥");
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = secrets.Create();
        var grace = options.Value.RotationGraceMinutes;
        app.PreviousSecretProtected = grace > 0 ? app.SecretProtected : null;
        app.PreviousValidUntil = grace > 0 ? now.AddMinutes(grace) : null;
        app.SecretProtected = secret.Protected;
        app.SecretHint = secret.Hint;
        app.RotatedAt = now;
        app.UpdatedAt = now;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(Change(app, user, grace > 0 ? $"轮换应用“{app.Name}”的密钥（旧密钥 {grace} 分钟后失效）" : $"轮换应用“{app.Name}”的密钥（旧密钥立即失效）"), ct);
            await tx.CommitAsync(ct);
        }
        return SharingResult<AppSecretResponse>.Success(new AppSecretResponse(AppDto.From(app), app.ClientId, secret.Secret, SecretNotice));
    }

    public async Task<SharingResult<AppDto>> RevokeAsync(ClaimsPrincipal user, Guid id, RevokeAppRequest request, CancellationToken ct)
    {
        var app = await db.Apps().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null || !CanSee(user, app)) return SharingResult<AppDto>.Missing();
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length == 0) return SharingResult<AppDto>.Invalid("reason", "吊销应用必须说明原因");
        if (reason.Length > MaxReason) return SharingResult<AppDto>.Invalid("reason", $"原因不能超过 {MaxReason} 个字");
        if (app.Status != AppStatus.Active) return SharingResult<AppDto>.Clash("应用已吊销");
        var now = clock.GetUtcNow().UtcDateTime;
        app.Status = AppStatus.Revoked;
        app.RevokedAt = now;
        app.RevokedByName = user.GetDisplayName();
        app.RevokeReason = reason;
        app.PreviousSecretProtected = null;
        app.PreviousValidUntil = null;
        app.UpdatedAt = now;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(Change(app, user, $"吊销应用“{app.Name}”：{reason}"), ct);
            await tx.CommitAsync(ct);
        }
        return SharingResult<AppDto>.Success(AppDto.From(app));
    }

    private static bool CanSee(ClaimsPrincipal user, AppCredential app) =>
        IsConsumerStaff(user) && (user.GetDepartmentId() == app.DepartmentId || user.IsInRole(Roles.PlatformAdmin));

    private static AuditRecord Change(AppCredential app, ClaimsPrincipal user, string detail) =>
        new(AccessAuditKinds.AppChanged, AuditOutcomes.Ok, ConsumerDepartmentId: app.DepartmentId, ClientId: app.ClientId, UserId: user.GetUserId(),
            Detail: detail);
}
