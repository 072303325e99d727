using GovData.Exchange.Features.Pages.Shared;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Exchange.Features.Pages.Provider;

/// <summary>审批队列: requests for the department's resources (default: waiting for its decision), most urgent first.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class ReviewModel(SharingService sharing) : RequestListModel(sharing)
{
    protected override RequestBox Box => RequestBox.Provider;
    public override string Path => "/console/exchange/review";
}
