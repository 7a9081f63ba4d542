using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

/// <summary>
/// A CLIP tokenizer with only the byte alphabet and no merges, so every character of a word is one token
/// ("cat" → c, a, t&lt;/w&gt;). Lets chunking tests control token counts without ../shared.
/// </summary>
internal static class TinyClip
{
    public const int Bos = 49406;
    public const int Eos = 49407;

    private static readonly Lazy<ClipTokenizer> Instance = new(Build);

    public static ClipTokenizer Tokenizer => Instance.Value;

    /// <summary>The id of a single ASCII letter at a word's end (e.g. "a" alone).</summary>
    public static int WordEndId(char c) => Tokenizer.TokenToId(c + "</w>")!.Value;

    /// <summary>The id of a single ASCII letter inside a word.</summary>
    public static int InnerId(char c) => Tokenizer.TokenToId(c.ToString())!.Value;

    private static ClipTokenizer Build()
    {
        var vocabulary = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++)
        {
            vocabulary[ClipByteAlphabet.Encode((byte)b).ToString()] = b;
        }
        for (var b = 0; b < 256; b++)
        {
            vocabulary[ClipByteAlphabet.Encode((byte)b) + "</w>"] = 256 + b;
        }
        vocabulary[ClipTokenizer.StartOfTextToken] = Bos;
        vocabulary[ClipTokenizer.EndOfTextToken] = Eos;
        return new ClipTokenizer(vocabulary, []);
    }
}
