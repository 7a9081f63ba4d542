namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// Turns a prompt into CLIP encoder chunks the way ComfyUI's CLIPTextEncode does: emphasis parsing, embeddings,
/// per-segment tokenization and 77-token chunking. Thread-safe.
/// </summary>
public sealed class PromptTokenizer
{
    private readonly PromptToken _bos;
    private readonly PromptToken _eos;
    private readonly PromptToken _pad;

    public PromptTokenizer(ClipTokenizer tokenizer, PromptTokenizerOptions? options = null)
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        Options = options ?? PromptTokenizerOptions.ComfyUI;
        if (Options.MinSplittableGroupLength > Options.ChunkLength - 2)
        {
            throw new ArgumentException(
                $"MinSplittableGroupLength {Options.MinSplittableGroupLength} exceeds the {Options.ChunkLength - 2} content positions of a chunk.",
                nameof(options));
        }
        _bos = SpecialToken(tokenizer.BosId);
        _eos = SpecialToken(tokenizer.EosId);
        _pad = SpecialToken(Options.PadTokenId ?? tokenizer.PadId);
    }

    public ClipTokenizer Tokenizer { get; }

    public PromptTokenizerOptions Options { get; }

    /// <summary>
    /// Tokenizes <paramref name="prompt"/>. <paramref name="embeddings"/> resolves <c>embedding:name</c>; without one every
    /// embedding counts as not found (ComfyUI with an empty embeddings folder): a warning, and the name is dropped.
    /// </summary>
    public TokenizedPrompt Tokenize(string prompt, IEmbeddingResolver? embeddings = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var segments = Options.Syntax == PromptSyntax.A1111 ? A1111PromptParser.Parse(prompt) : ComfyPromptParser.Parse(prompt);
        var warnings = new List<string>();
        var chunker = new TokenChunker(Options.ChunkLength, Options.MinSplittableGroupLength, _bos, _eos, _pad);
        var groupId = 0;
        var ids = new List<int>();
        foreach (var segment in segments)
        {
            if (segment.IsBreak)
            {
                chunker.Break();
                continue;
            }
            var weight = (float)segment.Weight;
            foreach (var word in EmbeddingSyntax.SplitWords(segment.Text))
            {
                var text = word;
                if (word.StartsWith(EmbeddingSyntax.Prefix, StringComparison.Ordinal))
                {
                    var (embedding, leftover) = ResolveEmbedding(word[EmbeddingSyntax.Prefix.Length..], embeddings, warnings);
                    if (embedding is not null)
                    {
                        groupId++;
                        chunker.AddGroup(EmbeddingGroup(embedding, weight, groupId));
                    }
                    if (leftover.Length == 0)
                    {
                        continue;
                    }
                    text = leftover;
                }
                groupId++;
                ids.Clear();
                Tokenizer.EncodeInto(text, ids);
                chunker.AddGroup(TextGroup(ids, weight, groupId));
            }
        }
        return new TokenizedPrompt(chunker.Finish(), warnings, Options.Weighting);
    }

    /// <summary>The empty prompt (BOS, EOS, padding) whose encoding is z_empty for <see cref="TokenWeightingMethod.LerpFromEmpty"/>.</summary>
    public TokenChunk EmptyChunk() => new TokenChunker(Options.ChunkLength, Options.MinSplittableGroupLength, _bos, _eos, _pad).Finish()[0];

    // ComfyUI's _try_get_embedding: the name as written first, then without surrounding commas (which are then tokenized).
    private (EmbeddingInfo? Embedding, string Leftover) ResolveEmbedding(string afterPrefix, IEmbeddingResolver? resolver, List<string> warnings)
    {
        var (name, leftover) = EmbeddingSyntax.SplitName(afterPrefix);
        var embedding = Resolve(name, resolver);
        if (embedding is null)
        {
            var stripped = name.Trim(',');
            if (stripped.Length < name.Length)
            {
                embedding = Resolve(stripped, resolver);
                leftover = name[stripped.Length..] + " " + leftover;
            }
        }
        if (embedding is null)
        {
            warnings.Add($"embedding not found: embedding:{name} does not exist, ignoring");
        }
        else if (Options.EmbeddingDimension is { } expected && embedding.Dimension != expected)
        {
            warnings.Add($"embedding:{name} has {embedding.Dimension}-dimensional vectors but the text encoder takes {expected}, ignoring");
            embedding = null;
        }
        return (embedding, leftover);
    }

    private static EmbeddingInfo? Resolve(string name, IEmbeddingResolver? resolver) =>
        name.Length == 0 || resolver is null ? null : resolver.Resolve(name);

    private static PromptToken[] EmbeddingGroup(EmbeddingInfo embedding, float weight, int groupId)
    {
        var group = new PromptToken[embedding.VectorCount];
        for (var i = 0; i < group.Length; i++)
        {
            var reference = new EmbeddingTokenRef(embedding, i);
            group[i] = new PromptToken(TokenChunk.EmbeddingPlaceholderId, weight, reference, groupId, reference.ToString());
        }
        return group;
    }

    private PromptToken[] TextGroup(List<int> ids, float weight, int groupId)
    {
        var group = new PromptToken[ids.Count];
        for (var i = 0; i < group.Length; i++)
        {
            group[i] = new PromptToken(ids[i], weight, null, groupId, Tokenizer.TokenToString(ids[i]));
        }
        return group;
    }

    private PromptToken SpecialToken(int id) => new(id, 1f, null, 0, Tokenizer.TokenToString(id));
}
