using NodeDiffusion.Formats.Safetensors;
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
        var file = ModelFile.Resolve(models.Roots, Folder, name, "ipadapter_file", "IP-Adapter");
        if (!file.Path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new NodeException($"\"{name}\" is not a .safetensors file; IP-Adapters are read from safetensors only (convert .bin files first).", "ipadapter_file");
        }
        try
        {
            using var weights = SafetensorsWeightSource.Open(file.Path);
            var layout = IpAdapterLayout.Detect(weights, $"\"{name}\"");
            return new IpAdapterHandle(name, file.Path, file.Fingerprint, layout);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or SafetensorsFormatException)
        {
            throw new NodeException($"Cannot load IP-Adapter \"{name}\": {e.Message}", e, "ipadapter_file");
        }
    }
}
