using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GovData.Web.Infrastructure;

/// <summary>Title, description and the API-key security scheme of the OpenAPI document.</summary>
internal sealed class OpenApiDocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "GovData 政务数据共享开放平台 API",
            Version = "v1",
            Description = """
                所有接口位于 /api/v1 之下。程序调用请在请求头 `X-Api-Key` 中携带 API 密钥（在控制台“API 密钥”页面创建，明文只显示一次）；
                浏览器会话使用登录 Cookie。错误按 RFC 9457 返回 problem+json，`title`/`detail` 为中文说明，字段错误在 `errors` 中按字段列出。
                资源代码含“/”（如 303026010201/1），在路径中须写作 %2F（303026010201%2F1）。
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "API 密钥，格式 gd_xxxxxxxx_...",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
        return Task.CompletedTask;
    }
}
