namespace NodeDiffusion.Models.Weights.Hypernetworks;

/// <summary>
/// The activations an A1111 hypernetwork may name in <c>activation_func</c>, as ComfyUI maps them: "swish" is
/// torch's Hardswish (not SiLU), LeakyReLU has slope 0.01 and ELU alpha 1.
/// </summary>
public enum HypernetworkActivation
{
    Linear,
    Relu,
    LeakyRelu,
    Elu,
    Swish,
    Tanh,
    Sigmoid,
    Softsign,
    Mish,
}

public static class HypernetworkActivations
{
    public static readonly IReadOnlyDictionary<string, HypernetworkActivation> ByName = new Dictionary<string, HypernetworkActivation>(StringComparer.Ordinal)
    {
        ["linear"] = HypernetworkActivation.Linear,
        ["relu"] = HypernetworkActivation.Relu,
        ["leakyrelu"] = HypernetworkActivation.LeakyRelu,
        ["elu"] = HypernetworkActivation.Elu,
        ["swish"] = HypernetworkActivation.Swish,
        ["tanh"] = HypernetworkActivation.Tanh,
        ["sigmoid"] = HypernetworkActivation.Sigmoid,
        ["softsign"] = HypernetworkActivation.Softsign,
        ["mish"] = HypernetworkActivation.Mish,
    };

    public static string Name(this HypernetworkActivation activation) => ByName.First(p => p.Value == activation).Key;
}
