using System.Buffers.Binary;
using System.Text;

namespace NodeDiffusion.Interop.Metadata;

/// <summary>
/// Reads the text tags of an EXIF (TIFF) block: IFD0's ASCII tags, where ComfyUI's WebP saver puts
/// <c>"prompt:{…}"</c> (0x0110) and <c>"workflow:{…}"</c> (0x010F), and the Exif UserComment (0x9286) where A1111 writes
/// its parameters in JPEG and WebP. Offsets are checked against the block; anything out of range is skipped.
/// </summary>
public static class ExifText
{
    private const ushort ExifIfdPointer = 0x8769;
    public const ushort UserComment = 0x9286;
    private const int MaxEntries = 1_000;

    /// <summary>Text tags by tag number. <paramref name="tiff"/> starts at the "II"/"MM" byte order mark.</summary>
    public static Dictionary<ushort, string> Read(ReadOnlySpan<byte> tiff)
    {
        var result = new Dictionary<ushort, string>();
        if (tiff.Length < 8)
        {
            return result;
        }
        var little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        if (!little && !(tiff[0] == (byte)'M' && tiff[1] == (byte)'M'))
        {
            return result;
        }
        var ifd0 = U32(tiff, 4, little);
        uint? exifIfd = null;
        ReadIfd(tiff, ifd0, little, result, ref exifIfd);
        if (exifIfd is { } exif && exif != ifd0)
        {
            uint? ignored = null;
            ReadIfd(tiff, exif, little, result, ref ignored);
        }
        return result;
    }

    private static void ReadIfd(ReadOnlySpan<byte> tiff, uint offset, bool little, Dictionary<ushort, string> result, ref uint? exifIfd)
    {
        if (offset + 2 > tiff.Length)
        {
            return;
        }
        var count = Math.Min((int)U16(tiff, (int)offset, little), MaxEntries);
        for (var i = 0; i < count; i++)
        {
            var entry = (int)offset + 2 + i * 12;
            if (entry + 12 > tiff.Length)
            {
                return;
            }
            var tag = U16(tiff, entry, little);
            var type = U16(tiff, entry + 2, little);
            var length = U32(tiff, entry + 4, little);
            if (tag == ExifIfdPointer)
            {
                exifIfd = U32(tiff, entry + 8, little);
                continue;
            }
            // ASCII (2) or UNDEFINED (7) values longer than 4 bytes live at an offset.
            if (type is not (2 or 7) || length > int.MaxValue)
            {
                continue;
            }
            var start = length <= 4 ? (uint)entry + 8 : U32(tiff, entry + 8, little);
            if (start + length > tiff.Length)
            {
                continue;
            }
            var value = tiff.Slice((int)start, (int)length);
            result[tag] = tag == UserComment ? DecodeUserComment(value, little) : Encoding.UTF8.GetString(value).TrimEnd('\0');
        }
    }

    /// <summary>UserComment: an 8-byte charset ("ASCII", "UNICODE" = UTF-16 in the block's byte order, or zeros) then the text.</summary>
    private static string DecodeUserComment(ReadOnlySpan<byte> value, bool little)
    {
        if (value.Length < 8)
        {
            return "";
        }
        var charset = Encoding.ASCII.GetString(value[..8]).TrimEnd('\0', ' ');
        var text = value[8..];
        return charset == "UNICODE"
            ? (little ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(text).TrimEnd('\0')
            : Encoding.UTF8.GetString(text).TrimEnd('\0');
    }

    private static ushort U16(ReadOnlySpan<byte> data, int offset, bool little) =>
        offset + 2 > data.Length ? (ushort)0 : little ? BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]) : BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);

    private static uint U32(ReadOnlySpan<byte> data, int offset, bool little) =>
        offset + 4 > data.Length ? uint.MaxValue : little ? BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) : BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
}
