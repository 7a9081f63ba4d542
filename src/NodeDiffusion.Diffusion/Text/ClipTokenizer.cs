using System.Collections.Concurrent;
using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// The CLIP byte-level BPE tokenizer (HF CLIPTokenizer semantics) over a checkpoint's vocab.json and merges.txt.
/// Thread-safe; BPE results are cached per word.
/// </summary>
public sealed class ClipTokenizer
{
    public const string StartOfTextToken = "<|startoftext|>";
    public const string EndOfTextToken = "<|endoftext|>";
    private const string WordEndSuffix = "</w>";
    private const int MaxCachedWords = 65536;

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<int, string> _tokensById;
    private readonly Dictionary<(string, string), int> _mergeRanks;
    private readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);

    public ClipTokenizer(
        IReadOnlyDictionary<string, int> vocabulary,
        IEnumerable<(string Left, string Right)> merges,
        ClipTextCleaning cleaning = ClipTextCleaning.HuggingFaceFast,
        string vocabularySource = "vocabulary")
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(merges);
        _vocabulary = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        _tokensById = new Dictionary<int, string>(_vocabulary.Count);
        foreach (var (token, id) in _vocabulary)
        {
            _tokensById.TryAdd(id, token);
        }
        _mergeRanks = new Dictionary<(string, string), int>();
        foreach (var merge in merges)
        {
            _mergeRanks.TryAdd((merge.Left, merge.Right), _mergeRanks.Count);
        }
        BosId = RequireSpecial(StartOfTextToken, vocabularySource);
        EosId = RequireSpecial(EndOfTextToken, vocabularySource);
        Cleaning = cleaning;
    }

    /// <summary>Loads vocab.json and merges.txt from a tokenizer folder (e.g. a diffusers checkpoint's <c>tokenizer/</c>).</summary>
    public static ClipTokenizer Load(string folder, ClipTextCleaning cleaning = ClipTextCleaning.HuggingFaceFast)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"CLIP tokenizer folder not found: {folder} (expected a folder holding vocab.json and merges.txt).");
        }
        return FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"), cleaning);
    }

    public static ClipTokenizer FromFiles(string vocabularyPath, string mergesPath, ClipTextCleaning cleaning = ClipTextCleaning.HuggingFaceFast)
    {
        var vocabulary = ClipBpeFiles.ReadVocabulary(vocabularyPath);
        var merges = ClipBpeFiles.ReadMerges(mergesPath);
        return new ClipTokenizer(vocabulary, merges, cleaning, vocabularyPath);
    }

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (49406 for SD1).</summary>
    public int BosId { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (49407 for SD1); also the padding and unknown token.</summary>
    public int EosId { get; }

    public int PadId => EosId;

    public int UnknownId => EosId;

    public int VocabularySize => _vocabulary.Count;

    public ClipTextCleaning Cleaning { get; }

    /// <summary>Token ids of <paramref name="text"/> without BOS/EOS.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        EncodeInto(text, ids);
        return [.. ids];
    }

    /// <summary>Token ids of <paramref name="text"/> as HF returns them: BOS, the tokens, EOS; no padding.</summary>
    public int[] EncodeWithSpecialTokens(string text)
    {
        var ids = new List<int> { BosId };
        EncodeInto(text, ids);
        ids.Add(EosId);
        return [.. ids];
    }

    /// <summary>Appends the token ids of <paramref name="text"/> (without BOS/EOS) to <paramref name="ids"/>.</summary>
    public void EncodeInto(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        var normalized = ClipTextNormalizer.Normalize(text, Cleaning);
        var words = new List<string>();
        var span = normalized.AsSpan();
        while (span.Length > 0)
        {
            var (specialIndex, specialId, specialLength) = FindSpecialToken(span);
            ClipPreTokenizer.Split(span[..specialIndex], words, caseInsensitiveClasses: Cleaning == ClipTextCleaning.BasicTokenizer);
            foreach (var word in words)
            {
                ids.AddRange(EncodeWord(word));
            }
            words.Clear();
            if (specialLength == 0)
            {
                break;
            }
            ids.Add(specialId);
            span = span[(specialIndex + specialLength)..];
        }
    }

    /// <summary>The vocabulary string of a token id, e.g. "cat&lt;/w&gt;" (byte-alphabet form, word end marked).</summary>
    public string TokenToString(int id) =>
        _tokensById.TryGetValue(id, out var token)
            ? token
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary.");

    /// <summary>The id of a vocabulary string, or null.</summary>
    public int? TokenToId(string token) => _vocabulary.TryGetValue(token, out var id) ? id : null;

    /// <summary>Text of token ids as HF <c>decode</c> gives it: word ends become spaces, optional clean-up of spaces before punctuation.</summary>
    public string Decode(IEnumerable<int> ids, bool cleanUpTokenizationSpaces = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            ClipByteAlphabet.AppendBytes(TokenToString(id), bytes);
        }
        var text = Encoding.UTF8.GetString([.. bytes]).Replace(WordEndSuffix, " ", StringComparison.Ordinal).Trim();
        return cleanUpTokenizationSpaces ? CleanUpTokenizationSpaces(text) : text;
    }

    private static string CleanUpTokenizationSpaces(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);

    private (int Index, int Id, int Length) FindSpecialToken(ReadOnlySpan<char> text)
    {
        var start = text.IndexOf(StartOfTextToken, StringComparison.Ordinal);
        var end = text.IndexOf(EndOfTextToken, StringComparison.Ordinal);
        if (start < 0 && end < 0)
        {
            return (text.Length, 0, 0);
        }
        return start >= 0 && (end < 0 || start < end)
            ? (start, BosId, StartOfTextToken.Length)
            : (end, EosId, EndOfTextToken.Length);
    }

    private int[] EncodeWord(string word)
    {
        var symbolsText = ClipByteAlphabet.Encode(word);
        if (_wordCache.TryGetValue(symbolsText, out var cached))
        {
            return cached;
        }
        var ids = RunBpe(symbolsText);
        if (_wordCache.Count >= MaxCachedWords)
        {
            _wordCache.Clear();
        }
        _wordCache.TryAdd(symbolsText, ids);
        return ids;
    }

    private int[] RunBpe(string symbolsText)
    {
        var symbols = new List<string>(symbolsText.Length);
        for (var i = 0; i < symbolsText.Length - 1; i++)
        {
            symbols.Add(symbolsText[i].ToString());
        }
        symbols.Add(symbolsText[^1] + WordEndSuffix);

        var merged = new List<string>(symbols.Count);
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            (string, string) bestPair = default;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    bestPair = (symbols[i], symbols[i + 1]);
                }
            }
            if (bestRank == int.MaxValue)
            {
                break;
            }
            merged.Clear();
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == bestPair.Item1 && symbols[i + 1] == bestPair.Item2)
                {
                    merged.Add(string.Concat(bestPair.Item1, bestPair.Item2));
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            (symbols, merged) = (merged, symbols);
        }

        var ids = new int[symbols.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _vocabulary.TryGetValue(symbols[i], out var id) ? id : UnknownId;
        }
        return ids;
    }

    private int RequireSpecial(string token, string source) =>
        _vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"CLIP vocabulary {source} has no \"{token}\" entry; expected the CLIP special tokens <|startoftext|> and <|endoftext|>.");
}
