using System.Data.Common;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Persistence;

/// <summary>A <see cref="DataDb"/> on a connection the caller already holds (temp tables and transactions are per connection).</summary>
internal static class DataDbFactory
{
    public static DataDb On(DbConnection connection, DatabaseProvider provider)
    {
        var options = new DbContextOptionsBuilder<DataDb>();
        if (provider == DatabaseProvider.PostgreSql) options.UseNpgsql(connection);
        else options.UseSqlite(connection);
        return new DataDb(options.Options);
    }
}
