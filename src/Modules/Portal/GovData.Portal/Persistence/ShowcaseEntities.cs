using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Persistence;

/// <summary>Moderation state of an application in 应用展示.</summary>
internal enum ShowcaseStatus
{
    /// <summary>待审核: submitted, not public.</summary>
    Pending,
    /// <summary>已通过: public.</summary>
    Approved,
    /// <summary>未通过: refused with a reason (shown to the author only).</summary>
    Rejected,
    /// <summary>已隐藏: was public, taken down by the platform administrator.</summary>
    Hidden,
}

/// <summary>应用展示: an application built on the open data (table <c>portal_showcase_apps</c>).</summary>
internal sealed class ShowcaseApp
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    /// <summary>Absolute http/https address of the application.</summary>
    public required string Url { get; set; }
    public Guid UserId { get; set; }
    /// <summary>The author's display name at submission.</summary>
    public required string AuthorName { get; set; }
    public ShowcaseStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ModeratedAt { get; set; }
    public Guid? ModeratedBy { get; set; }
    /// <summary>Reason of a refusal or of hiding.</summary>
    public string? ModerationNote { get; set; }
    public List<ShowcaseDataset> Datasets { get; set; } = [];
}

/// <summary>An open dataset an application uses (table <c>portal_showcase_datasets</c>).</summary>
internal sealed class ShowcaseDataset
{
    public Guid AppId { get; set; }
    public Guid EntryId { get; set; }
    public int Ordinal { get; set; }
    public required string DatasetCode { get; set; }
    public required string DatasetName { get; set; }
}

internal static class ShowcaseModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<ShowcaseApp>(e =>
        {
            e.ToTable("portal_showcase_apps");
            e.Property(x => x.Status).HasConversion<string>();
            e.HasMany(x => x.Datasets).WithOne().HasForeignKey(x => x.AppId);
        });
        b.Entity<ShowcaseDataset>(e =>
        {
            e.ToTable("portal_showcase_datasets");
            e.HasKey(x => new { x.AppId, x.EntryId });
        });
    }
}
