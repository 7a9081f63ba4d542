namespace NodeDiffusion.Nodes.Diffusion.Previews;

/// <summary>ComfyUI's --preview-method values.</summary>
public enum PreviewMethod
{
    /// <summary>TAESD when its decoder for the latent is in models/vae_approx, else latent2rgb.</summary>
    Auto,
    Latent2Rgb,
    /// <summary>TAESD, falling back to latent2rgb when no matching decoder is installed.</summary>
    Taesd,
    None,
}

/// <summary>How samplers preview their steps; a host replaces the default by adding its own to NodeServices.</summary>
public sealed record PreviewOptions(PreviewMethod Method = PreviewMethod.Auto)
{
    public static PreviewMethod Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "auto" => PreviewMethod.Auto,
        "latent2rgb" => PreviewMethod.Latent2Rgb,
        "taesd" => PreviewMethod.Taesd,
        "none" => PreviewMethod.None,
        _ => throw new ArgumentException($"Unknown preview method '{value}'; expected auto, latent2rgb, taesd or none.", nameof(value)),
    };
}
