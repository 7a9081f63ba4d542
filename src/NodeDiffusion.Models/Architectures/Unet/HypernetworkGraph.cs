using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights.Hypernetworks;

namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>
/// Hypernetworks compiled into the UNet as ComfyUI applies them (attn1 and attn2 patches): before the K and V
/// projections of every attention whose K/V input width has a module, k ← k + s·mlp_k(k) and v ← v + s·mlp_v(v), one
/// network after the other. For attn1 the input is the normed hidden states (widths 320/640/1280 in SD1), for attn2 the
/// text context (768). Each module's weights become initializers once, shared by all layers of that width.
/// </summary>
public sealed class HypernetworkGraph(IReadOnlyList<WeightedHypernetwork> networks)
{
    private const float LayerNormEps = 1e-5f;
    private readonly Dictionary<(int Network, long Dim, int Part, int Layer), LayerValues> _layers = [];

    private sealed record LayerValues(Value WeightT, Value Bias, Value? NormWeight, Value? NormBias);

    /// <summary>The K and V inputs for an attention whose context has <paramref name="dim"/> features.</summary>
    public (Value Key, Value Value) Apply(GraphBuilder g, Value context, long dim)
    {
        var (key, value) = (context, context);
        for (var n = 0; n < networks.Count; n++)
        {
            if (networks[n].Network.For(dim) is not { } module)
            {
                continue;
            }
            using var _ = g.Scope($"hypernetwork_{n}");
            var strength = g.ScalarFloat(networks[n].Strength);
            key = g.Add(key, g.Mul(Mlp(g, key, n, module.Key, dim, 0), strength));
            value = g.Add(value, g.Mul(Mlp(g, value, n, module.Value, dim, 1), strength));
        }
        return (key, value);
    }

    private Value Mlp(GraphBuilder g, Value x, int network, HypernetworkMlp mlp, long dim, int part)
    {
        var activation = networks[network].Network.Activation;
        for (var i = 0; i < mlp.Layers.Count; i++)
        {
            var layer = mlp.Layers[i];
            var values = Values(g, network, dim, part, i, layer);
            x = g.Add(g.MatMul(x, values.WeightT), values.Bias);
            if (layer.Activated)
            {
                x = Activate(g, x, activation);
            }
            if (values.NormWeight is not null)
            {
                x = g.LayerNormalization(x, values.NormWeight, values.NormBias!, LayerNormEps);
            }
        }
        return x;
    }

    private LayerValues Values(GraphBuilder g, int network, long dim, int part, int index, HypernetworkLayer layer)
    {
        if (_layers.TryGetValue((network, dim, part, index), out var cached))
        {
            return cached;
        }
        var name = $"{dim}.{part}.{index}";
        var (outFeatures, inFeatures) = (layer.OutFeatures, layer.InFeatures);
        // Stored transposed ([in, out]) so the graph needs no Transpose per use.
        var transposed = new float[outFeatures * inFeatures];
        var weight = layer.Weight.Values;
        for (var o = 0; o < outFeatures; o++)
        {
            for (var i = 0; i < inFeatures; i++)
            {
                transposed[(i * outFeatures) + o] = weight[(int)((o * inFeatures) + i)];
            }
        }
        var values = new LayerValues(
            g.Constant(name + ".weight_t", [inFeatures, outFeatures], transposed),
            g.Constant(name + ".bias", [outFeatures], layer.Bias.Values),
            layer.NormWeight is null ? null : g.Constant(name + ".norm.weight", [outFeatures], layer.NormWeight.Values),
            layer.NormBias is null ? null : g.Constant(name + ".norm.bias", [outFeatures], layer.NormBias.Values));
        return _layers[(network, dim, part, index)] = values;
    }

    private static Value Activate(GraphBuilder g, Value x, HypernetworkActivation activation) => activation switch
    {
        HypernetworkActivation.Linear => x,
        HypernetworkActivation.Relu => g.Relu(x),
        HypernetworkActivation.LeakyRelu => g.LeakyRelu(x, 0.01f),
        HypernetworkActivation.Elu => g.Node("Elu", [x], outputShape: x.Shape, attributes: ("alpha", 1f)),
        HypernetworkActivation.Swish => g.Node("HardSwish", [x], outputShape: x.Shape),
        HypernetworkActivation.Tanh => g.Tanh(x),
        HypernetworkActivation.Sigmoid => g.Sigmoid(x),
        HypernetworkActivation.Softsign => g.Node("Softsign", [x], outputShape: x.Shape),
        HypernetworkActivation.Mish => g.Mul(x, g.Tanh(g.Node("Softplus", [x], outputShape: x.Shape))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
