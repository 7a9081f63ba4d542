using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Checkpoints;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>CLIP: a checkpoint's text encoder and tokenizer, and the layer to stop at (−1 = last, −2 = "clip skip 2").</summary>
[PortType(PortTypes.Clip)]
public sealed record ClipHandle(CheckpointRef Checkpoint, int StopAtLayer = -1)
{
    /// <summary>LoRAs merged into the text encoder, in the order they were applied.</summary>
    public EquatableList<LoraPatch> Loras { get; init; } = EquatableList<LoraPatch>.Empty;

    public IReadOnlyList<LoraApplication> LoraApplications => Loras.Select(l => l.ToApplication()).ToList();

    public override string ToString() => Loras.Count == 0 ? $"CLIP({Checkpoint.Name}, {StopAtLayer})" : $"CLIP({Checkpoint.Name}, {StopAtLayer} + {Loras})";
}
