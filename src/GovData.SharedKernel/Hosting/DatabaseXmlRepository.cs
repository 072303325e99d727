using System.Xml.Linq;
using Dapper;
using GovData.SharedKernel.Persistence;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace GovData.SharedKernel.Hosting;

/// <summary>
/// Keeps ASP.NET Core data-protection keys (cookie and antiforgery encryption) in the database, so a
/// cookie issued by one host is readable by every other host over the same database.
/// </summary>
public sealed class DatabaseXmlRepository(DatabaseSettings database) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.CreateConnection();
        return connection.Query<string>("SELECT xml FROM platform_data_protection_keys ORDER BY id")
            .Select(x => XElement.Parse(x)).ToList();
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.CreateConnection();
        connection.Execute("INSERT INTO platform_data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @at)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), at = DateTime.UtcNow });
    }
}
