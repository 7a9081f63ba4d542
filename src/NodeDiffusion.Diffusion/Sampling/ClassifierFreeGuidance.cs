using System.Numerics.Tensors;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>ComfyUI's <c>cfg_function</c>: D = D_u + cfg·(D_c − D_u).</summary>
public static class ClassifierFreeGuidance
{
    /// <summary>Combines in place: <paramref name="condInOut"/> holds D_c on entry and the guided prediction on return.</summary>
    public static void Apply(Span<float> condInOut, ReadOnlySpan<float> uncond, float scale)
    {
        if (condInOut.Length != uncond.Length)
        {
            throw new ArgumentException($"cond has {condInOut.Length} values but uncond has {uncond.Length}.", nameof(uncond));
        }
        TensorPrimitives.Subtract(condInOut, uncond, condInOut);
        TensorPrimitives.MultiplyAdd(condInOut, scale, uncond, condInOut);
    }

    /// <summary>
    /// Wraps a denoiser that evaluates uncond and cond as one batch of two halves (uncond first, as ComfyUI batches them)
    /// into a guided denoiser. With cfg = 1 ComfyUI skips the uncond pass; callers that can do so should call the cond model directly.
    /// </summary>
    public static DenoiseFunction Wrap(DenoiseFunction pairDenoise, float scale, int latentLength)
    {
        ArgumentNullException.ThrowIfNull(pairDenoise);
        var pairInput = new float[2 * latentLength];
        var pairOutput = new float[2 * latentLength];
        return (x, sigma, denoised) =>
        {
            x.CopyTo(pairInput);
            x.CopyTo(pairInput.AsSpan(latentLength));
            pairDenoise(pairInput, sigma, pairOutput);
            pairOutput.AsSpan(latentLength, latentLength).CopyTo(denoised);
            Apply(denoised, pairOutput.AsSpan(0, latentLength), scale);
        };
    }
}
