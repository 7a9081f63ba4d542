using System.Numerics.Tensors;

namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// Shared set-up of diffusers' Euler, EulerAncestral and LMS schedulers: σ interpolated at the spaced timesteps (optionally
/// re-spaced à la Karras from the spaced range, keeping fractional timesteps), a trailing 0, σ-scaled model input and an
/// initial noise of σ_max (√(σ_max² + 1) for leading spacing).
/// </summary>
public abstract class SigmaSpaceScheduler : DiffusersScheduler
{
    private readonly double[] _timesteps;

    protected SigmaSpaceScheduler(DiffusersNoiseSchedule schedule, int steps, TimestepSpacing spacing, bool karras, int stepsOffset)
        : base(schedule)
    {
        _timesteps = DiffusersTimesteps.Create(spacing, schedule.TrainTimesteps, steps, stepsOffset);
        var sigmas = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            sigmas[i] = schedule.InterpolateSigma(_timesteps[i]);
        }
        if (karras)
        {
            sigmas = KarrasSigmas(sigmas[^1], sigmas[0], steps);
            for (var i = 0; i < steps; i++)
            {
                _timesteps[i] = schedule.SigmaToTimestep(sigmas[i]);
            }
        }
        Sigmas = new float[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            Sigmas[i] = (float)sigmas[i];
        }
        var max = Sigmas.Max();
        InitNoiseSigma = spacing == TimestepSpacing.Leading ? MathF.Sqrt(max * max + 1f) : max;
    }

    /// <summary>σ per step plus the final 0 (float32, as diffusers stores them).</summary>
    public float[] Sigmas { get; }

    public override IReadOnlyList<double> Timesteps => _timesteps;

    public override double InitNoiseSigma { get; }

    public override void ScaleModelInput(ReadOnlySpan<float> sample, int index, Span<float> destination)
    {
        var sigma = Sigmas[index];
        TensorPrimitives.Divide(sample, MathF.Sqrt(sigma * sigma + 1f), destination);
    }

    /// <summary>diffusers' <c>_convert_to_karras</c> with ρ = 7, in float64.</summary>
    internal static double[] KarrasSigmas(double sigmaMin, double sigmaMax, int steps)
    {
        const double rho = 7.0;
        var minInvRho = Math.Pow(sigmaMin, 1 / rho);
        var maxInvRho = Math.Pow(sigmaMax, 1 / rho);
        var result = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var ramp = steps == 1 ? 0.0 : (double)i / (steps - 1);
            result[i] = Math.Pow(maxInvRho + ramp * (minInvRho - maxInvRho), rho);
        }
        return result;
    }

    /// <summary>x₀ = x − σ·ε, then d = (x − x₀)/σ, in float32 as diffusers computes the derivative.</summary>
    protected void Derivative(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, float sigma, Span<float> derivative)
    {
        for (var i = 0; i < sample.Length; i++)
        {
            var predOriginal = sample[i] - sigma * modelOutput[i];
            derivative[i] = (sample[i] - predOriginal) / sigma;
        }
    }
}
