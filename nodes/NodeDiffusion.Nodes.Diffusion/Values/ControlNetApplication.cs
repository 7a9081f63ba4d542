using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// One ControlNet attached to a conditioning (ComfyUI's <c>control</c> option): its hint image (IMAGE, RGB in [0, 1]),
/// the strength its residuals are scaled by, and the part of the model's timestep range where it acts.
/// </summary>
public sealed record ControlNetApplication(ControlNetHandle Net, ImageBatch Hint, double Strength, double StartPercent, double EndPercent)
{
    public override string ToString() => $"{Net.Name}×{Strength} [{StartPercent}, {EndPercent}]";
}
