namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// diffusers <c>DDIMScheduler</c> with η = 0 (set_alpha_to_one false: the step past timestep 0 uses ᾱ₀). ComfyUI counterpart:
/// sampler "ddim" (Euler on the σ-ODE, identical to DDIM η = 0) with scheduler "ddim_uniform".
/// </summary>
public sealed class DdimScheduler : DiffusersScheduler
{
    private readonly double[] _timesteps;
    private readonly int _stride;

    public DdimScheduler(DiffusersNoiseSchedule schedule, int steps, TimestepSpacing spacing = TimestepSpacing.Leading, int stepsOffset = 1)
        : base(schedule)
    {
        _timesteps = DiffusersTimesteps.Create(spacing, schedule.TrainTimesteps, steps, stepsOffset);
        if (spacing == TimestepSpacing.Linspace)
        {
            for (var i = 0; i < steps; i++)
            {
                _timesteps[i] = Math.Round(_timesteps[i], MidpointRounding.ToEven);
            }
        }
        _stride = schedule.TrainTimesteps / steps;
    }

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma => 1.0;

    public override void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample)
    {
        CheckLengths(modelOutput, sample);
        var timestep = (int)_timesteps[index];
        var previous = timestep - _stride;
        var alphas = Schedule.AlphasCumprod;
        double alphaProd = alphas[timestep];
        double alphaProdPrev = previous >= 0 ? alphas[previous] : alphas[0];
        var betaProd = 1 - alphaProd;
        var sqrtAlpha = Math.Sqrt(alphaProd);
        var sqrtBeta = Math.Sqrt(betaProd);
        var sqrtAlphaPrev = Math.Sqrt(alphaProdPrev);
        var direction = Math.Sqrt(1 - alphaProdPrev);
        for (var i = 0; i < sample.Length; i++)
        {
            var predOriginal = (sample[i] - sqrtBeta * modelOutput[i]) / sqrtAlpha;
            sample[i] = (float)(sqrtAlphaPrev * predOriginal + direction * modelOutput[i]);
        }
    }
}
