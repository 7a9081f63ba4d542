using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace NodeDiffusion.Formats.Numpy;

/// <summary>A float32 array read from a NumPy <c>.npy</c> file (little-endian <c>&lt;f4</c>, C order).</summary>
public sealed record NpyArray(long[] Shape, float[] Data)
{
    public static NpyArray ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path}: not a .npy file (missing \\x93NUMPY magic)");
        }
        var major = bytes[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BitConverter.ToUInt16(bytes, 8);
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            headerLength = checked((int)BitConverter.ToUInt32(bytes, 8));
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{path}: unsupported .npy version {major}");
        }
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = Regex.Match(header, @"'descr'\s*:\s*'([^']*)'");
        var fortran = Regex.Match(header, @"'fortran_order'\s*:\s*(True|False)");
        var shapeMatch = Regex.Match(header, @"'shape'\s*:\s*\(([^)]*)\)");
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw new InvalidDataException($"{path}: cannot parse .npy header {header.Trim()}");
        }
        if (descr.Groups[1].Value != "<f4")
        {
            throw new InvalidDataException($"{path}: dtype '{descr.Groups[1].Value}' is not little-endian float32 '<f4'");
        }
        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{path}: Fortran-ordered arrays are not supported");
        }
        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse)
            .ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != count * 4)
        {
            throw new InvalidDataException($"{path}: shape ({string.Join(", ", shape)}) needs {count * 4} data bytes, the file has {bytes.Length - dataStart}");
        }
        var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart)).ToArray();
        return new NpyArray(shape, data);
    }
}
