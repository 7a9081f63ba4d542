using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// An IP-Adapter applied to a MODEL: the adapter, its projected image tokens for the conditional and unconditional halves
/// ([Tokens, Channels] each), the weight of every cross-attention layer (diffusers processor order, weight_type applied),
/// the embeds scaling and the active range of the schedule.
/// </summary>
public sealed record IpAdapterPatch(
    IpAdapterHandle Adapter,
    IpAdapterTokens Tokens,
    EquatableList<double> LayerWeights,
    string EmbedsScaling,
    double StartAt,
    double EndAt)
{
    /// <summary>Where the adapter acts (IPAdapter_plus' attn_mask), [B, H, W] in [0, 1]; null for everywhere.</summary>
    public MaskBatch? AttnMask { get; init; }

    public override string ToString() => $"{Adapter.Name}[{EmbedsScaling}, {StartAt}–{EndAt}{(AttnMask is null ? "" : ", masked")}]";
}

/// <summary>Projected image tokens: <see cref="Cond"/> and <see cref="Uncond"/> are [Count, Channels] row-major.</summary>
public sealed class IpAdapterTokens(int count, int channels, float[] cond, float[] uncond)
{
    public int Count { get; } = count;
    public int Channels { get; } = channels;
    public float[] Cond { get; } = cond;
    public float[] Uncond { get; } = uncond;
}
