using GovData.Exchange.Features.Access;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Persistence;

/// <summary>The Exchange module's own tables (prefix <c>exchange_</c>); schema from Migrations/*.sql.</summary>
internal sealed class ExchangeDb(DbContextOptions<ExchangeDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        // Application credentials (Features/Access/AppCredential.cs).
        b.ConfigureAccess();
        b.UseSnakeCaseNames();
    }
}
