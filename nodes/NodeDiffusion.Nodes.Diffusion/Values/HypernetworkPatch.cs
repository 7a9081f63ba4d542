using NodeDiffusion.Models.Checkpoints;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>A hypernetwork applied to a MODEL: its name in models/hypernetworks, resolved path, file fingerprint and strength.</summary>
public sealed record HypernetworkPatch(string Name, string Path, string Fingerprint, double Strength)
{
    public HypernetworkApplication ToApplication() => new(Path, Fingerprint, (float)Strength);

    public override string ToString() => $"{Name}×{Strength}";
}
