namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>The state shared by a sampler's step loop: latent, schedule, model access, callback and cancellation.</summary>
public readonly ref struct SamplerRun
{
    private readonly SamplingContext _context;

    public SamplerRun(Span<float> x, SamplingContext context)
    {
        X = x;
        _context = context;
        Sigmas = context.Sigmas.Span;
    }

    /// <summary>The latent being sampled, updated in place.</summary>
    public Span<float> X { get; }

    public ReadOnlySpan<float> Sigmas { get; }

    public int Steps => Sigmas.Length - 1;

    public int Length => X.Length;

    /// <summary>One model evaluation, after a cancellation check.</summary>
    public void Denoise(ReadOnlySpan<float> x, float sigma, Span<float> denoised)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        _context.Denoise(x, sigma, denoised);
    }

    public void Report(int index, float sigma, ReadOnlySpan<float> x, ReadOnlySpan<float> denoised) =>
        _context.Callback?.Invoke(new SamplerStep(index, Steps, sigma, x, denoised));

    public void Noise(float sigma, float sigmaNext, Span<float> destination) =>
        (_context.Noise ?? throw new InvalidOperationException("This sampler needs a noise sampler.")).Sample(sigma, sigmaNext, destination);

    public float[] NewBuffer() => new float[X.Length];
}
