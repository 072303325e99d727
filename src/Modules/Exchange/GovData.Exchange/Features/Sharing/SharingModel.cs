using System.Text.Json;
using GovData.Catalog.Contracts;
using GovData.Exchange.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GovData.Exchange.Features.Sharing;

/// <summary>EF Core mapping of the sharing tables (migration <c>0001_sharing</c>); called from <see cref="ExchangeDb"/>.</summary>
internal static class SharingModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void ConfigureSharing(this ModelBuilder b)
    {
        b.Entity<SharingRequest>(e =>
        {
            e.ToTable("exchange_requests");
            // Ids are created by the domain (Guid v7): an event added to a loaded request must be inserted, not updated.
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion(Codes<RequestKind>());
            e.Property(x => x.Status).HasConversion(Codes<RequestStatus>());
            e.Property(x => x.ShareType).HasConversion<int>();
            e.Property(x => x.Items).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            e.Property(x => x.RowScope).HasConversion(JsonConverter<List<ScopeCondition>>(), ListComparer<ScopeCondition>());
            e.Property(x => x.AccessModes).HasConversion(ModesConverter(), ListComparer<AccessMode>());
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.RequestId);
            e.Ignore(x => x.IsPending);
        });
        b.Entity<RequestEvent>(e =>
        {
            e.ToTable("exchange_request_events");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Action).HasConversion(Codes<RequestAction>());
            e.Property(x => x.FromStatus).HasConversion(NullableCodes<RequestStatus>());
            e.Property(x => x.ToStatus).HasConversion(Codes<RequestStatus>());
        });
        b.Entity<Grant>(e =>
        {
            e.ToTable("exchange_grants");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion(Codes<GrantStatus>());
            e.Property(x => x.QuotaUnit).HasConversion(Codes<QuotaUnit>());
            e.Property(x => x.Items).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            e.Property(x => x.RowScope).HasConversion(JsonConverter<List<ScopeCondition>>(), ListComparer<ScopeCondition>());
            e.Property(x => x.AccessModes).HasConversion(ModesConverter(), ListComparer<AccessMode>());
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.GrantId);
            e.Ignore(x => x.IsPublic);
            // Every department code path (lists, lookups, renewals, disputes, the deadline job) sees department grants
            // only; the public grants of 有条件开放 are read with IgnoreQueryFilters() in Contracts/OpenGrants.cs.
            e.HasQueryFilter(x => x.HolderKind == GrantHolders.Department);
        });
        b.Entity<GrantEvent>(e =>
        {
            e.ToTable("exchange_grant_events");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Action).HasConversion(Codes<GrantAction>());
            e.Property(x => x.FromStatus).HasConversion(NullableCodes<GrantStatus>());
            e.Property(x => x.ToStatus).HasConversion(Codes<GrantStatus>());
        });
        b.Entity<CalendarDay>(e =>
        {
            e.ToTable("exchange_calendar_days");
            e.HasKey(x => x.Day);
            e.Property(x => x.Kind).HasConversion(new ValueConverter<CalendarDayKind, string>(
                v => CalendarDay.Code(v), s => s == "workday" ? CalendarDayKind.Workday : CalendarDayKind.Holiday));
        });
    }

    /// <summary>The request table.</summary>
    public static DbSet<SharingRequest> Requests(this ExchangeDb db) => db.Set<SharingRequest>();

    /// <summary>The grant table.</summary>
    public static DbSet<Grant> Grants(this ExchangeDb db) => db.Set<Grant>();

    /// <summary>Request events.</summary>
    public static DbSet<RequestEvent> RequestEvents(this ExchangeDb db) => db.Set<RequestEvent>();

    /// <summary>Grant events.</summary>
    public static DbSet<GrantEvent> GrantEvents(this ExchangeDb db) => db.Set<GrantEvent>();

    /// <summary>The calendar exceptions.</summary>
    public static DbSet<CalendarDay> CalendarDays(this ExchangeDb db) => db.Set<CalendarDay>();

    /// <summary>The stored text of a sharing enumeration value (raw SQL uses the same).</summary>
    public static string DbText<T>(T value) where T : struct, Enum => SharingTerms.CodeOf(value);

    private static ValueConverter<T, string> Codes<T>() where T : struct, Enum =>
        new(v => SharingTerms.CodeOf(v), s => Parse<T>(s));

    private static ValueConverter<T?, string?> NullableCodes<T>() where T : struct, Enum =>
        new(v => v.HasValue ? SharingTerms.CodeOf(v.Value) : null, s => s == null ? null : Parse<T>(s));

    private static T Parse<T>(string s) where T : struct, Enum =>
        SharingTerms.TryParse<T>(s, out var v) ? v : throw new InvalidOperationException($"数据库中的代码“{s}”不是有效的 {typeof(T).Name}");

    private static ValueConverter<T, string> JsonConverter<T>() where T : class =>
        new(v => JsonSerializer.Serialize(v, Json), s => JsonSerializer.Deserialize<T>(s, Json)!);

    private static ValueConverter<List<AccessMode>, string> ModesConverter() =>
        new(v => string.Join(",", v.Select(SharingTerms.Code)),
            s => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Parse<AccessMode>).ToList());

    private static ValueComparer<List<T>> ListComparer<T>() =>
        new((a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
            v => v.Aggregate(17, (h, x) => HashCode.Combine(h, x == null ? 0 : x.GetHashCode())),
            v => v.ToList());
}
