namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// ComfyUI's <c>ModelSamplingDiscrete</c> for ε-prediction models (SD1.x/2.x base): the 1000-entry σ table derived from the
/// training β schedule, and the conversions between σ, discrete timestep and "percent of sampling".
/// Table values are float32 like ComfyUI's buffers; ᾱ is computed in float64 as ComfyUI does (diffusers uses float32, which
/// moves σ by ~1e-6 relative).
/// </summary>
public sealed class ModelSamplingDiscrete
{
    private readonly float[] _sigmas;
    private readonly float[] _logSigmas;
    private readonly double[] _alphasCumprod;

    private ModelSamplingDiscrete(double[] betas)
    {
        var count = betas.Length;
        _alphasCumprod = new double[count];
        _sigmas = new float[count];
        _logSigmas = new float[count];
        var product = 1.0;
        for (var i = 0; i < count; i++)
        {
            product *= 1.0 - betas[i];
            _alphasCumprod[i] = product;
            var sigma = Math.Sqrt((1.0 - product) / product);
            _sigmas[i] = (float)sigma;
            _logSigmas[i] = (float)Math.Log(sigma);
        }
    }

    /// <summary>SD1.5's schedule: ComfyUI's "linear" = diffusers' scaled_linear, β from 0.00085 to 0.012 over 1000 steps.</summary>
    public static ModelSamplingDiscrete StableDiffusion15 { get; } = ScaledLinear(0.00085, 0.012, 1000);

    /// <summary>β_i = (√start + i·(√end − √start)/(n − 1))², in float64 (ComfyUI <c>make_beta_schedule("linear")</c>).</summary>
    public static ModelSamplingDiscrete ScaledLinear(double linearStart, double linearEnd, int timesteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timesteps, 2);
        if (!(linearStart > 0 && linearEnd > linearStart && linearEnd < 1))
        {
            throw new ArgumentException($"Need 0 < linearStart < linearEnd < 1, got {linearStart} and {linearEnd}.");
        }
        var start = Math.Sqrt(linearStart);
        var end = Math.Sqrt(linearEnd);
        var betas = new double[timesteps];
        for (var i = 0; i < timesteps; i++)
        {
            var root = TorchMath.LinspaceValue(start, end, timesteps, i);
            betas[i] = root * root;
        }
        return new ModelSamplingDiscrete(betas);
    }

    public int TimestepCount => _sigmas.Length;

    /// <summary>σ for each integer timestep, ascending (index 0 = σ_min).</summary>
    public ReadOnlySpan<float> Sigmas => _sigmas;

    public ReadOnlySpan<float> LogSigmas => _logSigmas;

    public ReadOnlySpan<double> AlphasCumprod => _alphasCumprod;

    public float SigmaMin => _sigmas[0];

    public float SigmaMax => _sigmas[^1];

    /// <summary>The UNet timestep for σ: the nearest table entry in log σ (ties → the lower index), as ComfyUI feeds the model.</summary>
    public int Timestep(float sigma)
    {
        var logSigma = MathF.Log(sigma);
        var best = 0;
        var bestDistance = float.PositiveInfinity;
        for (var i = 0; i < _logSigmas.Length; i++)
        {
            var distance = MathF.Abs(logSigma - _logSigmas[i]);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = i;
            }
        }
        return best;
    }

    /// <summary>σ at a fractional timestep: log σ interpolated linearly between the neighbouring table entries, t clamped to the table.</summary>
    public float Sigma(float timestep)
    {
        var t = Math.Clamp(timestep, 0f, _sigmas.Length - 1);
        var low = (int)MathF.Floor(t);
        var high = (int)MathF.Ceiling(t);
        var w = t - MathF.Truncate(t);
        var logSigma = (1f - w) * _logSigmas[low] + w * _logSigmas[high];
        return MathF.Exp(logSigma);
    }

    /// <summary>
    /// σ reached after <paramref name="percent"/> of the schedule (ControlNet / conditioning start and end): ≤ 0 → a huge σ
    /// (always active), ≥ 1 → 0.
    /// </summary>
    public double PercentToSigma(double percent)
    {
        if (percent <= 0.0)
        {
            return 999999999.9;
        }
        if (percent >= 1.0)
        {
            return 0.0;
        }
        return Sigma((float)((1.0 - percent) * (_sigmas.Length - 1)));
    }

    /// <summary>ComfyUI's <c>max_denoise</c>: the first σ is (within 1e-5 relative) at or above σ_max, i.e. a full txt2img start.</summary>
    public bool IsMaxDenoise(float firstSigma)
    {
        double max = SigmaMax;
        double sigma = firstSigma;
        return Math.Abs(max - sigma) <= 1e-5 * Math.Max(Math.Abs(max), Math.Abs(sigma)) || sigma > max;
    }
}
