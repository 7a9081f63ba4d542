namespace NodeDiffusion.Nodes.Diffusion.Previews;

/// <summary>
/// The names clients use for preview methods: ComfyUI's <c>--preview-method</c> values, plus "default" (the host's
/// choice), which is what ComfyUI's Comfy.Execution.PreviewMethod setting and <c>extra_data.preview_method</c> accept.
/// </summary>
public static class PreviewMethodNames
{
    public const string Default = "default";

    /// <summary>Each method's name, indexed by <see cref="PreviewMethod"/> (declared before <see cref="All"/>, which uses it).</summary>
    private static readonly string[] Methods = ["auto", "latent2rgb", "taesd", "none"];

    /// <summary>Every accepted name, "default" first, in the order the settings offer them.</summary>
    public static IReadOnlyList<string> All { get; } = [Default, .. Methods];

    /// <summary>
    /// Reads a client's name. True for a known name: <paramref name="method"/> is then the method, or null for "default"
    /// and for no name at all (null or blank). False for anything else.
    /// </summary>
    public static bool TryParse(string? name, out PreviewMethod? method)
    {
        method = null;
        var key = name?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(key) || key == Default)
        {
            return true;
        }
        var index = Array.IndexOf(Methods, key);
        if (index < 0)
        {
            return false;
        }
        method = (PreviewMethod)index;
        return true;
    }

    public static string Name(PreviewMethod method) => Methods[(int)method];
}
