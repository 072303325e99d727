using GovData.SharedKernel.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Features.Pages;

/// <summary>Configuration section <c>GovData:Data:Pages</c> of the console pages.</summary>
internal sealed class DataPagesOptions
{
    /// <summary>Rows shown per page of 数据预览 (default 50).</summary>
    public int PreviewRows { get; set; } = 50;

    /// <summary>
    /// 字段概况 is computed over at most this many rows (the first ones by load position; default 200,000), so pressing
    /// 计算 on a table of millions of rows costs a bounded scan. The page says when the profile covers only part of the table.
    /// </summary>
    public int ProfileRowLimit { get; set; } = 200_000;
}

/// <summary>Registration of the console pages of the Data module (数据清单): navigation, home counts, page services.</summary>
internal static class DataPages
{
    public const string Section = "数据清单";

    internal static readonly ConsoleNavItem[] Navigation =
    [
        new(Section, "数据清单", DataUi.Root, 300, DataPageAccess.IsStaff),
    ];

    public static IServiceCollection AddDataPages(this IServiceCollection services)
    {
        services.AddOptions<DataPagesOptions>().BindConfiguration("GovData:Data:Pages")
            .Validate(o => o.PreviewRows is >= 1 and <= 1000 && o.ProfileRowLimit >= 1, "GovData:Data:Pages 配置无效：PreviewRows 为 1–1000，ProfileRowLimit ≥ 1");
        foreach (var item in Navigation) services.AddSingleton(item);
        services.AddScoped<IConsoleStatistics, DataStatistics>();
        services.AddScoped<StagedLoads>();
        services.AddScoped<ColumnProfiler>();
        return services;
    }
}
