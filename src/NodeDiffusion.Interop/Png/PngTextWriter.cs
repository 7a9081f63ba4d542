using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NodeDiffusion.Interop.Png;

/// <summary>
/// Adds text chunks to an existing PNG right after IHDR, where ComfyUI puts them: tEXt for Latin-1 text (as PIL writes
/// ComfyUI's ASCII JSON), iTXt otherwise, zlib-compressed iTXt on request.
/// </summary>
public static class PngTextWriter
{
    public static byte[] AddText(ReadOnlySpan<byte> png, IEnumerable<KeyValuePair<string, string>> entries, bool compress = false)
    {
        if (!PngTextReader.HasSignature(png) || png.Length < 33 || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new InteropFormatException("This is not a PNG file that starts with an IHDR chunk.");
        }
        var ihdrEnd = 8 + 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(png[8..]);
        using var output = new MemoryStream();
        output.Write(png[..ihdrEnd]);
        foreach (var (keyword, text) in entries)
        {
            WriteChunk(output, keyword, text, compress);
        }
        output.Write(png[ihdrEnd..]);
        return output.ToArray();
    }

    public static void WriteChunk(Stream output, string keyword, string text, bool compress)
    {
        if (keyword.Length is < 1 or > 79 || keyword.Any(c => c < 32 || c > 255))
        {
            throw new ArgumentException("A PNG keyword has 1 to 79 Latin-1 characters.", nameof(keyword));
        }
        var keywordBytes = Encoding.Latin1.GetBytes(keyword);
        byte[] body;
        string type;
        if (!compress && text.All(c => c <= 255))
        {
            type = "tEXt";
            body = [.. keywordBytes, 0, .. Encoding.Latin1.GetBytes(text)];
        }
        else
        {
            type = "iTXt";
            var utf8 = Encoding.UTF8.GetBytes(text);
            var payload = compress ? Deflate(utf8) : utf8;
            body = [.. keywordBytes, 0, (byte)(compress ? 1 : 0), 0, 0, 0, .. payload];
        }
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)body.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(body);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(header[4..], body));
        output.Write(crc);
    }

    private static byte[] Deflate(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return buffer.ToArray();
    }
}
