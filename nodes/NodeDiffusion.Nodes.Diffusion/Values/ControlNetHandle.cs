using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// CONTROL_NET: a ControlNet file by name (in models/controlnet), its resolved path and fingerprint. It is compiled
/// against the sampler's checkpoint when a sampler first uses it.
/// </summary>
[PortType(PortTypes.ControlNet)]
public sealed record ControlNetHandle(string Name, string Path, string Fingerprint)
{
    public override string ToString() => $"CONTROL_NET({Name})";
}
