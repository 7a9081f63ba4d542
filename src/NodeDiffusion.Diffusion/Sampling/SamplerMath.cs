using System.Numerics.Tensors;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>The few tensor operations the samplers are written in, over TensorPrimitives.</summary>
internal static class SamplerMath
{
    /// <summary>k-diffusion <c>to_d</c>: d = (x − D)/σ.</summary>
    public static void ToDerivative(ReadOnlySpan<float> x, ReadOnlySpan<float> denoised, double sigma, Span<float> d)
    {
        TensorPrimitives.Subtract(x, denoised, d);
        TensorPrimitives.Divide(d, (float)sigma, d);
    }

    /// <summary>target += source·scale.</summary>
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, double scale) =>
        TensorPrimitives.MultiplyAdd(source, (float)scale, target, target);

    /// <summary>destination = a·x + b·y; destination may be x but not y.</summary>
    public static void Combine(double a, ReadOnlySpan<float> x, double b, ReadOnlySpan<float> y, Span<float> destination)
    {
        TensorPrimitives.Multiply(x, (float)a, destination);
        TensorPrimitives.MultiplyAdd(y, (float)b, destination, destination);
    }

    public static void Scale(Span<float> target, double scale) => TensorPrimitives.Multiply(target, (float)scale, target);

    /// <summary>e^x − 1 without cancellation for small x (Kahan's trick; .NET has no expm1).</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        var um1 = u - 1.0;
        if (um1 == -1.0)
        {
            return -1.0;
        }
        return double.IsInfinity(u) ? u : um1 * x / Math.Log(u);
    }

    /// <summary>σ_down and σ_up of an ancestral step (k-diffusion <c>get_ancestral_step</c>).</summary>
    public static (double Down, double Up) AncestralStep(double sigmaFrom, double sigmaTo, double eta = 1.0)
    {
        if (eta == 0)
        {
            return (sigmaTo, 0);
        }
        var up = Math.Min(sigmaTo, eta * Math.Sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom)));
        var down = Math.Sqrt(sigmaTo * sigmaTo - up * up);
        return (down, up);
    }
}
