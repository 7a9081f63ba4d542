namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>A checkpoint by name (relative to models/checkpoints) and the fingerprint of its files when it was loaded.</summary>
public sealed record CheckpointRef(string Name, string Folder, string Fingerprint);
