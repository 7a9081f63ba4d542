using NodeDiffusion.Diffusion.Sampling.Samplers;

namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// diffusers <c>LMSDiscreteScheduler</c> (order 4): linear multistep on the derivative history, order growing 1…4.
/// ComfyUI counterpart: sampler "lms" (which jumps to the denoised prediction on a final σ of 0; diffusers integrates to it).
/// </summary>
public sealed class LmsDiscreteScheduler(
    DiffusersNoiseSchedule schedule, int steps, TimestepSpacing spacing = TimestepSpacing.Linspace, int order = 4, int stepsOffset = 1)
    : SigmaSpaceScheduler(schedule, steps, spacing, karras: false, stepsOffset)
{
    private readonly List<float[]> _derivatives = [];

    public override void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample)
    {
        CheckLengths(modelOutput, sample);
        var derivative = _derivatives.Count >= order ? _derivatives[0] : new float[sample.Length];
        if (_derivatives.Count >= order)
        {
            _derivatives.RemoveAt(0);
        }
        Derivative(modelOutput, sample, Sigmas[index], derivative);
        _derivatives.Add(derivative);

        var currentOrder = Math.Min(index + 1, order);
        for (var j = 0; j < currentOrder; j++)
        {
            var coefficient = (float)LinearMultistep.Coefficient(currentOrder, Sigmas, index, j);
            var history = _derivatives[_derivatives.Count - 1 - j];
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] += coefficient * history[i];
            }
        }
    }
}
