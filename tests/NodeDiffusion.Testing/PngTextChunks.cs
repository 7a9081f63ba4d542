using System.Buffers.Binary;
using System.Text;

namespace NodeDiffusion.Testing;

/// <summary>Reads the tEXt chunks of a PNG straight from its bytes, independently of the code under test.</summary>
public static class PngTextChunks
{
    public static Dictionary<string, string> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG");
        var chunks = new Dictionary<string, string>();
        var offset = 8;
        while (offset + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            var type = Encoding.ASCII.GetString(bytes, offset + 4, 4);
            if (type == "tEXt")
            {
                var data = bytes.AsSpan(offset + 8, length);
                var separator = data.IndexOf((byte)0);
                chunks[Encoding.Latin1.GetString(data[..separator])] = Encoding.Latin1.GetString(data[(separator + 1)..]);
            }
            offset += 12 + length;
        }
        return chunks;
    }
}
