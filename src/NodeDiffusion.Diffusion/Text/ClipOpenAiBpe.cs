using System.IO.Compression;
using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// openai/CLIP's <c>bpe_simple_vocab_16e6.txt.gz</c>: the merges, from which the vocabulary follows (byte symbols in
/// GPT-2 alphabet order, the same with "&lt;/w&gt;", each merge joined, then start and end tokens). It derives to the
/// same vocab.json/merges.txt as HF's clip-vit-large-patch14.
/// </summary>
public static class ClipOpenAiBpe
{
    public const string FileName = "bpe_simple_vocab_16e6.txt.gz";
    private const int MergeCount = 49152 - 256 - 2;
    private const long MaxUncompressedBytes = 64L << 20;

    public static ClipTokenizer Load(string path, ClipTextCleaning cleaning = ClipTextCleaning.HuggingFaceFast)
    {
        var (vocabulary, merges) = Read(path);
        return new ClipTokenizer(vocabulary, merges, cleaning, path);
    }

    public static (Dictionary<string, int> Vocabulary, List<(string Left, string Right)> Merges) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CLIP BPE file not found: {path} (expected openai's {FileName}).", path);
        }
        string text;
        try
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var bounded = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (bounded.Length + read > MaxUncompressedBytes)
                {
                    throw new InvalidDataException($"{path} unpacks to more than {MaxUncompressedBytes >> 20} MiB; openai's file is about 1.6 MiB.");
                }
                bounded.Write(buffer, 0, read);
            }
            text = Encoding.UTF8.GetString(bounded.GetBuffer(), 0, (int)bounded.Length);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path} is not a gzip file ({e.Message}); expected openai's {FileName}.", e);
        }
        var lines = text.Split('\n');
        if (lines.Length < MergeCount + 1)
        {
            throw new InvalidDataException($"{path} has {lines.Length - 1} merge lines; openai's {FileName} has at least {MergeCount}.");
        }
        var merges = new List<(string, string)>(MergeCount);
        for (var i = 1; i <= MergeCount; i++)
        {
            var parts = lines[i].Split(' ');
            if (parts.Length != 2)
            {
                throw new InvalidDataException($"{path} line {i + 1} is \"{lines[i]}\"; expected two symbols separated by a space.");
            }
            merges.Add((parts[0], parts[1]));
        }
        var symbols = AlphabetOrder();
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in symbols.Concat(symbols.Select(s => s + "</w>")).Concat(merges.Select(m => m.Item1 + m.Item2)).Append(ClipTokenizer.StartOfTextToken).Append(ClipTokenizer.EndOfTextToken))
        {
            vocabulary.TryAdd(token, vocabulary.Count);
        }
        return (vocabulary, merges);
    }

    /// <summary>The byte symbols in the order of openai's bytes_to_unicode(): printable bytes first, then the rest.</summary>
    private static List<string> AlphabetOrder()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
        return Enumerable.Range(0, 256).Where(Printable).Concat(Enumerable.Range(0, 256).Where(b => !Printable(b)))
            .Select(b => ClipByteAlphabet.Encode((byte)b).ToString())
            .ToList();
    }
}
