using NodeDiffusion.Diffusion.Noise;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// Noise for the SDE samplers (dpmpp_sde, dpmpp_2m_sde) as normalised increments of one Brownian path W over σ:
/// Sample(σa, σb) = (W(σb) − W(σa)) / √|σb − σa|, so a sub-step and its enclosing step see correlated noise, as with
/// ComfyUI's torchsde <c>BrownianTreeNoiseSampler</c>. Points are filled in by Brownian-bridge sampling from one seeded
/// torch generator; the path is statistically the same as torchsde's but not value-identical to it.
/// </summary>
public sealed class BrownianNoiseSampler : INoiseSampler
{
    private readonly TorchCpuGenerator _generator;
    private readonly List<(double T, float[] W)> _points = [];
    private readonly double _tMin;
    private readonly double _tMax;
    private readonly int _length;
    private readonly float[] _gaussian;

    /// <param name="sigmaMin">The smallest non-zero σ of the schedule (ComfyUI: sigmas[sigmas > 0].min()).</param>
    /// <param name="sigmaMax">The largest σ of the schedule.</param>
    public BrownianNoiseSampler(ulong seed, int length, double sigmaMin, double sigmaMax)
    {
        if (!(sigmaMin < sigmaMax))
        {
            throw new ArgumentException($"Need sigmaMin < sigmaMax, got {sigmaMin} and {sigmaMax}.", nameof(sigmaMin));
        }
        _generator = new TorchCpuGenerator(seed);
        _length = length;
        _tMin = sigmaMin;
        _tMax = sigmaMax;
        _gaussian = new float[length];
        var end = new float[length];
        _generator.FillStandardNormal(end);
        var scale = (float)Math.Sqrt(sigmaMax - sigmaMin);
        for (var i = 0; i < length; i++)
        {
            end[i] *= scale;
        }
        _points.Add((sigmaMin, new float[length]));
        _points.Add((sigmaMax, end));
    }

    /// <summary>The sampler ComfyUI would build for a σ schedule: σ range from the schedule, seeded with the KSampler seed.</summary>
    public static BrownianNoiseSampler ForSchedule(ulong seed, int length, ReadOnlySpan<float> sigmas)
    {
        var min = double.MaxValue;
        var max = 0.0;
        foreach (var sigma in sigmas)
        {
            if (sigma > 0)
            {
                min = Math.Min(min, sigma);
            }
            max = Math.Max(max, sigma);
        }
        // A one-step schedule has a single non-zero σ; its final step never draws noise, any valid range will do.
        return new BrownianNoiseSampler(seed, length, min < max ? min : 0, max);
    }

    public void Sample(float sigma, float sigmaNext, Span<float> destination)
    {
        if (destination.Length != _length)
        {
            throw new ArgumentException($"This Brownian path has {_length} values, not {destination.Length}.", nameof(destination));
        }
        var a = Clamp(sigma);
        var b = Clamp(sigmaNext);
        var wa = PointAt(a);
        var wb = PointAt(b);
        var span = Math.Abs(b - a);
        if (span == 0)
        {
            destination.Clear();
            return;
        }
        var inverse = (float)(1 / Math.Sqrt(span));
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (wb[i] - wa[i]) * inverse;
        }
    }

    private double Clamp(float t) => Math.Clamp(t, _tMin, _tMax);

    private float[] PointAt(double t)
    {
        var index = _points.FindIndex(p => p.T >= t);
        if (_points[index].T == t)
        {
            return _points[index].W;
        }
        var (t1, w1) = _points[index - 1];
        var (t2, w2) = _points[index];
        var fraction = (t - t1) / (t2 - t1);
        var bridgeStd = Math.Sqrt((t - t1) * (t2 - t) / (t2 - t1));
        _generator.FillStandardNormal(_gaussian);
        var w = new float[_length];
        for (var i = 0; i < _length; i++)
        {
            w[i] = (float)(w1[i] + fraction * (w2[i] - w1[i]) + bridgeStd * _gaussian[i]);
        }
        _points.Insert(index, (t, w));
        return w;
    }
}
