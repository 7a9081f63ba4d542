using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>CLIP: a checkpoint's text encoder and tokenizer, and the layer to stop at (−1 = last, −2 = "clip skip 2").</summary>
[PortType(PortTypes.Clip)]
public sealed record ClipHandle(CheckpointRef Checkpoint, int StopAtLayer = -1)
{
    public override string ToString() => $"CLIP({Checkpoint.Name}, {StopAtLayer})";
}
