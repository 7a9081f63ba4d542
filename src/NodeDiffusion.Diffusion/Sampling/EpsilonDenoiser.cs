using System.Numerics.Tensors;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// ComfyUI's model call for ε-prediction models (<c>BaseModel.apply_model</c> with <c>EPS</c> and ModelSamplingDiscrete):
/// input x·c_in with c_in = 1/√(σ² + 1), UNet timestep = the nearest table timestep of σ, denoised D = x − σ·ε̂.
/// </summary>
public static class EpsilonDenoiser
{
    /// <summary>A <see cref="DenoiseFunction"/> over <paramref name="model"/> for latents of <paramref name="length"/> values.</summary>
    public static DenoiseFunction Create(ModelSamplingDiscrete modelSampling, EpsilonModel model, int length)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var scaled = new float[length];
        var eps = new float[length];
        return (x, sigma, denoised) =>
        {
            if (x.Length != length)
            {
                throw new ArgumentException($"The denoiser was built for {length} values, got {x.Length}.", nameof(x));
            }
            TensorPrimitives.Divide(x, MathF.Sqrt(sigma * sigma + 1f), scaled);
            model(scaled, modelSampling.Timestep(sigma), eps);
            TensorPrimitives.MultiplyAdd(eps, -sigma, x, denoised);
        };
    }
}
