using System.Buffers;

namespace GovData.SharedKernel.IO;

/// <summary>
/// A write-only, non-seekable in-memory spool between synchronous producers (StreamWriter, ZipArchive + DeflateStream,
/// OpenXmlWriter) and the real output, which is drained asynchronously after each row once <see cref="ShouldDrain"/>.
/// The HTTP response body refuses synchronous writes, and this keeps memory bounded by the drain threshold plus
/// whatever a single row produces, whatever the row count. Not seekable on purpose: ZipArchive then streams entries
/// with data descriptors instead of seeking back to patch headers. Used by the data exports and the audit log export.
/// </summary>
public sealed class SpoolStream : Stream
{
    /// <summary>Default drain threshold: 64 KiB.</summary>
    public const int DefaultThreshold = 64 * 1024;

    private readonly int _threshold;
    private byte[] _buffer;
    private int _length;
    private long _written;
    private bool _disposed;

    /// <summary>Creates a spool that asks to be drained once it holds <paramref name="threshold"/> bytes.</summary>
    public SpoolStream(int threshold = DefaultThreshold)
    {
        _threshold = threshold;
        _buffer = ArrayPool<byte>.Shared.Rent(threshold * 2);
    }

    /// <summary>True when at least the threshold is waiting.</summary>
    public bool ShouldDrain => _length >= _threshold;

    /// <summary>Bytes waiting to be drained.</summary>
    public int Pending => _length;

    /// <summary>Total bytes ever written (the size of the output).</summary>
    public long BytesWritten => _written;

    /// <summary>Writes the pending bytes to <paramref name="destination"/> and empties the spool.</summary>
    public async ValueTask DrainAsync(Stream destination, CancellationToken ct)
    {
        if (_length == 0) return;
        await destination.WriteAsync(_buffer.AsMemory(0, _length), ct);
        _length = 0;
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_length + buffer.Length > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + buffer.Length));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
        _written += buffer.Length;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override bool CanRead => false;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => !_disposed;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Pending bytes are the caller's to drain before disposing; the buffer returns to the pool. Writers wrapped
        // around the spool (ZipArchive, StreamWriter) may still flush into it while they are disposed, so the caller
        // disposes them first, drains, and disposes the spool last.
        if (!_disposed)
        {
            _disposed = true;
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
        base.Dispose(disposing);
    }
}
