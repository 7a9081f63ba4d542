using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.IpAdapter;

/// <summary>Finds an ipadapter_file in models/ipadapter and reads its layout (safetensors in the original image_proj/ip_adapter layout).</summary>
internal static class IpAdapterFiles
{
    public const string Folder = "ipadapter";

    public static IpAdapterHandle Resolve(DiffusionModels models, string name)
    {
        if (!ConfinedPath.TryResolve(Path.Combine(models.Roots.Models, Folder), name, out var path, out var problem))
        {
            throw new NodeException($"Refused IP-Adapter name: {problem}.", "ipadapter_file");
        }
        if (!File.Exists(path))
        {
            throw new NodeException($"The IP-Adapter \"{name}\" is not in models/{Folder}.", "ipadapter_file");
        }
        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new NodeException($"\"{name}\" is not a .safetensors file; IP-Adapters are read from safetensors only (convert .bin files first).", "ipadapter_file");
        }
        try
        {
            using var weights = SafetensorsWeightSource.Open(path);
            var layout = IpAdapterLayout.Detect(weights, $"\"{name}\"");
            var info = new FileInfo(path);
            return new IpAdapterHandle(name, path, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}", layout);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or SafetensorsFormatException)
        {
            throw new NodeException($"Cannot load IP-Adapter \"{name}\": {e.Message}", e, "ipadapter_file");
        }
    }
}
