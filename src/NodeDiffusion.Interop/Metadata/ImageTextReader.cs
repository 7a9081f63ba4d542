using System.Buffers.Binary;
using System.Text;
using NodeDiffusion.Interop.Png;

namespace NodeDiffusion.Interop.Metadata;

/// <summary>
/// The keyword → text metadata of an image file, by the file's own signature: PNG text chunks, or the EXIF of a JPEG
/// (APP1) or WebP (EXIF chunk), with ComfyUI's "prompt:"/"workflow:" tags and A1111's UserComment turned into the same keywords.
/// </summary>
public static class ImageTextReader
{
    public const long MaxExifScanBytes = 64L * 1024 * 1024;

    public static IReadOnlyList<PngTextChunk> ReadFile(string path, PngReadLimits? limits = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, limits);
    }

    /// <summary>The same for an image held in a seekable stream (an upload or a dropped file).</summary>
    public static IReadOnlyList<PngTextChunk> Read(Stream stream, PngReadLimits? limits = null)
    {
        Span<byte> header = stackalloc byte[12];
        var read = stream.Read(header);
        stream.Position = 0;
        if (PngTextReader.HasSignature(header[..read]))
        {
            return PngTextReader.Read(stream, limits);
        }
        if (read >= 3 && header[0] == 0xFF && header[1] == 0xD8)
        {
            return FromExif(JpegExif(ReadBounded(stream)));
        }
        if (read >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return FromExif(WebpExif(ReadBounded(stream)));
        }
        throw new InteropFormatException("This file is not a PNG, JPEG or WebP image, so it carries no workflow that can be read.");
    }

    private static byte[] ReadBounded(Stream stream)
    {
        if (stream.Length > MaxExifScanBytes)
        {
            throw new InteropFormatException($"The image is {stream.Length:N0} bytes; metadata is read from files of at most {MaxExifScanBytes:N0} bytes.");
        }
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    private static IReadOnlyList<PngTextChunk> FromExif(byte[]? tiff)
    {
        var chunks = new List<PngTextChunk>();
        if (tiff is null)
        {
            return chunks;
        }
        foreach (var (tag, text) in ExifText.Read(tiff))
        {
            if (tag == ExifText.UserComment)
            {
                chunks.Add(new PngTextChunk("parameters", text, "EXIF"));
                continue;
            }
            var colon = text.IndexOf(':');
            if (colon > 0 && colon < 80 && text[..colon].All(char.IsAsciiLetterOrDigit))
            {
                chunks.Add(new PngTextChunk(text[..colon], text[(colon + 1)..], "EXIF"));
            }
        }
        return chunks;
    }

    /// <summary>The TIFF block of the first APP1 "Exif" segment, scanning markers until the image data starts.</summary>
    private static byte[]? JpegExif(byte[] jpeg)
    {
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            if (marker is 0xD9 or 0xDA)
            {
                return null;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            if (length < 2 || i + 2 + length > jpeg.Length)
            {
                throw new InteropFormatException($"The JPEG is truncated or corrupt: the segment at byte {i:N0} runs past the end of the file.");
            }
            var segment = jpeg.AsSpan(i + 4, length - 2);
            if (marker == 0xE1 && segment.StartsWith("Exif\0\0"u8))
            {
                return segment[6..].ToArray();
            }
            i += 2 + length;
        }
        return null;
    }

    private static byte[]? WebpExif(byte[] webp)
    {
        var i = 12;
        while (i + 8 <= webp.Length)
        {
            var type = Encoding.ASCII.GetString(webp, i, 4);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(i + 4));
            if (length > webp.Length - i - 8)
            {
                throw new InteropFormatException($"The WebP is truncated or corrupt: chunk {type} at byte {i:N0} runs past the end of the file.");
            }
            if (type == "EXIF")
            {
                var data = webp.AsSpan(i + 8, (int)length);
                return (data.StartsWith("Exif\0\0"u8) ? data[6..] : data).ToArray();
            }
            i += 8 + (int)length + (int)(length & 1);
        }
        return null;
    }
}
