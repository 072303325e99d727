using GovData.Exchange.Features.Pages.Shared;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Exchange.Features.Pages.Competent;

/// <summary>The competent department's queue: compliance checks, overdue and escalated requests in reach.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class QueueModel(SharingService sharing) : RequestListModel(sharing)
{
    protected override RequestBox Box => RequestBox.Competent;
    public override string Path => "/console/exchange/competent";
}
