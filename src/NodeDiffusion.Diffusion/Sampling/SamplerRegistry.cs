using NodeDiffusion.Diffusion.Sampling.Samplers;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>The ComfyUI sampler names this project implements (in ComfyUI's order) and their factories.</summary>
public static class SamplerRegistry
{
    /// <summary>Supported sampler names.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "euler", "euler_ancestral", "heun", "heunpp2", "dpm_2", "dpm_2_ancestral", "lms", "dpm_fast", "dpmpp_2s_ancestral", "dpmpp_sde",
        "dpmpp_sde_gpu", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_2m_sde_gpu", "dpmpp_2m_sde_heun", "dpmpp_2m_sde_heun_gpu",
        "dpmpp_3m_sde", "dpmpp_3m_sde_gpu", "ddpm", "lcm", "ipndm", "ipndm_v", "res_multistep", "res_multistep_ancestral", "gradient_estimation", "ddim",
        "uni_pc", "uni_pc_bh2",
    ];

    /// <summary>ComfyUI computes one more schedule step for these and drops the penultimate σ.</summary>
    public static bool DiscardsPenultimateSigma(string sampler) =>
        sampler is "dpm_2" or "dpm_2_ancestral" or "uni_pc" or "uni_pc_bh2";

    public static KDiffusionSampler Create(string sampler) => sampler switch
    {
        "euler" => new EulerSampler(),
        "euler_ancestral" => new EulerAncestralSampler(),
        "heun" => new HeunSampler(),
        "heunpp2" => new HeunPp2Sampler(),
        "dpm_2" => new Dpm2Sampler(ancestral: false),
        "dpm_2_ancestral" => new Dpm2Sampler(ancestral: true),
        "lms" => new LmsSampler(),
        "dpm_fast" => new DpmFastSampler(),
        "dpmpp_2s_ancestral" => new Dpmpp2SAncestralSampler(),
        // The _gpu names only move ComfyUI's Brownian tree to the GPU; the method is the same.
        "dpmpp_sde" or "dpmpp_sde_gpu" => new DpmppSdeSampler(sampler),
        "dpmpp_2m" => new Dpmpp2MSampler(),
        "dpmpp_2m_sde" or "dpmpp_2m_sde_gpu" => new Dpmpp2MSdeSampler(sampler),
        "dpmpp_2m_sde_heun" or "dpmpp_2m_sde_heun_gpu" => new Dpmpp2MSdeSampler(sampler, heun: true),
        "dpmpp_3m_sde" or "dpmpp_3m_sde_gpu" => new Dpmpp3MSdeSampler(sampler),
        "ddpm" => new DdpmSampler(),
        "lcm" => new LcmSampler(),
        "ipndm" => new IpndmSampler(variableStep: false),
        "ipndm_v" => new IpndmSampler(variableStep: true),
        "res_multistep" => new ResMultistepSampler(ancestral: false),
        "res_multistep_ancestral" => new ResMultistepSampler(ancestral: true),
        "gradient_estimation" => new GradientEstimationSampler(),
        // ComfyUI's "ddim" is Euler on the σ-ODE (identical to DDIM with η = 0), usually run with ddim_uniform.
        "ddim" => new EulerSampler("ddim"),
        "uni_pc" => new UniPcSampler(bh2: false),
        "uni_pc_bh2" => new UniPcSampler(bh2: true),
        _ => throw UnknownSampler(sampler),
    };

    internal static ArgumentException UnknownSampler(string sampler) =>
        new($"Unknown sampler '{sampler}'. Valid samplers: {string.Join(", ", Names)}.", nameof(sampler));
}
