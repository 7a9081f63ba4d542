namespace NodeDiffusion.Diffusion.Text;

/// <summary>One position of a chunk, in a form that is easy to print.</summary>
/// <param name="Id">Vocabulary id, or <see cref="TokenChunk.EmbeddingPlaceholderId"/> where <paramref name="Embedding"/> is set.</param>
/// <param name="Weight">Emphasis weight (1 for BOS/EOS/padding).</param>
/// <param name="Embedding">The embedding vector that fills this position, if any.</param>
/// <param name="GroupId">1-based index of the word group the token came from; 0 for BOS, EOS and padding (ComfyUI's word ids).</param>
/// <param name="Text">The vocabulary string ("cat&lt;/w&gt;") or the embedding reference.</param>
public readonly record struct PromptToken(int Id, float Weight, EmbeddingTokenRef? Embedding, int GroupId, string Text);
