using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;
using Onnx;

namespace NodeDiffusion.Models.Architectures.IpAdapter;

/// <summary>
/// An IP-Adapter's image projection as its own model, with the file's original parameter names (<c>image_proj.*</c>):
/// input <c>clip_embeds</c> (base: CLIP <c>image_embeds</c> [B, D]; Plus: penultimate hidden states [B, T, D]) → output
/// <c>ip_tokens</c> [B, tokens, C], which the UNet's decoupled cross-attention takes.
/// </summary>
public static class IpAdapterProjectionGraph
{
    public const string Input = "clip_embeds";
    public const string Output = "ip_tokens";

    public static ModelProto Build(IpAdapterLayout layout, IWeightSource file)
    {
        // The ip_adapter.* tensors belong to the UNet; only image_proj.* is bound here.
        var weights = new RenamedWeightSource(file, n => n.StartsWith(IpAdapterLayout.ProjectionPrefix, StringComparison.Ordinal) ? n : null);
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("ip_adapter_image_proj", binder);
        Value tokens;
        using (g.Scope("image_proj"))
        {
            tokens = layout.Kind == IpAdapterKind.Base
                ? ImageProjModel(g, layout, g.Input(Input, ElementType.Float, "batch", layout.ClipEmbedDim))
                : Resampler(g, layout.Resampler!, g.Input(Input, ElementType.Float, "batch", "clip_tokens", layout.ClipEmbedDim));
        }
        g.Output(tokens, Output, "batch", layout.Tokens, layout.TokenChannels);
        binder.Complete();
        return g.Build();
    }

    /// <summary>Linear(D → tokens·C) → [B, tokens, C] → LayerNorm(C).</summary>
    private static Value ImageProjModel(GraphBuilder g, IpAdapterLayout layout, Value embeds)
    {
        var c = layout.TokenChannels;
        var projected = g.Reshape(g.Linear(embeds, "proj", layout.ClipEmbedDim, (long)layout.Tokens * c), 0, layout.Tokens, c);
        return g.LayerNorm(projected, "norm", c, 1e-5f);
    }

    /// <summary>
    /// latents ← latents + PerceiverAttention(LN(x), LN(latents)), then latents ← latents + FF(latents), per layer; the
    /// attention's keys and values come from LN(x) ‖ LN(latents), its queries from LN(latents); FF = LN, Linear(×mult),
    /// exact GELU, Linear (no biases).
    /// </summary>
    private static Value Resampler(GraphBuilder g, ResamplerConfig r, Value hiddenStates)
    {
        var latents = g.Expand(g.Parameter("latents", 1, r.Queries, r.Dim), g.Concat(0, g.Shape(hiddenStates, 0, 1), g.Ints(r.Queries, r.Dim)));
        var x = g.Linear(hiddenStates, "proj_in", r.EmbeddingDim, r.Dim);
        for (var i = 0; i < r.Depth; i++)
        {
            using var _ = g.Scope($"layers.{i}");
            using (g.Scope("0"))
            {
                var xn = g.LayerNorm(x, "norm1", r.Dim, 1e-5f);
                var ln = g.LayerNorm(latents, "norm2", r.Dim, 1e-5f);
                var q = g.Linear(ln, "to_q", r.Dim, r.Inner, bias: false);
                var kv = g.Linear(g.Concat(1, xn, ln), "to_kv", r.Dim, 2L * r.Inner, bias: false);
                var k = g.Slice(kv, [0], [r.Inner], [-1]);
                var v = g.Slice(kv, [r.Inner], [2L * r.Inner], [-1]);
                var attended = g.Attention(q, k, v, r.Heads, r.DimHead);
                latents = g.Add(g.Linear(attended, "to_out", r.Inner, r.Dim, bias: false), latents);
            }
            using (g.Scope("1"))
            {
                var hidden = (long)r.Dim * r.FfMult;
                var y = g.LayerNorm(latents, "0", r.Dim, 1e-5f);
                y = g.GeluErf(g.Linear(y, "1", r.Dim, hidden, bias: false));
                latents = g.Add(g.Linear(y, "3", hidden, r.Dim, bias: false), latents);
            }
        }
        var output = g.Linear(latents, "proj_out", r.Dim, r.OutputDim);
        return g.LayerNorm(output, "norm_out", r.OutputDim, 1e-5f);
    }
}
