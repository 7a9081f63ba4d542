namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// One encoder input window: <c>[BOS] + ≤75 tokens + [EOS] + padding</c>, as parallel arrays of the chunk length (77 for SD1).
/// </summary>
/// <param name="Ids">Token ids; <see cref="EmbeddingPlaceholderId"/> where an embedding vector replaces the token embedding.</param>
/// <param name="Weights">Per-position emphasis weights.</param>
/// <param name="Embeddings">Per-position embedding vector references (null for vocabulary tokens).</param>
/// <param name="GroupIds">Per-position word group (0 for BOS/EOS/padding).</param>
/// <param name="Texts">Per-position token strings for display.</param>
public sealed record TokenChunk(int[] Ids, float[] Weights, EmbeddingTokenRef?[] Embeddings, int[] GroupIds, string[] Texts)
{
    /// <summary>The id at positions filled by an embedding; the encoder must substitute the vector and never look this id up.</summary>
    public const int EmbeddingPlaceholderId = -1;

    public int Length => Ids.Length;

    public PromptToken this[int position] =>
        new(Ids[position], Weights[position], Embeddings[position], GroupIds[position], Texts[position]);

    /// <summary>Whether some position has a weight other than 1.</summary>
    public bool HasWeights => Weights.Any(w => w != 1f);

    public bool HasEmbeddings => Embeddings.Any(e => e is not null);

    /// <summary>Positions holding prompt tokens (not BOS, EOS or padding).</summary>
    public int ContentTokenCount => GroupIds.Count(g => g != 0);

    public IEnumerable<PromptToken> Tokens()
    {
        for (var i = 0; i < Length; i++)
        {
            yield return this[i];
        }
    }

    internal static TokenChunk FromTokens(IReadOnlyList<PromptToken> tokens)
    {
        var ids = new int[tokens.Count];
        var weights = new float[tokens.Count];
        var embeddings = new EmbeddingTokenRef?[tokens.Count];
        var groups = new int[tokens.Count];
        var texts = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            (ids[i], weights[i], embeddings[i], groups[i], texts[i]) = tokens[i];
        }
        return new TokenChunk(ids, weights, embeddings, groups, texts);
    }
}
