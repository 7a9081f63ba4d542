namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// The training noise schedule as diffusers builds it for SD1.5 (beta_schedule "scaled_linear"): β = linspace(√start, √end)²
/// in float32, ᾱ = cumprod(1 − β) accumulated in float64 and stored as float32 (torch's CPU cumprod), σ = √((1 − ᾱ)/ᾱ) in float32.
/// </summary>
public sealed class DiffusersNoiseSchedule
{
    private readonly float[] _betas;
    private readonly float[] _alphasCumprod;
    private readonly float[] _sigmas;

    private DiffusersNoiseSchedule(float[] betas)
    {
        _betas = betas;
        _alphasCumprod = new float[betas.Length];
        _sigmas = new float[betas.Length];
        var product = 1.0;
        for (var i = 0; i < betas.Length; i++)
        {
            product *= 1f - betas[i];
            _alphasCumprod[i] = (float)product;
            _sigmas[i] = MathF.Sqrt((1f - _alphasCumprod[i]) / _alphasCumprod[i]);
        }
    }

    /// <summary>SD1.5's scheduler config: scaled_linear from 0.00085 to 0.012 over 1000 timesteps.</summary>
    public static DiffusersNoiseSchedule StableDiffusion15 { get; } = ScaledLinear(0.00085, 0.012, 1000);

    public static DiffusersNoiseSchedule ScaledLinear(double betaStart, double betaEnd, int trainTimesteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainTimesteps, 2);
        var roots = TorchMath.LinspaceFloat((float)Math.Sqrt(betaStart), (float)Math.Sqrt(betaEnd), trainTimesteps);
        var betas = new float[trainTimesteps];
        for (var i = 0; i < trainTimesteps; i++)
        {
            betas[i] = roots[i] * roots[i];
        }
        return new DiffusersNoiseSchedule(betas);
    }

    public int TrainTimesteps => _betas.Length;

    public ReadOnlySpan<float> Betas => _betas;

    public ReadOnlySpan<float> AlphasCumprod => _alphasCumprod;

    /// <summary>σ per integer timestep, ascending.</summary>
    public ReadOnlySpan<float> Sigmas => _sigmas;

    /// <summary>np.interp of the σ table at a (possibly fractional) timestep.</summary>
    public double InterpolateSigma(double timestep)
    {
        if (timestep <= 0)
        {
            return _sigmas[0];
        }
        if (timestep >= _sigmas.Length - 1)
        {
            return _sigmas[^1];
        }
        var low = (int)Math.Floor(timestep);
        var w = timestep - low;
        return _sigmas[low] + (_sigmas[low + 1] - (double)_sigmas[low]) * w;
    }

    /// <summary>
    /// diffusers' <c>_sigma_to_t</c>: the fractional timestep whose log σ (linearly interpolated between the bracketing table
    /// entries) equals log σ.
    /// </summary>
    public double SigmaToTimestep(double sigma)
    {
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));
        var low = 0;
        for (var i = 0; i < _sigmas.Length; i++)
        {
            if (logSigma - MathF.Log(_sigmas[i]) >= 0)
            {
                low = i;
            }
        }
        low = Math.Min(low, _sigmas.Length - 2);
        double lowLog = MathF.Log(_sigmas[low]);
        double highLog = MathF.Log(_sigmas[low + 1]);
        var w = Math.Clamp((lowLog - logSigma) / (lowLog - highLog), 0, 1);
        return (1 - w) * low + w * (low + 1);
    }
}
