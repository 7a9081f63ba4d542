using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;

namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>transformers CLIPEncoderLayer (pre-LN), shared by the text and vision towers.</summary>
public static class ClipEncoderLayer
{
    public static Value Apply(GraphBuilder g, Value h, string module, int hidden, int intermediate, int heads, string activation, float epsilon, Value? mask)
    {
        using var _ = g.Scope(module);
        var headDim = hidden / heads;
        var x = g.LayerNorm(h, "layer_norm1", hidden, epsilon);
        var q = g.Linear(x, "self_attn.q_proj", hidden, hidden);
        var k = g.Linear(x, "self_attn.k_proj", hidden, hidden);
        var v = g.Linear(x, "self_attn.v_proj", hidden, hidden);
        var attention = g.Attention(q, k, v, heads, headDim, scaleQuery: true, additiveMask: mask);
        h = g.Add(h, g.Linear(attention, "self_attn.out_proj", hidden, hidden));

        var y = g.LayerNorm(h, "layer_norm2", hidden, epsilon);
        y = g.Linear(y, "mlp.fc1", hidden, intermediate);
        y = activation == "quick_gelu" ? g.QuickGelu(y) : g.GeluErf(y);
        return g.Add(h, g.Linear(y, "mlp.fc2", intermediate, hidden));
    }
}
