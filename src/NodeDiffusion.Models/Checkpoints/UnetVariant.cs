namespace NodeDiffusion.Models.Checkpoints;

/// <summary>What a compiled UNet carries besides the checkpoint's weights; the parts of its session key.</summary>
/// <param name="Loras">Merged into the weights, in order.</param>
/// <param name="Hypernetworks">Compiled into the attentions' K/V paths, in order.</param>
/// <param name="IpAdapter">Compiled in as decoupled cross-attention, with per-layer scale inputs.</param>
/// <param name="ControlNetResiduals">Adds the ControlNet residual inputs.</param>
public sealed record UnetVariant(
    IReadOnlyList<LoraApplication> Loras,
    IReadOnlyList<HypernetworkApplication> Hypernetworks,
    IpAdapterApplication? IpAdapter = null,
    bool ControlNetResiduals = false);
