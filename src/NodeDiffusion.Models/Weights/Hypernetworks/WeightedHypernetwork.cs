namespace NodeDiffusion.Models.Weights.Hypernetworks;

/// <summary>A hypernetwork applied at a strength: K/V input x becomes x + Strength · mlp(x).</summary>
public sealed record WeightedHypernetwork(Hypernetwork Network, float Strength);
