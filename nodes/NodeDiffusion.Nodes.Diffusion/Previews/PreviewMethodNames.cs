namespace NodeDiffusion.Nodes.Diffusion.Previews;

/// <summary>
/// The names clients use for preview methods: ComfyUI's <c>--preview-method</c> values, plus "default" (the host's
/// choice), which is what ComfyUI's Comfy.Execution.PreviewMethod setting and <c>extra_data.preview_method</c> accept.
/// </summary>
public static class PreviewMethodNames
{
    public const string Default = "default";

    /// <summary>Every accepted name, "default" first, in the order the settings offer them.</summary>
    public static IReadOnlyList<string> All { get; } = [Default, "auto", "latent2rgb", "taesd", "none"];

    /// <summary>
    /// Reads a client's name. True for a known name: <paramref name="method"/> is then the method, or null for "default"
    /// and for no name at all (null or blank). False for anything else.
    /// </summary>
    public static bool TryParse(string? name, out PreviewMethod? method)
    {
        method = null;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or Default:
                return true;
            case "auto":
                method = PreviewMethod.Auto;
                return true;
            case "latent2rgb":
                method = PreviewMethod.Latent2Rgb;
                return true;
            case "taesd":
                method = PreviewMethod.Taesd;
                return true;
            case "none":
                method = PreviewMethod.None;
                return true;
            default:
                return false;
        }
    }

    public static string Name(PreviewMethod method) => method switch
    {
        PreviewMethod.Latent2Rgb => "latent2rgb",
        PreviewMethod.Taesd => "taesd",
        PreviewMethod.None => "none",
        _ => "auto",
    };
}
