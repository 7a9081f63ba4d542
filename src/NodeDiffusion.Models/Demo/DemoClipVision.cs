using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// A deterministic CLIP vision tower (transformers CLIPVisionModelWithProjection layout, 32×32 input) for the demo
/// IP-Adapter. Its config travels in the file's metadata, since no released tower has its sizes.
/// </summary>
public static class DemoClipVision
{
    public const string FileName = "nodediffusion-demo-clip-vision.safetensors";
    public const string ConfigMetadataKey = ClipVisionConfigInference.ConfigMetadataKey;
    public const int ProjectionDim = 64;

    public const string Config = """
        {"model_type": "clip_vision_model", "hidden_size": 64, "intermediate_size": 128, "projection_dim": 64,
         "num_hidden_layers": 3, "num_attention_heads": 4, "num_channels": 3, "image_size": 32, "patch_size": 4,
         "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05}
        """;

    /// <summary>Writes models/clip_vision/<see cref="FileName"/> unless present.</summary>
    public static string EnsureExists(string modelsRoot)
    {
        var path = Path.Combine(modelsRoot, "clip_vision", FileName);
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".partial-" + Environment.ProcessId;
        var manifest = new WeightManifest();
        ClipVisionGraph.Build(ClipVisionConfig.From(ConfigJson.Parse(Config, "demo clip vision config")), manifest);
        SafetensorsWriter.WriteFile(staging, DemoWeights.For(manifest.Expected, seed: 12),
            new Dictionary<string, string> { ["format"] = "pt", ["nodediffusion"] = "demo-clip-vision", [ConfigMetadataKey] = Config });
        File.Move(staging, path, overwrite: true);
        return path;
    }
}
