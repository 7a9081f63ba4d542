using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>
/// transformers CLIPVisionModelWithProjection: input <c>pixel_values</c> [B, 3, S, S] (CLIP-normalised) → <c>image_embeds</c>,
/// <c>last_hidden_state</c> (not post-normed), <c>penultimate_hidden_state</c> (hidden_states[-2], what IP-Adapter Plus
/// uses) and, optionally, every <c>hidden_states_i</c>.
/// </summary>
public static class ClipVisionGraph
{
    public static ModelProto Build(ClipVisionConfig config, IWeightSource weights, bool hiddenStates = false)
    {
        var binder = new WeightBinder(weights);
        binder.Ignore("vision_model.embeddings.position_ids");
        var g = new GraphBuilder("clip_vision_model", binder);
        var d = config.HiddenSize;
        var tokens = config.Patches + 1;
        var pixels = g.Input("pixel_values", ElementType.Float, "batch", config.NumChannels, config.ImageSize, config.ImageSize);
        var states = new List<Value>();
        Value h, pooled;
        using (g.Scope("vision_model"))
        {
            using (g.Scope("embeddings"))
            {
                var patches = g.Conv2d(pixels, "patch_embedding", config.NumChannels, d, config.PatchSize, stride: config.PatchSize, padding: 0, bias: false);
                patches = g.Transpose(g.Reshape(patches, 0, d, -1), 0, 2, 1);
                var cls = g.Expand(g.Reshape(g.Parameter("class_embedding", d), 1, 1, d), g.Concat(0, g.Shape(pixels, 0, 1), g.Ints(1, d)));
                h = g.Add(g.Concat(1, cls, patches), g.Parameter("position_embedding.weight", tokens, d));
            }
            h = g.LayerNorm(h, "pre_layrnorm", d, config.LayerNormEps);
            states.Add(h);
            for (var i = 0; i < config.NumHiddenLayers; i++)
            {
                h = ClipEncoderLayer.Apply(g, h, $"encoder.layers.{i}", d, config.IntermediateSize, config.NumAttentionHeads, config.HiddenAct, config.LayerNormEps, null);
                states.Add(h);
            }
            pooled = g.LayerNorm(g.Reshape(g.Slice(h, [0], [1], [1]), 0, d), "post_layernorm", d, config.LayerNormEps);
        }
        g.Output(g.Linear(pooled, "visual_projection", d, config.ProjectionDim, bias: false), "image_embeds", "batch", config.ProjectionDim);
        g.Output(h, "last_hidden_state", "batch", tokens, d);
        g.Output(states[^2], "penultimate_hidden_state", "batch", tokens, d);
        if (hiddenStates)
        {
            for (var i = 0; i < states.Count; i++)
            {
                g.Output(states[i], $"hidden_states_{i}", "batch", tokens, d);
            }
        }
        binder.Complete();
        return g.Build();
    }
}
