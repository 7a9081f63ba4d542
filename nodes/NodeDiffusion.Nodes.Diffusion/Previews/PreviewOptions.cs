using NodeDiffusion.Graph.Nodes;

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
    public static PreviewMethod Parse(string value) =>
        PreviewMethodNames.TryParse(value, out var method) && method is { } known
            ? known
            : throw new ArgumentException($"Unknown preview method '{value}'; expected auto, latent2rgb, taesd or none.", nameof(value));

    /// <summary>
    /// The method for the prompt being run: its own <c>extra_data.preview_method</c> (<see cref="PromptOptions"/>) when it
    /// names one, else the host's default, as ComfyUI's executor applies it at the start of every prompt.
    /// </summary>
    public static PreviewMethod For(IServiceProvider services) =>
        PreviewMethodNames.TryParse((services.GetService(typeof(PromptOptions)) as PromptOptions)?.PreviewMethod, out var chosen) && chosen is { } method
            ? method
            : (services.GetService(typeof(PreviewOptions)) as PreviewOptions)?.Method ?? PreviewMethod.Auto;
}
