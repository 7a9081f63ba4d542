using NodeDiffusion.Models.Architectures.Common;

namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>transformers CLIPTextConfig (the fields the text model uses).</summary>
public sealed record ClipTextConfig(
    int VocabSize,
    int HiddenSize,
    int IntermediateSize,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int MaxPositionEmbeddings,
    string HiddenAct,
    float LayerNormEps,
    int EosTokenId)
{
    public int HeadDim => HiddenSize / NumAttentionHeads;

    public static ClipTextConfig Load(string path) => From(ConfigJson.Load(path));

    public static ClipTextConfig From(ConfigJson c)
    {
        var config = new ClipTextConfig(
            c.Int("vocab_size", 49408),
            c.Int("hidden_size", 512),
            c.Int("intermediate_size", 2048),
            c.Int("num_hidden_layers", 12),
            c.Int("num_attention_heads", 8),
            c.Int("max_position_embeddings", 77),
            c.String("hidden_act", "quick_gelu"),
            c.Float("layer_norm_eps", 1e-5f),
            c.Int("eos_token_id", 2));
        if (config.HiddenSize % config.NumAttentionHeads != 0)
        {
            throw new InvalidDataException($"{c.Source}: hidden_size {config.HiddenSize} is not divisible by num_attention_heads {config.NumAttentionHeads}");
        }
        if (config.HiddenAct is not ("quick_gelu" or "gelu"))
        {
            throw new InvalidDataException($"{c.Source}: hidden_act '{config.HiddenAct}' is not supported (quick_gelu, gelu)");
        }
        return config;
    }
}
