using GovData.Exchange.Features.Pages.Shared;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Exchange.Features.Pages.Provider;

/// <summary>已发授权: grants of the department's resources.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class IssuedModel(GrantService grants) : GrantListModel(grants)
{
    public override string View => "provider";
    public override string Path => "/console/exchange/issued";
}
