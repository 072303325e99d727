using System.Security.Cryptography;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Storage;
using GovData.Data.Features.Versions;
using Microsoft.Extensions.Options;

namespace GovData.Data.Tests.Core;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string _folder = GovData.Tests.Common.TestEnvironment.NewTempFolder("blobs");

    private BlobStore Store(long max) =>
        new(new DataPaths(_folder), Options.Create(new DataOptions { MaxUploadBytes = max }), TimeProvider.System);

    [Fact]
    public async Task Writes_stream_with_sha256_and_relative_paths()
    {
        var store = Store(1 << 20);
        var content = new byte[300_000];
        Random.Shared.NextBytes(content);
        var blob = await store.WriteAsync(new MemoryStream(content), BlobStore.Uploads);
        blob.Size.ShouldBe(content.Length);
        blob.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        blob.Path.ShouldStartWith("uploads/");
        Path.IsPathRooted(blob.Path).ShouldBeFalse();
        await using (var read = store.OpenRead(blob.Path)!)
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            copy.ToArray().ShouldBe(content);
        }
        await store.DeleteAsync(blob.Path);
        store.OpenRead(blob.Path).ShouldBeNull();
    }

    [Fact]
    public async Task Oversize_uploads_stop_with_a_chinese_error_and_leave_nothing()
    {
        var store = Store(1000);
        var ex = await Should.ThrowAsync<BlobTooLargeException>(() => store.WriteAsync(new MemoryStream(new byte[1001]), BlobStore.Files));
        ex.Message.ShouldBe("上传的文件超过大小限制（最大 1000 字节），已停止接收");
        Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).ShouldBeEmpty();
        (await store.WriteAsync(new MemoryStream(new byte[1000]), BlobStore.Files)).Size.ShouldBe(1000);
        BlobStore.FormatSize(DataOptions.DefaultMaxUploadBytes).ShouldBe("4 GiB");
    }

    [Fact]
    public void Stored_paths_cannot_leave_the_store()
    {
        var store = Store(1000);
        Should.Throw<ArgumentException>(() => store.Absolute("../outside"));
        Should.Throw<ArgumentException>(() => store.Absolute("/etc/passwd"));
        Should.Throw<ArgumentException>(() => store.OpenRead("uploads/../../x"));
    }

    public void Dispose() => GovData.Tests.Common.TestEnvironment.TryDeleteFolder(_folder);
}

public sealed class UpdateTimelinessTests
{
    private static readonly DateTime Loaded = new(2026, 1, 31, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(UpdateCycle.Realtime, "2026-02-01 08:00")]
    [InlineData(UpdateCycle.Daily, "2026-02-01 08:00")]
    [InlineData(UpdateCycle.Weekly, "2026-02-07 08:00")]
    [InlineData(UpdateCycle.TenDays, "2026-02-10 08:00")]
    [InlineData(UpdateCycle.Monthly, "2026-02-28 08:00")]     // month end: the last day of the shorter month
    [InlineData(UpdateCycle.Quarterly, "2026-04-30 08:00")]
    [InlineData(UpdateCycle.HalfYearly, "2026-07-31 08:00")]
    [InlineData(UpdateCycle.Yearly, "2027-01-31 08:00")]
    public void Due_dates_follow_the_update_cycle(UpdateCycle cycle, string due)
    {
        var at = UpdateTimeliness.DueAt(cycle, Loaded)!.Value;
        at.ToString("yyyy-MM-dd HH:mm").ShouldBe(due);
        UpdateTimeliness.Evaluate(cycle, Loaded, at).Status.ShouldBe(TimelinessStatus.OnTime);          // the deadline itself is still on time
        var late = UpdateTimeliness.Evaluate(cycle, Loaded, at.AddMinutes(1));
        late.Status.ShouldBe(TimelinessStatus.Overdue);
        late.Label.ShouldBe("逾期");
    }

