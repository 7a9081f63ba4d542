namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// diffusers <c>DPMSolverMultistepScheduler</c> as "DPM++ 2M" (algorithm dpmsolver++, order 2, midpoint,
/// final_sigmas_type "zero"): works on the VP-scaled latent, first step and last step first-order, the last landing on x₀.
/// Karras σ span the full training range with timesteps rounded to integers. ComfyUI counterpart: sampler "dpmpp_2m" with
/// scheduler "karras" (or "normal"), which is the same update written for the σ-scaled latent.
/// </summary>
public sealed class DpmSolverMultistepScheduler : DiffusersScheduler
{
    private readonly double[] _timesteps;
    private float[] _previousX0 = [];
    private float[] _currentX0 = [];
    private int _lowerOrderCount;

    public DpmSolverMultistepScheduler(
        DiffusersNoiseSchedule schedule, int steps, TimestepSpacing spacing = TimestepSpacing.Linspace, bool karras = false, int stepsOffset = 1)
        : base(schedule)
    {
        _timesteps = DiffusersTimesteps.CreateForDpmSolver(spacing, schedule.TrainTimesteps, steps, stepsOffset);
        var sigmas = new double[steps];
        if (karras)
        {
            var table = schedule.Sigmas;
            sigmas = SigmaSpaceScheduler.KarrasSigmas(table[0], table[^1], steps);
            for (var i = 0; i < steps; i++)
            {
                _timesteps[i] = Math.Round(schedule.SigmaToTimestep(sigmas[i]), MidpointRounding.ToEven);
            }
        }
        else
        {
            for (var i = 0; i < steps; i++)
            {
                sigmas[i] = schedule.InterpolateSigma(_timesteps[i]);
            }
        }
        Sigmas = new float[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            Sigmas[i] = (float)sigmas[i];
        }
    }

    /// <summary>σ per step plus the final 0.</summary>
    public float[] Sigmas { get; }

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma => 1.0;

    public override void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample)
    {
        CheckLengths(modelOutput, sample);
        if (_currentX0.Length != sample.Length)
        {
            _currentX0 = new float[sample.Length];
            _previousX0 = new float[sample.Length];
        }
        (_previousX0, _currentX0) = (_currentX0, _previousX0);

        var (alphaS, sigmaS) = AlphaSigma(Sigmas[index]);
        for (var i = 0; i < sample.Length; i++)
        {
            _currentX0[i] = (float)((sample[i] - sigmaS * modelOutput[i]) / alphaS);
        }

        var (alphaT, sigmaT) = AlphaSigma(Sigmas[index + 1]);
        var lambdaT = Math.Log(alphaT) - Math.Log(sigmaT);
        var lambdaS = Math.Log(alphaS) - Math.Log(sigmaS);
        var h = lambdaT - lambdaS;
        var sampleScale = sigmaT / sigmaS;
        var x0Scale = alphaT * (Math.Exp(-h) - 1.0);
        var isLast = index == _timesteps.Length - 1;
        if (_lowerOrderCount < 1 || isLast)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = (float)(sampleScale * sample[i] - x0Scale * _currentX0[i]);
            }
        }
        else
        {
            var (alphaS1, sigmaS1) = AlphaSigma(Sigmas[index - 1]);
            var lambdaS1 = Math.Log(alphaS1) - Math.Log(sigmaS1);
            var r0 = (lambdaS - lambdaS1) / h;
            for (var i = 0; i < sample.Length; i++)
            {
                var d1 = (_currentX0[i] - (double)_previousX0[i]) / r0;
                sample[i] = (float)(sampleScale * sample[i] - x0Scale * _currentX0[i] - 0.5 * x0Scale * d1);
            }
        }
        _lowerOrderCount = Math.Min(_lowerOrderCount + 1, 2);
    }

    private static (double Alpha, double Sigma) AlphaSigma(double sigma)
    {
        var alpha = 1 / Math.Sqrt(sigma * sigma + 1);
        return (alpha, sigma * alpha);
    }
}
