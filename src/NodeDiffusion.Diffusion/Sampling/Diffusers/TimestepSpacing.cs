namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>diffusers' <c>timestep_spacing</c>: how inference timesteps are picked from the training range.</summary>
public enum TimestepSpacing
{
    /// <summary>0, k, 2k, … (k = ⌊T/n⌋) reversed, plus steps_offset: 951 … 1 for SD1.5 at 20 steps.</summary>
    Leading,

    /// <summary>linspace(0, T − 1, n) reversed, fractional: 999, 946.42, …, 0.</summary>
    Linspace,

    /// <summary>arange(T, 0, −T/n) − 1: 999 … 49.</summary>
    Trailing,
}
