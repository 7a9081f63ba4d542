using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>
/// A CLIPVisionModelWithProjection config read from a transformers-layout state dict when no config.json is at hand:
/// sizes come from the tensor shapes; heads and activation, which shapes do not show, from the widths of the released
/// towers (ViT-B 768: 12 heads quick_gelu; ViT-L 1024: 16 quick_gelu; ViT-H 1280 and ViT-bigG 1664: 16 gelu).
/// </summary>
public static class ClipVisionConfigInference
{
    public const string Prefix = "vision_model.";

    /// <summary>A safetensors metadata entry that may hold the transformers config.json of the tower.</summary>
    public const string ConfigMetadataKey = "nodediffusion.clip_vision_config";

    private static readonly Dictionary<int, (int Heads, string Act)> KnownWidths = new()
    {
        [768] = (12, "quick_gelu"),
        [1024] = (16, "quick_gelu"),
        [1280] = (16, "gelu"),
        [1664] = (16, "gelu"),
    };

    /// <summary>True for the transformers layout our graph binds (as opposed to OpenCLIP's <c>visual.*</c>).</summary>
    public static bool IsTransformersLayout(IWeightSource weights) =>
        weights.Contains("vision_model.embeddings.patch_embedding.weight") && weights.Contains("visual_projection.weight");

    public static ClipVisionConfig Infer(IWeightSource weights, string file)
    {
        if (!IsTransformersLayout(weights))
        {
            var hint = weights.Names.Any(n => n.StartsWith("visual.", StringComparison.Ordinal))
                ? " It is in OpenCLIP layout ('visual.*'); use the transformers export (e.g. CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors as ComfyUI ships it)."
                : "";
            throw new InvalidDataException($"{file} is not a CLIP vision model: expected 'vision_model.embeddings.patch_embedding.weight' and 'visual_projection.weight' (transformers CLIPVisionModelWithProjection).{hint}");
        }
        var patch = weights.GetShape("vision_model.embeddings.patch_embedding.weight");
        var hidden = (int)patch[0];
        var positions = (int)weights.GetShape("vision_model.embeddings.position_embedding.weight")[0];
        var side = (int)Math.Round(Math.Sqrt(positions - 1));
        if (side * side != positions - 1)
        {
            throw new InvalidDataException($"{file}: {positions} position embeddings are not a square grid plus the class token.");
        }
        var layers = 0;
        while (weights.Contains($"vision_model.encoder.layers.{layers}.layer_norm1.weight"))
        {
            layers++;
        }
        if (!KnownWidths.TryGetValue(hidden, out var known))
        {
            throw new InvalidDataException($"{file}: a {hidden}-wide CLIP vision tower is not one of the released ones (768, 1024, 1280, 1664), so its head count is unknown; put its transformers config.json next to it (a folder with config.json and model.safetensors).");
        }
        return new ClipVisionConfig(
            hidden, (int)weights.GetShape("vision_model.encoder.layers.0.mlp.fc1.weight")[0], (int)weights.GetShape("visual_projection.weight")[0],
            layers, known.Heads, (int)patch[1], side * (int)patch[2], (int)patch[2], known.Act, 1e-5f);
    }
}
