using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NodeDiffusion.Interop.Png;

/// <summary>
/// Reads the text chunks of a PNG (tEXt, zTXt, iTXt compressed or not) without decoding the image.
/// Every size is bounded; a file that is not a PNG, is truncated or has a bad CRC raises <see cref="InteropFormatException"/>
/// saying where and why.
/// </summary>
public static class PngTextReader
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    public static bool HasSignature(ReadOnlySpan<byte> header) => header.Length >= 8 && header[..8].SequenceEqual(Signature);

    public static IReadOnlyList<PngTextChunk> ReadFile(string path, PngReadLimits? limits = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, limits);
    }

    public static IReadOnlyList<PngTextChunk> Read(ReadOnlySpan<byte> png, PngReadLimits? limits = null)
    {
        using var stream = new MemoryStream(png.ToArray(), writable: false);
        return Read(stream, limits);
    }

    public static IReadOnlyList<PngTextChunk> Read(Stream stream, PngReadLimits? limits = null)
    {
        limits ??= PngReadLimits.Default;
        Span<byte> header = stackalloc byte[8];
        if (ReadFully(stream, header) < 8 || !HasSignature(header))
        {
            throw new InteropFormatException("This is not a PNG file: it does not start with the PNG signature.");
        }
        var chunks = new List<PngTextChunk>();
        long offset = 8;
        long totalText = 0;
        for (var count = 0; ; count++)
        {
            if (count >= limits.MaxChunks)
            {
                throw new InteropFormatException($"The PNG has more than {limits.MaxChunks:N0} chunks; it is not read further.");
            }
            var read = ReadFully(stream, header);
            if (read == 0)
            {
                throw new InteropFormatException($"The PNG is truncated: it ends at byte {offset:N0} without an IEND chunk.");
            }
            if (read < 8)
            {
                throw new InteropFormatException($"The PNG is truncated: the chunk header at byte {offset:N0} is incomplete.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..8];
            if (!IsChunkType(type))
            {
                throw new InteropFormatException($"The PNG is corrupt: the chunk at byte {offset:N0} has an invalid type.");
            }
            var typeName = Encoding.ASCII.GetString(type);
            if (length > int.MaxValue)
            {
                throw new InteropFormatException($"The PNG is corrupt: chunk {typeName} at byte {offset:N0} declares {length:N0} bytes (more than PNG allows).");
            }
            if (typeName == "IEND")
            {
                return chunks;
            }
            if (typeName is "tEXt" or "zTXt" or "iTXt")
            {
                if (length > limits.MaxTextChunkBytes)
                {
                    throw new InteropFormatException($"The {typeName} chunk at byte {offset:N0} is {length:N0} bytes; at most {limits.MaxTextChunkBytes:N0} are read.");
                }
                var data = new byte[length + 4];
                if (ReadFully(stream, data) < data.Length)
                {
                    throw new InteropFormatException($"The PNG is truncated: the {typeName} chunk at byte {offset:N0} declares {length:N0} bytes but the file ends first.");
                }
                var body = data.AsSpan(0, (int)length);
                if (limits.VerifyCrc && Crc32.Compute(type, body) != BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan((int)length)))
                {
                    throw new InteropFormatException($"The PNG is corrupt: the CRC of the {typeName} chunk at byte {offset:N0} does not match its data.");
                }
                var chunk = Decode(typeName, body, limits, offset);
                totalText += chunk.Text.Length;
                if (totalText > limits.MaxTotalTextBytes)
                {
                    throw new InteropFormatException($"The PNG carries more than {limits.MaxTotalTextBytes:N0} bytes of text; it is not read further.");
                }
                chunks.Add(chunk);
            }
            else
            {
                Skip(stream, length + 4L, typeName, offset);
            }
            offset += 12L + length;
        }
    }

    private static PngTextChunk Decode(string type, ReadOnlySpan<byte> body, PngReadLimits limits, long offset)
    {
        var keywordEnd = body.IndexOf((byte)0);
        if (keywordEnd <= 0 || keywordEnd > 79)
        {
            throw new InteropFormatException($"The {type} chunk at byte {offset:N0} has no valid keyword.");
        }
        var keyword = Encoding.Latin1.GetString(body[..keywordEnd]);
        var rest = body[(keywordEnd + 1)..];
        switch (type)
        {
            case "tEXt":
                return new PngTextChunk(keyword, Latin1OrUtf8(rest), type);
            case "zTXt":
                if (rest.Length < 1 || rest[0] != 0)
                {
                    throw new InteropFormatException($"The zTXt chunk '{keyword}' at byte {offset:N0} uses an unknown compression method.");
                }
                return new PngTextChunk(keyword, Latin1OrUtf8(Inflate(rest[1..], limits, keyword, offset)), type);
            default:
                if (rest.Length < 2)
                {
                    throw new InteropFormatException($"The iTXt chunk '{keyword}' at byte {offset:N0} is too short.");
                }
                var compressed = rest[0] == 1;
                if (compressed && rest[1] != 0)
                {
                    throw new InteropFormatException($"The iTXt chunk '{keyword}' at byte {offset:N0} uses an unknown compression method.");
                }
                rest = rest[2..];
                var languageEnd = rest.IndexOf((byte)0);
                var translatedEnd = languageEnd < 0 ? -1 : rest[(languageEnd + 1)..].IndexOf((byte)0);
                if (languageEnd < 0 || translatedEnd < 0)
                {
                    throw new InteropFormatException($"The iTXt chunk '{keyword}' at byte {offset:N0} is missing its language or translated keyword.");
                }
                var text = rest[(languageEnd + 1 + translatedEnd + 1)..];
                var bytes = compressed ? Inflate(text, limits, keyword, offset) : text.ToArray();
                return new PngTextChunk(keyword, Encoding.UTF8.GetString(bytes), type);
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> compressed, PngReadLimits limits, string keyword, long offset)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = zlib.Read(buffer)) > 0)
            {
                if (output.Length + n > limits.MaxDecompressedBytes)
                {
                    throw new InteropFormatException($"The compressed text '{keyword}' at byte {offset:N0} expands beyond {limits.MaxDecompressedBytes:N0} bytes; it is not read.");
                }
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InteropFormatException($"The compressed text '{keyword}' at byte {offset:N0} is corrupt: {e.Message}", e);
        }
    }

    /// <summary>tEXt is Latin-1 by the standard, but some writers put UTF-8 there and browsers decode it as UTF-8.</summary>
    private static string Latin1OrUtf8(ReadOnlySpan<byte> text)
    {
        try
        {
            return StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(text);
        }
    }

    private static void Skip(Stream stream, long count, string type, long offset)
    {
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length)
            {
                throw new InteropFormatException($"The PNG is truncated: the {type} chunk at byte {offset:N0} declares {count - 4:N0} bytes but the file ends first.");
            }
            stream.Seek(count, SeekOrigin.Current);
            return;
        }
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0)
            {
                throw new InteropFormatException($"The PNG is truncated: the {type} chunk at byte {offset:N0} ends early.");
            }
            count -= n;
        }
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
        }
        return true;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
