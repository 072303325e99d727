using GovData.Exchange.Features.Pages.Shared;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Exchange.Features.Pages.Consumer;

/// <summary>我的授权: grants the department received.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class MyGrantsModel(GrantService grants) : GrantListModel(grants)
{
    public override string View => "consumer";
    public override string Path => "/console/exchange/grants";
}
