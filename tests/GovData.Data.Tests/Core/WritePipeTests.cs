using GovData.Data.Features.Loading;

namespace GovData.Data.Tests.Core;

/// <summary>The write pipe between reading and writing: order, checkpoints, and the writer's own error surfacing.</summary>
public sealed class WritePipeTests
{
    private sealed class FakeWriter(long failAt = -1) : RowWriter
    {
        public List<long> Rows { get; } = [];
        public List<int> CheckpointsAt { get; } = [];

        public override void Write(long row, object?[] values)
        {
            if (row == failAt) throw new InvalidDataException($"第 {row} 行写入失败");
            Rows.Add(row);
        }

        public override Task Checkpoint(CancellationToken ct)
        {
            CheckpointsAt.Add(Rows.Count);
            return Task.CompletedTask;
        }

        public override Task CompleteAsync(CancellationToken ct) => Task.CompletedTask;
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Rows_arrive_in_order_and_a_checkpoint_waits_for_everything_before_it()
    {
        var writer = new FakeWriter();
        await using (var pipe = new WritePipe(writer, CancellationToken.None))
        {
            var values = new object?[] { "x" };
            for (var i = 1; i <= 2000; i++)
            {
                values[0] = i;
                await pipe.AddAsync(i, values);
                if (i == 1234)
                {
                    await pipe.CheckpointAsync();
                    writer.Rows.Count.ShouldBe(1234);
                }
            }
            await pipe.CompleteAsync();
        }
        writer.Rows.ShouldBe(Enumerable.Range(1, 2000).Select(i => (long)i));
        writer.CheckpointsAt.ShouldBe([1234]);
    }

    [Fact]
    public async Task The_writers_own_exception_reaches_the_reader_not_a_cancellation()
    {
        var writer = new FakeWriter(failAt: 700);
        var ex = await Should.ThrowAsync<InvalidDataException>(async () =>
        {
            await using var pipe = new WritePipe(writer, CancellationToken.None);
            for (var i = 1; i <= 100_000; i++) await pipe.AddAsync(i, [i]);
            await pipe.CompleteAsync();
        });
        ex.Message.ShouldBe("第 700 行写入失败");
        var checkpoint = await Should.ThrowAsync<InvalidDataException>(async () =>
        {
            await using var pipe = new WritePipe(new FakeWriter(failAt: 3), CancellationToken.None);
            for (var i = 1; i <= 10; i++) await pipe.AddAsync(i, [i]);
            await pipe.CheckpointAsync();
        });
        checkpoint.Message.ShouldBe("第 3 行写入失败");
    }

    [Fact]
    public async Task Cancellation_of_the_load_stops_the_pipe()
    {
        using var cts = new CancellationTokenSource();
        var writer = new FakeWriter();
        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await using var pipe = new WritePipe(writer, cts.Token);
            for (var i = 1; i <= 1_000_000; i++)
            {
                if (i == 5000) await cts.CancelAsync();
                await pipe.AddAsync(i, [i]);
            }
        });
        writer.Rows.Count.ShouldBeLessThan(1_000_000);
    }
}
