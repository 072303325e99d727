namespace GovData.Portal.Features.Apps;

/// <summary>Addresses of the developer centre's pages.</summary>
internal static class AppPaths
{
    public const string List = "/portal/me/apps";

    public static string App(Guid id) => $"/portal/me/apps/{id}";
}
