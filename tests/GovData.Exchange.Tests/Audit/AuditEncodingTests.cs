using GovData.Exchange.Features.Audit;

namespace GovData.Exchange.Tests.Audit;

/// <summary>The canonical encoding v1 byte for byte (the expected bytes and hashes were produced independently with Python).</summary>
public sealed class AuditEncodingTests
{
    private static readonly AuditRecord Golden = new(
        AuditKinds.Query, AuditOutcomes.Ok,
        ConsumerDepartmentId: Guid.Parse("11111111-2222-3333-4444-555555555555"),
        ClientId: "app-人社",
        ResourceCode: "303026010201/1",
        GrantId: Guid.Parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
        Purpose: "社保资格认定",
        MessageId: "req-1",
        RowsReturned: 3,
        RequestHash: string.Concat(Enumerable.Repeat("ab", 32)),
        Detail: "说明\n第二行");

    private static readonly DateTime GoldenTime = new DateTime(2026, 11, 22, 2, 3, 4, DateTimeKind.Utc).AddTicks(1_234_560);

    [Fact]
    public void Version_1_bytes_and_hashes_are_exactly_as_documented()
    {
        var bytes = AuditEncoding.Encode(42, GoldenTime, Golden);
        Convert.ToHexStringLower(bytes).ShouldBe(
            "4744414c01000000000000002a000660d3e0ade840010000000c6163636573732e717565727901000000026f6b0111111111222233334444555555555555" +
            "00010000000a6170702de4babae7a4be00010000000e3330333032363031303230312f3101aaaaaaaabbbbccccddddeeeeeeeeeeee000100000012e7a4be" +
            "e4bf9de8b584e6a0bce8aea4e5ae9a0001000000057265712d31000000000000000301000000406162616261626162616261626162616261626162616261" +
            "6261626162616261626162616261626162616261626162616261626162616261626162616261626162000100000010e8afb4e6988e0ae7acace4ba8ce8a1" +
            "8c");
        var entry = AuditEncoding.EntryHash(bytes);
        Convert.ToHexStringLower(entry).ShouldBe("f70e3be80bd8cde675270aac31a9a142f0da86c3f488352ee054b671c5c132b4");
        Convert.ToHexStringLower(AuditEncoding.LeafHash(bytes)).ShouldBe("304956818e9857b5d3b455f7ac56b671a89223ac21de4f06366e2af5707ff706");
        Convert.ToHexStringLower(AuditEncoding.ChainHash(AuditEncoding.GenesisChain, entry)).ShouldBe("15f5fde7d0add86adc67c84e81ea6d3c22a9a0c96951b954475304a9f6e15786");

        var built = AuditWriter.Build(42, GoldenTime, Golden, AuditEncoding.GenesisChain);
        built.EntryHash.ShouldBe("f70e3be80bd8cde675270aac31a9a142f0da86c3f488352ee054b671c5c132b4");
        built.ChainHash.ShouldBe("15f5fde7d0add86adc67c84e81ea6d3c22a9a0c96951b954475304a9f6e15786");
    }

    [Fact]
    public void Every_field_and_the_position_change_the_hash()
    {
        var baseline = Convert.ToHexStringLower(AuditEncoding.EntryHash(AuditEncoding.Encode(42, GoldenTime, Golden)));
        AuditRecord[] variants =
        [
            Golden with { Kind = AuditKinds.Verify }, Golden with { Outcome = AuditOutcomes.Denied },
            Golden with { ConsumerDepartmentId = null }, Golden with { ProviderDepartmentId = Guid.Empty }, Golden with { ClientId = "app-人社 " },
            Golden with { UserId = Guid.Empty }, Golden with { ResourceCode = "303026010201/2" }, Golden with { GrantId = null },
            Golden with { RequestId = Guid.Empty }, Golden with { Purpose = "" }, Golden with { Issue = "" }, Golden with { MessageId = null },
            Golden with { RowsReturned = 4 }, Golden with { RequestHash = null }, Golden with { ResponseHash = "" }, Golden with { Detail = "说明\r\n第二行" },
            // Moving text between neighbouring fields must not give the same bytes.
            Golden with { ClientId = "app-人社303026010201/1", ResourceCode = "" },
        ];
        var hashes = variants.Select(v => Convert.ToHexStringLower(AuditEncoding.EntryHash(AuditEncoding.Encode(42, GoldenTime, v)))).ToList();
        hashes.ShouldAllBe(h => h != baseline);
        hashes.Distinct().Count().ShouldBe(hashes.Count);
        Convert.ToHexStringLower(AuditEncoding.EntryHash(AuditEncoding.Encode(43, GoldenTime, Golden))).ShouldNotBe(baseline);
        Convert.ToHexStringLower(AuditEncoding.EntryHash(AuditEncoding.Encode(42, GoldenTime.AddTicks(10), Golden))).ShouldNotBe(baseline);
        // Below a microsecond the time is not stored, so it is not hashed either.
        Convert.ToHexStringLower(AuditEncoding.EntryHash(AuditEncoding.Encode(42, GoldenTime.AddTicks(7), Golden))).ShouldBe(baseline);
    }

    [Fact]
    public void Text_a_database_cannot_hold_exactly_is_normalized_and_empty_kinds_are_refused()
    {
        var r = AuditEncoding.Normalize(Golden with { Detail = "a\0b\uD800c", Purpose = "😀 ok" });
        r.Detail.ShouldBe("a\uFFFDb\uFFFDc");
        r.Purpose.ShouldBe("😀 ok");
        Should.Throw<ArgumentException>(() => AuditEncoding.Normalize(Golden with { Kind = " " })).Message.ShouldContain("类型");
        Should.Throw<ArgumentException>(() => AuditEncoding.Normalize(Golden with { Outcome = "" })).Message.ShouldContain("结果");
        Should.Throw<ArgumentException>(() => AuditEncoding.Normalize(Golden with { RowsReturned = -1 })).Message.ShouldContain("行数");
        AuditEncoding.Truncate(GoldenTime.AddTicks(9)).ShouldBe(GoldenTime);
        AuditEncoding.Truncate(GoldenTime).Kind.ShouldBe(DateTimeKind.Utc);
    }
}
