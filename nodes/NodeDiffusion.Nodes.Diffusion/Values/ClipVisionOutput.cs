using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// CLIP_VISION_OUTPUT: per image the projected <see cref="ImageEmbeds"/> [B, ProjectionDim], and the
/// <see cref="PenultimateHiddenStates"/> and <see cref="LastHiddenState"/> [B, Tokens, Hidden] (ComfyUI's
/// image_embeds, penultimate_hidden_states, last_hidden_state).
/// </summary>
[PortType(PortTypes.ClipVisionOutput)]
public sealed class ClipVisionOutput(int batch, int projectionDim, int tokens, int hidden, float[] imageEmbeds, float[] penultimate, float[] last) : ISizedValue
{
    public int Batch { get; } = batch;
    public int ProjectionDim { get; } = projectionDim;
    public int Tokens { get; } = tokens;
    public int Hidden { get; } = hidden;
    public float[] ImageEmbeds { get; } = imageEmbeds;
    public float[] PenultimateHiddenStates { get; } = penultimate;
    public float[] LastHiddenState { get; } = last;

    public long ByteSize => ((long)ImageEmbeds.Length + PenultimateHiddenStates.Length + LastHiddenState.Length) * sizeof(float);

    public override string ToString() => $"CLIP_VISION_OUTPUT({Batch}×{ProjectionDim}, {Batch}×{Tokens}×{Hidden})";
}
