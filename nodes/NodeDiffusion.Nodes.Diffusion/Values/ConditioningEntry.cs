namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// One conditioning: token embeddings [1, Tokens, Dim] (77·k tokens for k prompt chunks) and the pooled output of
/// the first chunk, with ComfyUI's options.
/// </summary>
public sealed record ConditioningEntry(float[] Embeddings, int Tokens, int Dim, float[] Pooled, double Strength = 1.0)
{
    /// <summary>ControlNets in the order they were applied; their residuals are summed (ComfyUI's previous_controlnet chain).</summary>
    public EquatableList<ControlNetApplication> Control { get; init; } = EquatableList<ControlNetApplication>.Empty;

    /// <summary>The part of the latent this entry applies to; null for all of it.</summary>
    public ConditioningArea? Area { get; init; }
}
