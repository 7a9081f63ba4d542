namespace NodeDiffusion.Models.Architectures.IpAdapter;

/// <summary>
/// The perceiver Resampler of IP-Adapter Plus (IP-Adapter's resampler.py, diffusers IPAdapterPlusImageProjection):
/// <paramref name="Queries"/> learned latents of width <paramref name="Dim"/> attend <paramref name="Depth"/> times to
/// proj_in(CLIP hidden states) ‖ latents, then proj_out → norm_out gives tokens of width <paramref name="OutputDim"/>.
/// </summary>
public sealed record ResamplerConfig(int Dim, int Depth, int Heads, int DimHead, int Queries, int EmbeddingDim, int OutputDim, int FfMult)
{
    /// <summary>IP-Adapter Plus fixes the head size at 64 (12 heads for SD1.5); the head count follows from to_q.</summary>
    public const int DefaultDimHead = 64;

    public int Inner => Heads * DimHead;
}
