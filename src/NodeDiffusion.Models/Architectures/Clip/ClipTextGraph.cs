using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>
/// transformers CLIPTextModel: input <c>input_ids</c> int64 [batch, sequence]; outputs <c>last_hidden_state</c>,
/// <c>pooler_output</c> and the optional outputs of <see cref="ClipTextGraphOptions"/>.
/// </summary>
public static class ClipTextGraph
{
    public const string Prefix = "text_model";

    public static ModelProto Build(ClipTextConfig config, IWeightSource weights, ClipTextGraphOptions? options = null)
    {
        options ??= new ClipTextGraphOptions();
        var binder = new WeightBinder(weights);
        // Old checkpoints carry a position_ids buffer (sometimes corrupted); positions are always 0..S-1 here.
        binder.Ignore($"{Prefix}.embeddings.position_ids");
        var g = new GraphBuilder("clip_text_model", binder);
        var d = config.HiddenSize;
        var ids = g.Input("input_ids", ElementType.Int64, "batch", "sequence");

        var hiddenStates = new List<Value>();
        Value finalNorm(Value h) => g.LayerNorm(h, $"{Prefix}.final_layer_norm", d, config.LayerNormEps);
        Value h;
        using (g.Scope($"{Prefix}.embeddings"))
        {
            Value tokens;
            if (options.InputsEmbeds)
            {
                tokens = g.Input("inputs_embeds", ElementType.Float, "batch", "sequence", d);
                binder.Ignore($"{Prefix}.embeddings.token_embedding.weight");
            }
            else
            {
                tokens = g.Gather(g.Parameter("token_embedding.weight", config.VocabSize, d), ids);
            }
            var sequence = g.Shape(ids, 1, 2);
            var positions = g.Slice(g.Parameter("position_embedding.weight", config.MaxPositionEmbeddings, d), g.Ints(0), sequence, g.Ints(0));
            h = g.Add(tokens, positions);
        }
        hiddenStates.Add(h);

        var mask = CausalMask(g, config.MaxPositionEmbeddings, g.Shape(ids, 1, 2));
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            h = ClipEncoderLayer.Apply(g, h, $"{Prefix}.encoder.layers.{i}", d, config.IntermediateSize, config.NumAttentionHeads, config.HiddenAct, config.LayerNormEps, mask);
            hiddenStates.Add(h);
        }

        var last = finalNorm(h);
        g.Output(last, "last_hidden_state", "batch", "sequence", d);
        g.Output(Pool(g, config, ids, last, d), "pooler_output", "batch", d);
        if (options.HiddenStates)
        {
            for (var i = 0; i < hiddenStates.Count; i++)
            {
                g.Output(hiddenStates[i], $"hidden_states_{i}", "batch", "sequence", d);
            }
        }
        foreach (var skip in options.ClipSkips ?? [])
        {
            if (skip < 0 || skip >= config.NumHiddenLayers)
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"clip skip {skip} is outside 0..{config.NumHiddenLayers - 1}");
            }
            g.Output(finalNorm(hiddenStates[^(skip + 1)]), $"clip_skip_{skip}", "batch", "sequence", d);
        }
        binder.Complete();
        return g.Build();
    }

    /// <summary>Additive causal mask with float32 min (not -inf) above the diagonal, as transformers builds it.</summary>
    private static Value CausalMask(GraphBuilder g, int maxPositions, Value sequence)
    {
        var values = new float[maxPositions * maxPositions];
        for (var r = 0; r < maxPositions; r++)
        {
            for (var c = r + 1; c < maxPositions; c++)
            {
                values[(r * maxPositions) + c] = float.MinValue;
            }
        }
        var full = g.Floats([maxPositions, maxPositions], values);
        var axes = g.Ints(0, 1);
        var zeros = g.Ints(0, 0);
        return g.Slice(full, zeros, g.Concat(0, sequence, sequence), axes);
    }

    /// <summary>
    /// The EOS position per row: legacy configs (eos_token_id 2, as SD1.5's) take argmax(input_ids), the first position of the
    /// largest id; others take the first position equal to eos_token_id.
    /// </summary>
    private static Value Pool(GraphBuilder g, ClipTextConfig config, Value ids, Value last, long d)
    {
        var score = config.EosTokenId == 2
            ? g.Cast(ids, ElementType.Int32)
            : g.Cast(g.Equal(ids, g.ConstantInt64([], config.EosTokenId)), ElementType.Int32);
        var index = g.ArgMax(score, axis: 1, keepDims: true);                 // [B, 1]
        var gatherIndex = g.Expand(g.Unsqueeze(index, 2), g.Concat(0, g.Shape(ids, 0, 1), g.Ints(1, d)));
        return g.Reshape(g.GatherElements(last, gatherIndex, axis: 1), 0, d);  // [B, D]
    }
}
