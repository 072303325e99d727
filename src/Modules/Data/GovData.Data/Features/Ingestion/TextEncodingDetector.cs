using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace GovData.Data.Features.Ingestion;

/// <summary>The text encoding of a file and how it was decided.</summary>
/// <param name="Encoding">The decoder to use (without BOM handling: <see cref="PreambleLength"/> bytes are skipped).</param>
/// <param name="Name">Name shown to users: UTF-8, GB18030, UTF-16LE ...</param>
/// <param name="PreambleLength">Bytes of BOM at the start of the file.</param>
/// <param name="Forced">True when the user named the encoding.</param>
internal sealed record TextEncodingInfo(Encoding Encoding, string Name, int PreambleLength, bool Forced)
{
    /// <summary>Chinese description, e.g. “UTF-8 编码（带 BOM）”, “GB18030 编码”.</summary>
    public string Describe() =>
        $"{Name} 编码{(PreambleLength > 0 ? "（带 BOM）" : "")}{(Forced ? "（指定）" : "")}";
}

/// <summary>
/// Decides the encoding of a text file over the WHOLE file, in constant memory:
/// <list type="number">
/// <item>a BOM decides: EF BB BF → UTF-8, FF FE → UTF-16LE, FE FF → UTF-16BE;</item>
/// <item>otherwise every byte is validated as UTF-8 in 1 MiB blocks (sequences split across blocks are carried over);
/// the whole file valid (or pure ASCII) → UTF-8;</item>
/// <item>the first invalid UTF-8 sequence anywhere → GB18030 (a superset of GBK and GB2312, which Chinese portals still publish).</item>
/// </list>
/// A file whose first non-ASCII byte is on row 50,000 is therefore decided by that byte, not by a sample of the first rows.
/// </summary>
internal static class TextEncodingDetector
{
    public const int BlockSize = 1 << 20;

    static TextEncodingDetector() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>GB18030 (code page 54936).</summary>
    public static Encoding Gb18030 => Encoding.GetEncoding(54936);

    /// <summary>The encoding a user named ("utf-8", "gbk", "gb18030", "gb2312", "utf-16"); GBK and GB2312 are read as GB18030.</summary>
    public static Encoding Named(string name)
    {
        var key = name.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        switch (key)
        {
            case "utf-8" or "utf8":
                return Utf8NoBom;
            case "gbk" or "gb2312" or "gb18030" or "cp936" or "936" or "54936":
                return Gb18030;
        }
        try
        {
            return Encoding.GetEncoding(key);
        }
        catch (ArgumentException)
        {
            throw new SourceFormatException($"不支持的文本编码“{name}”，可用 UTF-8、GBK 或 GB18030");
        }
    }

    /// <summary>Detects the encoding of a seekable stream; the stream is left at position 0.</summary>
    public static async Task<TextEncodingInfo> DetectAsync(Stream stream, CancellationToken ct = default)
    {
        if (!stream.CanSeek) throw new ArgumentException("编码检测需要可定位的流", nameof(stream));
        stream.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize + 4);
        try
        {
            var carry = 0;   // bytes of an incomplete sequence moved to the front of the buffer
            var first = true;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var read = await ReadBlockAsync(stream, buffer.AsMemory(carry, BlockSize), ct);
                var length = carry + read;
                if (first)
                {
                    first = false;
                    var preamble = buffer.AsSpan(0, length);
                    if (preamble.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Done(new(Utf8NoBom, "UTF-8", 3, false));
                    if (preamble.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Done(new(new UnicodeEncoding(false, false), "UTF-16LE", 2, false));
                    if (preamble.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Done(new(new UnicodeEncoding(true, false), "UTF-16BE", 2, false));
                }
                if (read == 0)
                {
                    // end of file: a sequence still incomplete is invalid
                    return Done(carry == 0 ? new(Utf8NoBom, "UTF-8", 0, false) : new(Gb18030, "GB18030", 0, false));
                }
                var block = buffer.AsSpan(0, length);
                var incomplete = IncompleteTail(block);
                if (!Utf8.IsValid(block[..^incomplete]))
                    return Done(new(Gb18030, "GB18030", 0, false));
                block[^incomplete..].CopyTo(buffer);
                carry = incomplete;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        TextEncodingInfo Done(TextEncodingInfo info)
        {
            stream.Position = 0;
            return info;
        }
    }

    /// <summary>
    /// Length of a UTF-8 sequence cut off at the end of a block (0–3), so that it is validated with the next block.
    /// </summary>
    internal static int IncompleteTail(ReadOnlySpan<byte> block)
    {
        // look back at most 3 bytes for the lead byte of the last sequence
        for (var back = 1; back <= Math.Min(3, block.Length); back++)
        {
            var b = block[^back];
            if ((b & 0xC0) == 0x80) continue; // continuation byte
            var need = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
            if (need == 0) return 0;           // invalid lead byte: left in the block, validation fails there
            return need > back ? back : 0;
        }
        return 0;
    }

    private static async Task<int> ReadBlockAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], ct);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
