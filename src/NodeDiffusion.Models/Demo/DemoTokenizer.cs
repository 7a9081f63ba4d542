using System.Text;
using System.Text.Json;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// A CLIP-format tokenizer made for the demo model: the 256 byte symbols of CLIP's byte-level alphabet, each also as a
/// word end ("x&lt;/w&gt;"), a few merges for common letter pairs, and the start and end tokens last (so the end
/// token has the largest id, as the pooled output expects).
/// </summary>
internal static class DemoTokenizer
{
    private static readonly string[] Merges = ["t h", "e </w>", "th e</w>", "a n", "i n", "o n", "e r", "s </w>"];

    public static int VocabularySize => (2 * 256) + Merges.Length + 2;

    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = new List<string>(VocabularySize);
        var alphabet = ByteAlphabet();
        vocabulary.AddRange(alphabet);
        vocabulary.AddRange(alphabet.Select(symbol => symbol + "</w>"));
        vocabulary.AddRange(Merges.Select(merge => merge.Replace(" ", "", StringComparison.Ordinal)));
        vocabulary.Add("<|startoftext|>");
        vocabulary.Add("<|endoftext|>");

        using (var stream = File.Create(Path.Combine(folder, "vocab.json")))
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            for (var i = 0; i < vocabulary.Count; i++)
            {
                writer.WriteNumber(vocabulary[i], i);
            }
            writer.WriteEndObject();
        }
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join('\n', Merges) + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"),
            """{"bos_token":"<|startoftext|>","eos_token":"<|endoftext|>","pad_token":"<|endoftext|>","unk_token":"<|endoftext|>"}""");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"),
            """{"model_max_length":77,"do_lower_case":true,"tokenizer_class":"CLIPTokenizer"}""");
    }

    /// <summary>GPT-2/CLIP's reversible map of the 256 byte values to printable characters, in byte order.</summary>
    private static List<string> ByteAlphabet()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var symbols = new List<string>(256);
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            symbols.Add(printable.Contains(b) ? ((char)b).ToString() : ((char)(256 + next++)).ToString());
        }
        return symbols;
    }
}
