using System.Globalization;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Weights.Hypernetworks;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// A deterministic A1111-layout hypernetwork for the demo checkpoint, stored as safetensors: layer structure 1, 2, 1 with
/// ReLU for the widths of its attentions (32 and 64; 64 is also its text context width), strong enough to visibly
/// change the demo's images at strength 1.
/// </summary>
public static class DemoHypernetwork
{
    public const string FileName = "nodediffusion-demo-hypernetwork.safetensors";
    public static readonly int[] Widths = [32, 64];

    /// <summary>Writes models/hypernetworks/<see cref="FileName"/> unless present.</summary>
    public static string EnsureExists(string modelsRoot)
    {
        var path = Path.Combine(modelsRoot, "hypernetworks", FileName);
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Write(staging);
        File.Move(staging, path, overwrite: true);
        return path;
    }

    public static void Write(string path)
    {
        var random = new SplitMix64(11);
        var tensors = new List<SafetensorsTensor>();
        foreach (var width in Widths)
        {
            for (var part = 0; part < 2; part++)
            {
                var prefix = $"{width}.{part}.linear";
                var hidden = 2 * width;
                tensors.Add(SafetensorsTensor.FromFloat32($"{prefix}.0.weight", [hidden, width], random.Uniform(hidden * width, MathF.Sqrt(3f / width))));
                tensors.Add(SafetensorsTensor.FromFloat32($"{prefix}.0.bias", [hidden], random.Uniform(hidden, 0.1f)));
                tensors.Add(SafetensorsTensor.FromFloat32($"{prefix}.2.weight", [width, hidden], random.Uniform(width * hidden, MathF.Sqrt(3f / hidden))));
                tensors.Add(SafetensorsTensor.FromFloat32($"{prefix}.2.bias", [width], random.Uniform(width, 0.1f)));
            }
        }
        SafetensorsWriter.WriteFile(path, tensors, new Dictionary<string, string>
        {
            [HypernetworkFile.ActivationKey] = "relu",
            [HypernetworkFile.LayerNormKey] = "False",
            [HypernetworkFile.UseDropoutKey] = "False",
            [HypernetworkFile.ActivateOutputKey] = "False",
            [HypernetworkFile.LastLayerDropoutKey] = "False",
            [HypernetworkFile.LayerStructureKey] = "[1, 2, 1]",
            ["nodediffusion"] = "demo-hypernetwork",
        });
    }
}
