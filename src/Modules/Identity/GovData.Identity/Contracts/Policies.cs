namespace GovData.Identity.Contracts;

/// <summary>Authorization policy names registered by the Identity module for every module to use.</summary>
public static class Policies
{
    /// <summary>Any signed-in government staff member (has a department).</summary>
    public const string Staff = "govdata.staff";
    /// <summary>平台管理员.</summary>
    public const string PlatformAdmin = "govdata.platform_admin";
    /// <summary>平台管理员 or 部门管理员 (scope is then checked per object).</summary>
    public const string ManageUsers = "govdata.manage_users";
    /// <summary>安全审计员 or 平台管理员: read logs.</summary>
    public const string ReadAuditLog = "govdata.read_audit";
    /// <summary>Read departments and users (all staff; an API key needs identity:read).</summary>
    public const string ReadIdentity = "govdata.read_identity";
    /// <summary>Any signed-in account, public or staff.</summary>
    public const string SignedIn = "govdata.signed_in";
}
