using System.Numerics.Tensors;
using NodeDiffusion.Diffusion.Noise;
using NodeDiffusion.Diffusion.Sampling.Samplers;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// ComfyUI's KSampler / KSamplerAdvanced pipeline (nodes.py <c>common_ksampler</c> → comfy/samplers.py): seeded CPU noise,
/// σ schedule with denoise and step slicing, noise scaling of the start latent, the sampler loop, and latent scaling in and out.
/// </summary>
public static class KSampler
{
    public static float[] Sample(KSamplerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!(request.LatentScaleFactor > 0))
        {
            throw new ArgumentException($"LatentScaleFactor must be positive, got {request.LatentScaleFactor}.", nameof(request));
        }
        var modelSampling = request.ModelSampling;
        var sampler = SamplerRegistry.Create(request.Sampler);
        var sigmas = KSamplerSigmas.Calculate(modelSampling, request.Scheduler, request.Sampler, request.Steps, request.DenoiseStrength);
        var sliced = KSamplerSigmas.Slice(sigmas, request.StartStep, request.EndStep, !request.ReturnWithLeftoverNoise);
        if (sliced is null || sliced.Length == 0)
        {
            return request.LatentImage.ToArray();
        }

        var latent = request.LatentImage.ToArray();
        // ComfyUI leaves an all-zero (txt2img) latent unscaled on the way in, but always unscales the result.
        if (latent.AsSpan().ContainsAnyExcept(0f))
        {
            TensorPrimitives.Multiply(latent, (float)request.LatentScaleFactor, latent);
        }

        var x = request.AddNoise ? ComfyNoise.Prepare(request.Seed, latent.Length, request.BatchIndex) : new float[latent.Length];
        var denoise = request.Denoise;
        if (request.DenoiseMask is { } mask)
        {
            // ComfyUI's "ddim" (Euler with inpaint option "random") re-noises the kept region with seed + 1 noise.
            var inpaintNoise = request.Sampler == "ddim" ? new TorchCpuGenerator(unchecked(request.Seed + 1)).Randn(latent.Length) : x.ToArray();
            denoise = InpaintDenoiser.Create(denoise, mask, latent, inpaintNoise);
        }
        var noiseScale = modelSampling.IsMaxDenoise(sliced[0])
            ? MathF.Sqrt(1f + sliced[0] * sliced[0])
            : sliced[0];
        TensorPrimitives.MultiplyAdd(x, noiseScale, latent, x);

        sampler.Sample(x, new SamplingContext
        {
            Denoise = denoise,
            Sigmas = sliced,
            Noise = CreateNoiseSampler(sampler, request.Seed, x.Length, sliced),
            Callback = request.Callback,
            CancellationToken = request.CancellationToken,
        });

        TensorPrimitives.Divide(x, (float)request.LatentScaleFactor, x);
        return x;
    }

    /// <summary>ComfyUI's choice: a Brownian path for the SDE samplers, the seed + 1 CPU generator for the ancestral ones.</summary>
    public static INoiseSampler? CreateNoiseSampler(KDiffusionSampler sampler, ulong seed, int length, ReadOnlySpan<float> sigmas)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        if (!sampler.UsesNoise)
        {
            return null;
        }
        return sampler is DpmppSdeSampler or Dpmpp2MSdeSampler or Dpmpp3MSdeSampler && sigmas.Length > 1
            ? BrownianNoiseSampler.ForSchedule(seed, length, sigmas)
            : TorchNoiseSampler.ForComfySeed(seed);
    }
}
