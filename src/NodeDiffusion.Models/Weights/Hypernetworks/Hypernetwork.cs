namespace NodeDiffusion.Models.Weights.Hypernetworks;

/// <summary>
/// One Linear layer of a hypernetwork MLP (weight [out, in], bias [out]), followed by the activation when
/// <see cref="Activated"/> and by a LayerNorm (eps 1e-5) when its weight and bias are present. Dropout is training-only.
/// </summary>
public sealed record HypernetworkLayer(WeightTensor Weight, WeightTensor Bias, bool Activated, WeightTensor? NormWeight = null, WeightTensor? NormBias = null)
{
    public long InFeatures => Weight.Shape[1];

    public long OutFeatures => Weight.Shape[0];
}

/// <summary>The MLP applied to a K or V input: x + strength · mlp(x); its first layer takes and its last returns <c>Dim</c> features.</summary>
public sealed record HypernetworkMlp(IReadOnlyList<HypernetworkLayer> Layers);

/// <summary>The K and V MLPs for attention inputs of one feature width.</summary>
public sealed record HypernetworkModule(long Dim, HypernetworkMlp Key, HypernetworkMlp Value);

/// <summary>An A1111 hypernetwork: per feature width (320, 640, 768, 1280 for SD1) a pair of MLPs on the attention K/V inputs.</summary>
public sealed record Hypernetwork(string Source, HypernetworkActivation Activation, IReadOnlyList<HypernetworkModule> Modules)
{
    public HypernetworkModule? For(long dim) => Modules.FirstOrDefault(m => m.Dim == dim);
}