    [Theory]
    [InlineData(UpdateCycle.Irregular)]
    [InlineData(UpdateCycle.Other)]
    [InlineData(null)]
    public void Irregular_cycles_have_no_deadline(UpdateCycle? cycle)
    {
        UpdateTimeliness.DueAt(cycle, Loaded).ShouldBeNull();
        var t = UpdateTimeliness.Evaluate(cycle, Loaded, Loaded.AddYears(10));
        (t.Status, t.DueAt, t.Label).ShouldBe((TimelinessStatus.OnTime, (DateTime?)null, "按时"));
        t.Description.ShouldContain("无固定更新期限");
    }

    [Fact]
    public void Without_a_load_it_is_not_loaded()
    {
        var t = UpdateTimeliness.Evaluate(UpdateCycle.Daily, null, Loaded);
        (t.Status, t.Label).ShouldBe((TimelinessStatus.NotLoaded, "未加载"));
        UpdateTimeliness.Evaluate(UpdateCycle.Weekly, Loaded, Loaded.AddDays(9)).Description.ShouldContain("已逾期 2 天");
    }
}

public sealed class LoadOptionsTests
{
    [Theory]
    [InlineData(null, 5.0, null)]
    [InlineData("5%", 5.0, null)]
    [InlineData("0.5％", 0.5, null)]
    [InlineData("0", null, 0L)]
    [InlineData("100", null, 100L)]
    public void Thresholds_are_percent_or_rows(string? text, double? percent, long? rows)
    {
        var t = ErrorThreshold.Parse(text, out var error)!;
        error.ShouldBeNull();
        (t.MaxPercent, t.MaxRows).ShouldBe((percent, rows));
    }

    [Fact]
    public void Threshold_decisions()
    {
        ErrorThreshold.Default.IsExceeded(5, 100).ShouldBeFalse();
        ErrorThreshold.Default.IsExceeded(6, 100).ShouldBeTrue();
        ErrorThreshold.Parse("0", out _)!.IsExceeded(1, 1_000_000).ShouldBeTrue();
        ErrorThreshold.Parse("0", out _)!.IsExceeded(0, 1_000_000).ShouldBeFalse();
        ErrorThreshold.Parse("10", out _)!.IsExceededEarly(11).ShouldBeTrue();
        ErrorThreshold.Parse("abc", out var error).ShouldBeNull();
        error!.ShouldContain("错误阈值“abc”无效");
        ErrorThreshold.Parse("150%", out _).ShouldBeNull();
    }

    [Fact]
    public void Options_are_parsed_with_chinese_errors_per_field()
    {
        var (ok, none) = LoadOptions.Parse("upsert", "{\"卡号\":\"card_no\",\"备注\":\"\"}", "-,NULL,无", "2%", "GBK", "\\t", "Sheet1", "csv");
        none.ShouldBeNull();
        ok!.Mode.ShouldBe(GovData.Data.Persistence.LoadMode.Upsert);
        ok.Encoding.ShouldBe("gb18030");
        ok.Delimiter.ShouldBe('\t');
        ok.NullMarkers.ShouldBe(["-", "NULL", "无"]);
        ok.Mapping!["卡号"].ShouldBe("card_no");
        LoadOptions.FromJson(ok.ToJson()).ShouldBe(ok with { }, new OptionsComparer());

        var (bad, errors) = LoadOptions.Parse("replace", "[1,2]", null, "x", "latin1", ";;", null, "pdf");
        bad.ShouldBeNull();
        errors!.Keys.Order().ShouldBe(["delimiter", "encoding", "format", "mapping", "mode", "threshold"]);
        errors["mode"][0].ShouldContain("full（全量");
    }

    private sealed class OptionsComparer : IEqualityComparer<LoadOptions>
    {
        public bool Equals(LoadOptions? x, LoadOptions? y) => x!.ToJson() == y!.ToJson();
        public int GetHashCode(LoadOptions obj) => 0;
    }
}
