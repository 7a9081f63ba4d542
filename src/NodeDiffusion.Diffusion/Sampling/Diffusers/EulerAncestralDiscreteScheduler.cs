namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// diffusers <c>EulerAncestralDiscreteScheduler</c>: Euler to σ_down plus noise·σ_up, one noise draw per step (also on the
/// last step, where σ_up = 0). ComfyUI counterpart: sampler "euler_ancestral".
/// </summary>
public sealed class EulerAncestralDiscreteScheduler(
    DiffusersNoiseSchedule schedule, int steps, INoiseSampler noise, TimestepSpacing spacing = TimestepSpacing.Linspace, int stepsOffset = 1)
    : SigmaSpaceScheduler(schedule, steps, spacing, karras: false, stepsOffset)
{
    private readonly INoiseSampler _noise = noise ?? throw new ArgumentNullException(nameof(noise));
    private float[] _noiseBuffer = [];

    public override void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample)
    {
        CheckLengths(modelOutput, sample);
        var sigmaFrom = Sigmas[index];
        var sigmaTo = Sigmas[index + 1];
        var sigmaUp = MathF.Sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom));
        var sigmaDown = MathF.Sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        var dt = sigmaDown - sigmaFrom;
        if (_noiseBuffer.Length != sample.Length)
        {
            _noiseBuffer = new float[sample.Length];
        }
        _noise.Sample(sigmaFrom, sigmaTo, _noiseBuffer);
        for (var i = 0; i < sample.Length; i++)
        {
            var predOriginal = sample[i] - sigmaFrom * modelOutput[i];
            var derivative = (sample[i] - predOriginal) / sigmaFrom;
            sample[i] = sample[i] + derivative * dt + _noiseBuffer[i] * sigmaUp;
        }
    }
}
