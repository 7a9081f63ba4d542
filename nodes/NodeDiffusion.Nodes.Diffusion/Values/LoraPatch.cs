using NodeDiffusion.Models.Checkpoints;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>A LoRA applied to a MODEL or CLIP: its name in models/loras, resolved path, file fingerprint and strength.</summary>
public sealed record LoraPatch(string Name, string Path, string Fingerprint, double Strength)
{
    public LoraApplication ToApplication() => new(Path, Fingerprint, (float)Strength);

    public override string ToString() => $"{Name}×{Strength}";
}
