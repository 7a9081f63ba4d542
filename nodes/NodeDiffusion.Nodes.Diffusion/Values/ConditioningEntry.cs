namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// One conditioning: token embeddings [1, Tokens, Dim] (77·k tokens for k prompt chunks) and the pooled output of
/// the first chunk, with ComfyUI's options.
/// </summary>
public sealed record ConditioningEntry(float[] Embeddings, int Tokens, int Dim, float[] Pooled, double Strength = 1.0);
