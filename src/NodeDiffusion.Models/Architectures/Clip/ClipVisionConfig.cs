using NodeDiffusion.Models.Architectures.Common;

namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>transformers CLIPVisionConfig (with the projection of CLIPVisionModelWithProjection).</summary>
public sealed record ClipVisionConfig(
    int HiddenSize,
    int IntermediateSize,
    int ProjectionDim,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int NumChannels,
    int ImageSize,
    int PatchSize,
    string HiddenAct,
    float LayerNormEps)
{
    public int Patches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    public static ClipVisionConfig Load(string path) => From(ConfigJson.Load(path));

    public static ClipVisionConfig From(ConfigJson c)
    {
        // CLIPVisionModelWithProjection configs nest the vision settings under "vision_config" only in the combined CLIPConfig.
        var config = new ClipVisionConfig(
            c.Int("hidden_size", 768), c.Int("intermediate_size", 3072), c.Int("projection_dim", 512),
            c.Int("num_hidden_layers", 12), c.Int("num_attention_heads", 12), c.Int("num_channels", 3),
            c.Int("image_size", 224), c.Int("patch_size", 32), c.String("hidden_act", "quick_gelu"), c.Float("layer_norm_eps", 1e-5f));
        if (config.HiddenAct is not ("quick_gelu" or "gelu"))
        {
            throw new InvalidDataException($"{c.Source}: hidden_act '{config.HiddenAct}' is not supported (quick_gelu, gelu)");
        }
        if (config.ImageSize % config.PatchSize != 0 || config.HiddenSize % config.NumAttentionHeads != 0)
        {
            throw new InvalidDataException($"{c.Source}: image_size must be a multiple of patch_size and hidden_size of num_attention_heads");
        }
        return config;
    }
}
