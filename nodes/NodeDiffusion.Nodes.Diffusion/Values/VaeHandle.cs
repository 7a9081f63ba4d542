using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>VAE: a checkpoint's autoencoder.</summary>
[PortType(PortTypes.Vae)]
public sealed record VaeHandle(CheckpointRef Checkpoint)
{
    public override string ToString() => $"VAE({Checkpoint.Name})";
}
