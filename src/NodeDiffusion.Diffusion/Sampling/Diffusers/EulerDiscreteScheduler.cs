namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// diffusers <c>EulerDiscreteScheduler</c> (s_churn = 0, ε-prediction). ComfyUI counterpart: sampler "euler" (with
/// scheduler "normal" ≈ linspace spacing, or "karras" — ComfyUI's Karras uses the full σ range instead of the spaced one).
/// </summary>
public sealed class EulerDiscreteScheduler(
    DiffusersNoiseSchedule schedule, int steps, TimestepSpacing spacing = TimestepSpacing.Linspace, bool karras = false, int stepsOffset = 1)
    : SigmaSpaceScheduler(schedule, steps, spacing, karras, stepsOffset)
{
    public override void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample)
    {
        CheckLengths(modelOutput, sample);
        var sigma = Sigmas[index];
        var dt = Sigmas[index + 1] - sigma;
        for (var i = 0; i < sample.Length; i++)
        {
            var predOriginal = sample[i] - sigma * modelOutput[i];
            var derivative = (sample[i] - predOriginal) / sigma;
            sample[i] += derivative * dt;
        }
    }
}
