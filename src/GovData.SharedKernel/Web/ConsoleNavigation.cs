using System.Security.Claims;

namespace GovData.SharedKernel.Web;

/// <summary>A link in the console's left navigation, contributed by a module.</summary>
/// <param name="Section">Group heading, e.g. 系统管理.</param>
/// <param name="Title">Link text.</param>
/// <param name="Href">Absolute path.</param>
/// <param name="Order">Sort key: sections and links sort by it.</param>
/// <param name="Visible">Who sees the link; the endpoint still enforces access itself.</param>
public sealed record ConsoleNavItem(string Section, string Title, string Href, int Order, Func<ClaimsPrincipal, bool>? Visible = null);

/// <summary>A number shown on the console home page.</summary>
public sealed record ConsoleCount(string Title, long Value, string? Href = null, int Order = 0);

/// <summary>A module's contribution to the console home page, computed for the signed-in user.</summary>
public interface IConsoleStatistics
{
    /// <summary>Counts this module shows on the home page for <paramref name="user"/>.</summary>
    Task<IReadOnlyList<ConsoleCount>> GetAsync(ClaimsPrincipal user, CancellationToken ct);
}
