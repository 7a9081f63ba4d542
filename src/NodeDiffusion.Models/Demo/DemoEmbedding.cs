using NodeDiffusion.Formats.Safetensors;

namespace NodeDiffusion.Models.Demo;

/// <summary>A deterministic two-vector textual-inversion embedding (A1111 safetensors layout) for the demo checkpoint.</summary>
public static class DemoEmbedding
{
    public const string Name = "nodediffusion-demo-style";
    public const string FileName = Name + ".safetensors";
    public const int Vectors = 2;

    /// <summary>Writes models/embeddings/<see cref="FileName"/> of <paramref name="dimension"/> unless present.</summary>
    public static string EnsureExists(string modelsRoot, int dimension)
    {
        var path = Path.Combine(modelsRoot, "embeddings", FileName);
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".partial-" + Environment.ProcessId;
        SafetensorsWriter.WriteFile(staging, [SafetensorsTensor.FromFloat32("emb_params", [Vectors, dimension], new SplitMix64(11).Uniform(Vectors * dimension, 1f))],
            new Dictionary<string, string> { ["nodediffusion"] = "demo-embedding" });
        File.Move(staging, path, overwrite: true);
        return path;
    }
}
