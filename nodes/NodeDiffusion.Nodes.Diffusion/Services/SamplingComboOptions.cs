using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Services;

/// <summary>The sampler and scheduler lists, from the sampling library itself so they never drift.</summary>
public sealed class SamplingComboOptions : IComboOptionsProvider
{
    public const string Samplers = "samplers";
    public const string Schedulers = "schedulers";

    public IReadOnlyList<string>? GetOptions(string source) => source switch
    {
        Samplers => SamplerRegistry.Names,
        Schedulers => SigmaSchedulers.Names,
        _ => null,
    };
}
