namespace GovData.Identity.Contracts;

/// <summary>Scopes an API key can carry. A key never grants more than its owner's roles allow.</summary>
public static class ApiScopes
{
    /// <summary>Read departments, users and regions.</summary>
    public const string IdentityRead = "identity:read";
    /// <summary>Manage departments and users.</summary>
    public const string IdentityWrite = "identity:write";
    /// <summary>Read the catalog.</summary>
    public const string CatalogRead = "catalog:read";
    /// <summary>Compile and submit catalog entries.</summary>
    public const string CatalogWrite = "catalog:write";
    /// <summary>Read data lists.</summary>
    public const string DataRead = "data:read";
    /// <summary>Load data.</summary>
    public const string DataWrite = "data:write";
    /// <summary>Query granted shared data.</summary>
    public const string ExchangeQuery = "exchange:query";
    /// <summary>Read audit and security logs.</summary>
    public const string AuditRead = "audit:read";
    /// <summary>Call the open data API (the only scope of a developer app's key).</summary>
    public const string OpenRead = "open:read";

    /// <summary>Every scope with its Chinese description.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        [IdentityRead] = "读取部门、用户与行政区划",
        [IdentityWrite] = "管理部门与用户",
        [CatalogRead] = "读取资源目录",
        [CatalogWrite] = "编制与报送资源目录",
        [DataRead] = "读取数据清单",
        [DataWrite] = "导入数据",
        [ExchangeQuery] = "调用已授权的共享数据",
        [AuditRead] = "读取审计与安全日志",
        [OpenRead] = "调用开放数据接口（开发者应用）",
    };
}
