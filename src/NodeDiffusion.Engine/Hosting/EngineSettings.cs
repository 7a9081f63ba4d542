using NodeDiffusion.Graph.Files;

namespace NodeDiffusion.Engine.Hosting;

/// <summary>Where the engine keeps its files, and how much it may cache.</summary>
public sealed record EngineSettings(StorageRoots Roots, string DataDirectory)
{
    public int CacheEntries { get; init; } = 512;
    public long CacheBytes { get; init; } = 4L * 1024 * 1024 * 1024;
    public int MaxParallelism { get; init; } = 1;

    /// <summary>Everything under one base folder: models/, input/, output/, temp/, user/ and data/.</summary>
    public static EngineSettings Under(string baseDirectory) =>
        new(StorageRoots.Under(Path.GetFullPath(baseDirectory)), Path.Combine(Path.GetFullPath(baseDirectory), "data"));
}
