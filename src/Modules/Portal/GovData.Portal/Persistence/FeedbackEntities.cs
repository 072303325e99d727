using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Persistence;

/// <summary>State of a 纠错 report or a 数据需求 in the providing department's queue (shown publicly).</summary>
internal enum FeedbackStatus
{
    /// <summary>待处理.</summary>
    Pending,
    /// <summary>已答复 (answered, e.g. an explanation).</summary>
    Answered,
    /// <summary>已采纳 (the data will be corrected / opened).</summary>
    Accepted,
    /// <summary>不予采纳 (with the reason in the answer).</summary>
    Rejected,
}

/// <summary>A dataset a user keeps in the user centre.</summary>
internal sealed class Favorite
{
    public Guid UserId { get; set; }
    public Guid EntryId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One user's rating (1–5) of a dataset; rating again replaces it.</summary>
internal sealed class Rating
{
    public Guid UserId { get; set; }
    public Guid EntryId { get; set; }
    public int Score { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A public comment on a dataset (shown at once; the platform administrator can hide and restore it).</summary>
internal sealed class Comment
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public required string DatasetCode { get; set; }
    public required string DatasetName { get; set; }
    public Guid UserId { get; set; }
    public required string AuthorName { get; set; }
    public required string Body { get; set; }
    public bool IsHidden { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ModeratedAt { get; set; }
    public Guid? ModeratedBy { get; set; }
    public string? ModerationNote { get; set; }
}

/// <summary>纠错: an error report on a dataset, answered publicly by the providing department within the time limit.</summary>
internal sealed class Correction
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public required string DatasetCode { get; set; }
    public required string DatasetName { get; set; }
    public Guid DepartmentId { get; set; }
    public Guid UserId { get; set; }
    public required string AuthorName { get; set; }
    /// <summary>The data item (field) concerned, if any.</summary>
    public string? FieldName { get; set; }
    /// <summary>The record concerned (a key value, a row description), if any.</summary>
    public string? RecordRef { get; set; }
    public required string Description { get; set; }
    public FeedbackStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public string? Answer { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public Guid? AnsweredBy { get; set; }
    public string? AnsweredByName { get; set; }
}

/// <summary>数据需求: a request for data not yet open, addressed to a department, answered publicly.</summary>
internal sealed class Demand
{
    public Guid Id { get; set; }
    public Guid DepartmentId { get; set; }
    public required string DepartmentName { get; set; }
    public Guid UserId { get; set; }
    public required string AuthorName { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public string? Purpose { get; set; }
    public FeedbackStatus Status { get; set; }
    public bool IsHidden { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public string? Answer { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public Guid? AnsweredBy { get; set; }
    public string? AnsweredByName { get; set; }
    public DateTime? ModeratedAt { get; set; }
    public Guid? ModeratedBy { get; set; }
    public string? ModerationNote { get; set; }
}

/// <summary>A word of the sensitive-word list kept in the database (added to the configured ones).</summary>
internal sealed class SensitiveWord
{
    public Guid Id { get; set; }
    public required string Word { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
}

/// <summary>Table mapping of the feedback entities (migration 0003_feedback).</summary>
internal static class FeedbackModel
{
    public static void Configure(Microsoft.EntityFrameworkCore.ModelBuilder b)
    {
        b.Entity<Favorite>(e => { e.ToTable("portal_favorites"); e.HasKey(x => new { x.UserId, x.EntryId }); });
        b.Entity<Rating>(e => { e.ToTable("portal_ratings"); e.HasKey(x => new { x.UserId, x.EntryId }); });
        b.Entity<Comment>(e => e.ToTable("portal_comments"));
        b.Entity<Correction>(e => { e.ToTable("portal_corrections"); e.Property(x => x.Status).HasConversion<string>(); });
        b.Entity<Demand>(e => { e.ToTable("portal_demands"); e.Property(x => x.Status).HasConversion<string>(); });
        b.Entity<SensitiveWord>(e => e.ToTable("portal_sensitive_words"));
    }
}
