using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// ComfyUI's timestep range of a ControlNet or an IP-Adapter: start/end percent turned into sigmas with
/// percent_to_sigma; the patch acts on a model call iff σ_end ≤ σ ≤ σ_start.
/// </summary>
internal readonly record struct SigmaRange(double Start, double End)
{
    public static SigmaRange FromPercents(double startPercent, double endPercent)
    {
        var sampling = ModelSamplingDiscrete.StableDiffusion15;
        return new SigmaRange(sampling.PercentToSigma(startPercent), sampling.PercentToSigma(endPercent));
    }

    public bool Contains(float sigma) => sigma <= Start && sigma >= End;
}
