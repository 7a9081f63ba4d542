using NodeDiffusion.Models.Onnx;

namespace NodeDiffusion.Models.Architectures.Common;

/// <summary>torch.nn layers over <see cref="GraphBuilder"/>, each binding its parameters under the given module name.</summary>
public static class Layers
{
    /// <summary>nn.Linear: y = x·Wᵀ + b with W stored as [out, in] under its own name (the transpose is folded by ORT).</summary>
    public static Value Linear(this GraphBuilder g, Value x, string module, long inFeatures, long outFeatures, bool bias = true)
    {
        using var _ = g.Scope(module);
        var weight = g.Parameter("weight", outFeatures, inFeatures);
        var y = g.MatMul(x, g.Transpose(weight, 1, 0));
        return bias ? g.Add(y, g.Parameter("bias", outFeatures)) : y;
    }

    /// <summary>nn.Conv2d with square kernel and symmetric padding.</summary>
    public static Value Conv2d(this GraphBuilder g, Value x, string module, long inChannels, long outChannels, int kernel, int stride = 1, int? padding = null, bool bias = true)
    {
        using var _ = g.Scope(module);
        var p = padding ?? kernel / 2;
        var weight = g.Parameter("weight", outChannels, inChannels, kernel, kernel);
        var b = bias ? g.Parameter("bias", outChannels) : null;
        return g.Conv(x, weight, b, [stride, stride], [p, p, p, p]);
    }

    public static Value GroupNorm(this GraphBuilder g, Value x, string module, int groups, long channels, float epsilon)
    {
        using var _ = g.Scope(module);
        return g.GroupNorm(x, groups, g.Parameter("weight", channels), g.Parameter("bias", channels), epsilon);
    }

    public static Value LayerNorm(this GraphBuilder g, Value x, string module, long features, float epsilon)
    {
        using var _ = g.Scope(module);
        return g.LayerNormalization(x, g.Parameter("weight", features), g.Parameter("bias", features), epsilon);
    }

    /// <summary>
    /// Multi-head scaled dot-product attention on [B, N, heads·headDim] inputs. <paramref name="scaleQuery"/> multiplies q
    /// before q·kᵀ (transformers CLIP); otherwise the scores are scaled (diffusers' baddbmm alpha).
    /// </summary>
    public static Value Attention(this GraphBuilder g, Value q, Value k, Value v, long heads, long headDim, bool scaleQuery = false, Value? additiveMask = null)
    {
        var scale = (float)(1.0 / Math.Sqrt(headDim));
        if (scaleQuery)
        {
            q = g.Mul(q, scale);
        }
        var qh = g.Transpose(g.Reshape(q, 0, 0, heads, headDim), 0, 2, 1, 3);
        var kt = g.Transpose(g.Reshape(k, 0, 0, heads, headDim), 0, 2, 3, 1);
        var vh = g.Transpose(g.Reshape(v, 0, 0, heads, headDim), 0, 2, 1, 3);
        var scores = g.MatMul(qh, kt);
        if (!scaleQuery)
        {
            scores = g.Mul(scores, scale);
        }
        if (additiveMask is not null)
        {
            scores = g.Add(scores, additiveMask);
        }
        var context = g.MatMul(g.Softmax(scores, -1), vh);
        return g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, 0, heads * headDim);
    }
}
