namespace NodeDiffusion.Interop.A1111;

/// <summary>A1111 sampler and schedule names → ComfyUI's <c>sampler_name</c> and <c>scheduler</c>.</summary>
public static class A1111SamplerMap
{
    private static readonly Dictionary<string, string> Samplers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Euler a"] = "euler_ancestral",
        ["Euler"] = "euler",
        ["LMS"] = "lms",
        ["Heun"] = "heun",
        ["DPM2"] = "dpm_2",
        ["DPM2 a"] = "dpm_2_ancestral",
        ["DPM++ 2S a"] = "dpmpp_2s_ancestral",
        ["DPM++ 2M"] = "dpmpp_2m",
        ["DPM++ SDE"] = "dpmpp_sde",
        ["DPM++ 2M SDE"] = "dpmpp_2m_sde",
        ["DPM++ 2M SDE Heun"] = "dpmpp_2m_sde_heun",
        ["DPM++ 3M SDE"] = "dpmpp_3m_sde",
        ["DPM fast"] = "dpm_fast",
        ["DPM adaptive"] = "dpm_adaptive",
        ["LCM"] = "lcm",
        ["DDIM"] = "ddim",
        ["DDPM"] = "ddpm",
        ["UniPC"] = "uni_pc",
        ["IPNDM"] = "ipndm",
        ["IPNDM_V"] = "ipndm_v",
        ["DEIS"] = "deis",
    };

    private static readonly Dictionary<string, string> Schedules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Karras"] = "karras",
        ["Exponential"] = "exponential",
        ["SGM Uniform"] = "sgm_uniform",
        ["Simple"] = "simple",
        ["Normal"] = "normal",
        ["DDIM"] = "ddim_uniform",
        ["Beta"] = "beta",
        ["KL Optimal"] = "kl_optimal",
        ["Uniform"] = "normal",
        ["Automatic"] = "normal",
    };

    /// <summary>
    /// The ComfyUI sampler and scheduler for an A1111 sampler ("DPM++ 2M Karras" carries its schedule in the name)
    /// and optional "Schedule type"; <paramref name="exact"/> is false when no equivalent exists and euler/normal was chosen.
    /// </summary>
    public static (string Sampler, string Scheduler) Map(string a1111Sampler, string? scheduleType, out bool exact)
    {
        var name = a1111Sampler.Trim();
        string? scheduler = null;
        foreach (var (suffix, comfy) in Schedules)
        {
            if (name.EndsWith(" " + suffix, StringComparison.OrdinalIgnoreCase) && Samplers.ContainsKey(name[..^(suffix.Length + 1)]))
            {
                name = name[..^(suffix.Length + 1)];
                scheduler = comfy;
                break;
            }
        }
        if (scheduleType is not null && Schedules.TryGetValue(scheduleType.Trim(), out var typed))
        {
            scheduler = typed;
        }
        exact = Samplers.TryGetValue(name, out var sampler);
        scheduler ??= name.Equals("DDIM", StringComparison.OrdinalIgnoreCase) ? "ddim_uniform" : "normal";
        return (sampler ?? "euler", scheduler);
    }
}
