using NodeDiffusion.Models.Weights.Hypernetworks;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>A hypernetwork file compiled into the UNet at <see cref="Strength"/>; the fingerprint keys the compiled session.</summary>
public sealed record HypernetworkApplication(string Path, string Fingerprint, float Strength)
{
    public WeightedHypernetwork Load() => new(HypernetworkFile.Read(Path), Strength);

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}@{Fingerprint}×{Strength:R}";
}
