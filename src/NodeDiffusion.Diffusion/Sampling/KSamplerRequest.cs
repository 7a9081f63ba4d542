namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// The inputs of one KSampler / KSamplerAdvanced run. <see cref="LatentImage"/> is the graph's LATENT (raw VAE scale, as in
/// ComfyUI); the run multiplies a non-zero latent by <see cref="LatentScaleFactor"/> on the way in and divides the result on
/// the way out (ComfyUI's process_latent_in/out). Guidance is the caller's: <see cref="Denoise"/> is the already-guided model
/// (see <see cref="ClassifierFreeGuidance"/>).
/// </summary>
public sealed record KSamplerRequest
{
    public required DenoiseFunction Denoise { get; init; }

    /// <summary>The input latent, all batch items contiguous (B·C·H·W values, NCHW); zeros for txt2img.</summary>
    public required ReadOnlyMemory<float> LatentImage { get; init; }

    public required ulong Seed { get; init; }

    public required int Steps { get; init; }

    /// <summary>A name from <see cref="SamplerRegistry.Names"/>.</summary>
    public required string Sampler { get; init; }

    /// <summary>A name from <see cref="SigmaSchedulers.Names"/>.</summary>
    public required string Scheduler { get; init; }

    /// <summary>KSampler's denoise (1 = txt2img); KSamplerAdvanced always uses 1.</summary>
    public double DenoiseStrength { get; init; } = 1.0;

    /// <summary>KSamplerAdvanced add_noise; false starts from the latent without noise.</summary>
    public bool AddNoise { get; init; } = true;

    /// <summary>KSamplerAdvanced start_at_step (null for KSampler).</summary>
    public int? StartStep { get; init; }

    /// <summary>KSamplerAdvanced end_at_step (null for KSampler).</summary>
    public int? EndStep { get; init; }

    /// <summary>KSamplerAdvanced return_with_leftover_noise; when false an early end is forced to σ = 0.</summary>
    public bool ReturnWithLeftoverNoise { get; init; }

    /// <summary>The LATENT's batch_index (one entry per batch item) when it came out of a larger batch; null otherwise.</summary>
    public IReadOnlyList<int>? BatchIndex { get; init; }

    /// <summary>
    /// The LATENT's noise_mask (SetLatentNoiseMask / inpainting), already resized and broadcast to the latent's values:
    /// 1 = regenerate, 0 = keep. Null for a plain run.
    /// </summary>
    public ReadOnlyMemory<float>? DenoiseMask { get; init; }

    public ModelSamplingDiscrete ModelSampling { get; init; } = ModelSamplingDiscrete.StableDiffusion15;

    /// <summary>SD1.x latent scale 0.18215 (ComfyUI's latent_format.scale_factor).</summary>
    public double LatentScaleFactor { get; init; } = 0.18215;

    public SamplerStepCallback? Callback { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
