namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// diffusers <c>PNDMScheduler</c> with skip_prk_steps (PLMS only), SD1.5's default scheduler: 21 calls for 20 steps (the
/// second timestep repeated); the first two calls form one Heun-like step, then Adams–Bashforth 2/3/4 on the ε history with
/// PNDM's transfer formula. No ComfyUI sampler corresponds (ipndm is a different method).
/// </summary>
public sealed class PndmScheduler : DiffusersScheduler
{
    private readonly double[] _timesteps;
    private readonly int _stride;
    private readonly List<float[]> _eps = [];
    private float[] _combined = [];
    private float[]? _firstSample;
    private int _counter;

    public PndmScheduler(DiffusersNoiseSchedule schedule, int steps, TimestepSpacing spacing = TimestepSpacing.Leading, int stepsOffset = 1)
        : base(schedule)
    {
        var ascending = DiffusersTimesteps.Create(spacing, schedule.TrainTimesteps, steps, stepsOffset).Reverse().ToArray();
        if (spacing == TimestepSpacing.Linspace)
        {
            ascending = [.. ascending.Select(t => Math.Round(t, MidpointRounding.ToEven))];
        }
        // plms timesteps = concat(t[:-1], t[-2:-1], t[-1:]) reversed: the second-highest timestep appears twice.
        _timesteps = [.. ascending[..^1], ascending[^2], ascending[^1]];
        Array.Reverse(_timesteps);
        _stride = schedule.TrainTimesteps / steps;
    }

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma => 1.0;

    public override void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample)
    {
        CheckLengths(modelOutput, sample);
        if (_combined.Length != sample.Length)
        {
            _combined = new float[sample.Length];
        }
        var timestep = (int)_timesteps[index];
        var previous = timestep - _stride;
        if (_counter != 1)
        {
            var slot = _eps.Count >= 4 ? _eps[0] : new float[sample.Length];
            if (_eps.Count >= 4)
            {
                _eps.RemoveAt(0);
            }
            modelOutput.CopyTo(slot);
            _eps.Add(slot);
        }
        else
        {
            previous = timestep;
            timestep += _stride;
        }

        var n = _eps.Count;
        for (var i = 0; i < sample.Length; i++)
        {
            _combined[i] = (n, _counter) switch
            {
                (1, 0) => modelOutput[i],
                (1, 1) => (modelOutput[i] + _eps[^1][i]) / 2,
                (2, _) => (3 * _eps[^1][i] - _eps[^2][i]) / 2,
                (3, _) => (23 * _eps[^1][i] - 16 * _eps[^2][i] + 5 * _eps[^3][i]) / 12,
                _ => 1f / 24 * (55 * _eps[^1][i] - 59 * _eps[^2][i] + 37 * _eps[^3][i] - 9 * _eps[^4][i]),
            };
        }
        if (n == 1 && _counter == 0)
        {
            _firstSample = sample.ToArray();
        }
        else if (n == 1 && _counter == 1)
        {
            _firstSample!.CopyTo(sample);
            _firstSample = null;
        }

        TransferSample(sample, timestep, previous, _combined);
        _counter++;
    }

    /// <summary>PNDM's <c>_get_prev_sample</c> (formula (9) of the PNDM paper).</summary>
    private void TransferSample(Span<float> sample, int timestep, int previous, ReadOnlySpan<float> eps)
    {
        var alphas = Schedule.AlphasCumprod;
        double alphaProd = alphas[timestep];
        double alphaProdPrev = previous >= 0 ? alphas[previous] : alphas[0];
        var betaProd = 1 - alphaProd;
        var betaProdPrev = 1 - alphaProdPrev;
        var sampleCoeff = Math.Sqrt(alphaProdPrev / alphaProd);
        var denominator = alphaProd * Math.Sqrt(betaProdPrev) + Math.Sqrt(alphaProd * betaProd * alphaProdPrev);
        var epsCoeff = (alphaProdPrev - alphaProd) / denominator;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (float)(sampleCoeff * sample[i] - epsCoeff * eps[i]);
        }
    }
}
