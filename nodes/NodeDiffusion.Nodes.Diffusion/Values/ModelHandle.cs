using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Checkpoints;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// MODEL: a checkpoint's UNet plus the patches to apply when it is compiled (LoRA, hypernetworks, IP-Adapter...).
/// A small, hashable description; the compiled session lives in the model service.
/// </summary>
[PortType(PortTypes.Model)]
public sealed record ModelHandle(CheckpointRef Checkpoint)
{
    /// <summary>LoRAs merged into the UNet, in the order they were applied.</summary>
    public EquatableList<LoraPatch> Loras { get; init; } = EquatableList<LoraPatch>.Empty;

    /// <summary>IP-Adapters compiled into the UNet as decoupled cross-attention (weights are inputs, not compiled in).</summary>
    public EquatableList<IpAdapterPatch> IpAdapters { get; init; } = EquatableList<IpAdapterPatch>.Empty;

    public IReadOnlyList<LoraApplication> LoraApplications => Loras.Select(l => l.ToApplication()).ToList();

    /// <summary>Hypernetworks compiled into the UNet's attentions, in the order they were applied.</summary>
    public EquatableList<HypernetworkPatch> Hypernetworks { get; init; } = EquatableList<HypernetworkPatch>.Empty;

    public IReadOnlyList<HypernetworkApplication> HypernetworkApplications => Hypernetworks.Select(h => h.ToApplication()).ToList();

    public override string ToString() => Loras.Count == 0 ? $"MODEL({Checkpoint.Name})" : $"MODEL({Checkpoint.Name} + {Loras})";
}
