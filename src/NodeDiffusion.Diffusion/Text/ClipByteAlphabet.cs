namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// GPT-2/CLIP byte-to-unicode mapping: every byte gets a printable character so that BPE can work on text
/// while covering arbitrary UTF-8. Printable Latin-1 bytes map to themselves, the rest to U+0100 upwards.
/// </summary>
public static class ClipByteAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = BuildCharToByte(ByteToChar);

    /// <summary>The character standing for <paramref name="value"/>.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>The byte-alphabet form of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        Span<char> chars = byteCount <= 512 ? stackalloc char[byteCount] : new char[byteCount];
        for (var i = 0; i < byteCount; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }
        return new string(chars);
    }

    /// <summary>Appends the bytes that the byte-alphabet characters of <paramref name="symbols"/> stand for; other characters are written as UTF-8.</summary>
    public static void AppendBytes(ReadOnlySpan<char> symbols, List<byte> bytes)
    {
        Span<byte> scratch = stackalloc byte[4];
        foreach (var c in symbols)
        {
            if (CharToByte.TryGetValue(c, out var b))
            {
                bytes.Add(b);
            }
            else
            {
                var written = new System.Text.Rune(char.IsSurrogate(c) ? '\uFFFD' : c).EncodeToUtf8(scratch);
                for (var i = 0; i < written; i++)
                {
                    bytes.Add(scratch[i]);
                }
            }
        }
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= '\u00A1' && b <= '\u00AC') || (b >= '\u00AE' && b <= '\u00FF');
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private static Dictionary<char, byte> BuildCharToByte(char[] byteToChar)
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++)
        {
            map[byteToChar[b]] = (byte)b;
        }
        return map;
    }
}
