using GovData.Exchange.Features.Pages.Shared;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Exchange.Features.Pages.Consumer;

/// <summary>我的申请: the department's requests, newest first.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class MyRequestsModel(SharingService sharing) : RequestListModel(sharing)
{
    protected override RequestBox Box => RequestBox.Consumer;
    public override string Path => "/console/exchange/requests";
}
