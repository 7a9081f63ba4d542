using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// MODEL: a checkpoint's UNet plus the patches to apply when it is compiled (LoRA, hypernetworks, IP-Adapter...).
/// A small, hashable description; the compiled session lives in the model service.
/// </summary>
[PortType(PortTypes.Model)]
public sealed record ModelHandle(CheckpointRef Checkpoint)
{
    public override string ToString() => $"MODEL({Checkpoint.Name})";
}
