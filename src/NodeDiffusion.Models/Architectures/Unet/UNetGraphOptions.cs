namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>Variants of the compiled UNet.</summary>
/// <param name="ControlNetResiduals">Adds inputs <c>down_block_{i}_additional_residual</c> (one per skip) and
/// <c>mid_block_additional_residual</c>, added to the skips and to the mid-block output.</param>
/// <param name="IpAdapter">Compiles in an IP-Adapter (see <see cref="IpAdapterOptions"/>).</param>
public sealed record UNetGraphOptions(bool ControlNetResiduals = false, IpAdapterOptions? IpAdapter = null)
{
    /// <summary>Hypernetworks applied, in order, to the K/V inputs of the attentions (see <see cref="HypernetworkGraph"/>).</summary>
    public IReadOnlyList<Weights.Hypernetworks.WeightedHypernetwork> Hypernetworks { get; init; } = [];
}
