using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Persistence;

/// <summary>The Exchange module's own tables (prefix <c>exchange_</c>); schema from Migrations/*.sql.</summary>
internal sealed class ExchangeDb(DbContextOptions<ExchangeDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        // Requests and grants (Features/Sharing/SharingModel.cs; DbSets as extension methods there).
        b.ConfigureSharing();
        // Data disputes (Features/Disputes/DisputeService.cs).
        b.ConfigureDisputes();
        b.UseSnakeCaseNames();
    }
}
