using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Open;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Http;

namespace GovData.Portal.Features.OpenApply;

/// <summary>The outcome for one call: the policy to read with (granted items, row scope, masked), or the Chinese refusal (403).</summary>
internal sealed record ConditionalDecision(AccessPolicy? Policy, OpenGrant? Grant, string? Refusal);

/// <summary>
/// Reads of 有条件开放 datasets through the open API (rows and export): only with a developer's API key (<c>X-Api-Key</c>)
/// whose account holds an active exchange grant for the dataset (<see cref="IOpenGrants"/>, asked on every call so a
/// revocation or expiry applies at once). The grant's items and row scope become the Data policy, masking always on.
/// Every keyed attempt — served or refused — is written to the exchange audit log (kind <c>access.open</c>).
/// The rate limits of <see cref="OpenGate"/> apply as to every open call (the endpoint filter runs first).
/// </summary>
internal sealed class ConditionalAccess(IOpenGrants grants, TimeProvider clock)
{
    /// <summary>The policy of the caller's grant, or why not.</summary>
    public async Task<ConditionalDecision> DecideAsync(HttpContext context, OpenDataset dataset, CancellationToken ct)
    {
        var user = context.User;
        var apply = PortalPaths.Dataset(dataset.Code) + "/apply";
        if (!user.IsApiKeyCaller() || user.GetUserId() is not { } accountId)
            return new(null, null, OpenData.ApplyMessage(dataset)
                + $"已获批准的开发者请使用本人账号的 API 密钥（请求头 X-Api-Key）调用；尚未申请的请在 {apply} 提交申请。");
        var (state, grant) = await grants.FindAsync(accountId, dataset.Code.ToString(), clock.GetUtcNow().UtcDateTime, ct);
        var refusal = state switch
        {
            OpenGrantState.Active => null,
            OpenGrantState.Expired => $"您对数据集“{dataset.Name}”的使用授权已于 {grant!.ExpiresOn:yyyy-MM-dd} 到期（已过期），接口不再提供其数据；如需继续使用，请提交利用报告并在 {apply} 重新申请。",
            OpenGrantState.Revoked => $"您对数据集“{dataset.Name}”的使用授权已被提供部门撤销（已撤销）" + (grant!.RevokeReason is { } r ? $"，理由：{r}" : "") + "。",
            _ => $"数据集“{dataset.Name}”为有条件开放，您的账号尚未获准使用（未申请或申请尚未批准）：请在 {apply} 提交申请，提供部门批准后即可用本 API 密钥读取。",
        };
        if (refusal is not null)
        {
            await RecordAsync(context, dataset, grant, accountId, false, 0, refusal, ct);
            return new(null, grant, refusal);
        }
        return new(grant!.Policy, grant, null);
    }

    /// <summary>Writes one access to the exchange audit log.</summary>
    public Task RecordAsync(HttpContext context, OpenDataset dataset, OpenGrant? grant, Guid accountId, bool allowed, long rows, string detail,
        CancellationToken ct) =>
        grants.RecordAccessAsync(new OpenGrantAccess(grant?.Id, accountId, context.User.FindFirst(GovDataClaims.ApiKeyId)?.Value,
            dataset.Code.ToString(), dataset.DepartmentId, allowed, rows,
            (allowed ? "" : "拒绝：") + $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} — {detail}"), ct);
}
