using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NodeDiffusion.Interop.Png;

namespace NodeDiffusion.Interop.Tests;

/// <summary>Builds small PNG files chunk by chunk, including deliberately broken ones.</summary>
public static class TestPng
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>A valid 1×1 grey PNG with the given chunks between IHDR and IDAT.</summary>
    public static byte[] Build(params (string Type, byte[] Body)[] extra)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        byte[] ihdr = [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0];
        Chunk(output, "IHDR", ihdr);
        foreach (var (type, body) in extra)
        {
            Chunk(output, type, body);
        }
        Chunk(output, "IDAT", Zlib([0, 128]));
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    public static (string, byte[]) Text(string keyword, string text) => ("tEXt", [.. Encoding.Latin1.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(text)]);

    public static (string, byte[]) ZText(string keyword, string text) => ("zTXt", [.. Encoding.Latin1.GetBytes(keyword), 0, 0, .. Zlib(Encoding.Latin1.GetBytes(text))]);

    public static (string, byte[]) IText(string keyword, byte[] payload, bool compressed) =>
        ("iTXt", [.. Encoding.Latin1.GetBytes(keyword), 0, (byte)(compressed ? 1 : 0), 0, .. "en"u8, 0, .. "Schlüssel"u8, 0, .. payload]);

    public static void Chunk(Stream output, string type, byte[] body)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)body.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(body);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(header[4..], body));
        output.Write(crc);
    }

    public static byte[] Zlib(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return buffer.ToArray();
    }
}
