using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Architectures.Clip;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>CLIP_VISION: a CLIP vision tower in models/clip_vision (its weights file, fingerprint and config).</summary>
[PortType(PortTypes.ClipVision)]
public sealed record ClipVisionHandle(string Name, string WeightsPath, string Fingerprint, ClipVisionConfig Config)
{
    public override string ToString() => $"CLIP_VISION({Name})";
}
