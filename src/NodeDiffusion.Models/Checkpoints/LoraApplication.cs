namespace NodeDiffusion.Models.Checkpoints;

/// <summary>A LoRA file merged into a component at <see cref="Strength"/>; the fingerprint keys the compiled session.</summary>
public sealed record LoraApplication(string Path, string Fingerprint, float Strength)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}@{Fingerprint}×{Strength:R}";
}
