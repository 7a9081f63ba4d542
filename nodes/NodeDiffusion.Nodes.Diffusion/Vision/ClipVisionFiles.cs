using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Vision;

/// <summary>
/// Finds a clip_name in models/clip_vision: a .safetensors file (config from its <see cref="ConfigMetadataKey"/> metadata,
/// else inferred from its shapes) or a transformers folder (config.json + model.safetensors).
/// </summary>
internal static class ClipVisionFiles
{
    public const string Folder = "clip_vision";
    public const string ConfigMetadataKey = ClipVisionConfigInference.ConfigMetadataKey;

    public static ClipVisionHandle Resolve(DiffusionModels models, string name)
    {
        if (!ConfinedPath.TryResolve(Path.Combine(models.Roots.Models, Folder), name, out var path, out var problem))
        {
            throw new NodeException($"Refused CLIP vision name: {problem}.", "clip_name");
        }
        string weights;
        string? configFile = null;
        if (Directory.Exists(path))
        {
            configFile = Path.Combine(path, "config.json");
            weights = Path.Combine(path, "model.safetensors");
            if (!File.Exists(weights))
            {
                weights = Directory.EnumerateFiles(path, "*.safetensors").Order(StringComparer.Ordinal).FirstOrDefault()
                    ?? throw new NodeException($"The CLIP vision folder \"{name}\" has no .safetensors file.", "clip_name");
            }
        }
        else if (File.Exists(path))
        {
            weights = path;
        }
        else
        {
            throw new NodeException($"The CLIP vision model \"{name}\" is not in models/{Folder}.", "clip_name");
        }
        if (!weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new NodeException($"\"{name}\" is not a .safetensors file; CLIP vision models are read from safetensors only.", "clip_name");
        }
        try
        {
            using var file = SafetensorsFile.Open(weights);
            using var source = new SafetensorsWeightSource([file]);
            var config = configFile is not null && File.Exists(configFile) ? ClipVisionConfig.Load(configFile)
                : file.Metadata.TryGetValue(ConfigMetadataKey, out var json) ? ClipVisionConfig.From(ConfigJson.Parse(json, $"{name} metadata"))
                : ClipVisionConfigInference.Infer(source, name);
            if (!ClipVisionConfigInference.IsTransformersLayout(source))
            {
                ClipVisionConfigInference.Infer(source, name); // throws the layout error
            }
            var info = new FileInfo(weights);
            return new ClipVisionHandle(name, weights, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}", config);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or SafetensorsFormatException or System.Text.Json.JsonException)
        {
            throw new NodeException($"Cannot load CLIP vision model \"{name}\": {e.Message}", e, "clip_name");
        }
    }
}
