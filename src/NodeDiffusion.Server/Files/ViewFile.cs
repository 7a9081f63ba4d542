using NodeDiffusion.Graph.Files;

namespace NodeDiffusion.Server.Files;

/// <summary>
/// A file named the way ComfyUI's <c>/view</c> names it: file name, subfolder and folder type (output, input or temp;
/// a "name [type]" suffix sets the type). It resolves only to a path confined to that folder.
/// </summary>
public sealed record ViewFile(string Filename, string Subfolder, string Type)
{
    public static readonly string[] Types = ["output", "input", "temp"];

    /// <summary>The same file with a trailing " [output]"-style annotation turned into its type.</summary>
    public ViewFile Normalized()
    {
        foreach (var annotation in Types)
        {
            if (Filename.EndsWith($" [{annotation}]", StringComparison.Ordinal))
            {
                return this with { Filename = Filename[..^(annotation.Length + 3)], Type = annotation };
            }
        }
        return this;
    }

    public string Relative => string.IsNullOrEmpty(Subfolder) ? Filename : Subfolder.TrimEnd('/', '\\') + "/" + Filename;

    /// <summary>The URL that shows the file; with <paramref name="download"/>, one that saves it under its own name.</summary>
    public string Url(bool download = false) =>
        $"/view?filename={Uri.EscapeDataString(Filename)}&subfolder={Uri.EscapeDataString(Subfolder)}&type={Uri.EscapeDataString(Type)}"
        + (download ? "&download=1" : "");

    /// <summary>The full path inside the folder of <see cref="Type"/>, or false with a reason (an unknown type or a refused name).</summary>
    public bool TryResolve(StorageRoots roots, out string path, out string problem) => TryResolve(roots, out path, out problem, out _);

    /// <param name="pathRefused">true when the request was complete but its file name escapes the folder or is not allowed.</param>
    public bool TryResolve(StorageRoots roots, out string path, out string problem, out bool pathRefused)
    {
        path = "";
        pathRefused = false;
        if (string.IsNullOrEmpty(Filename))
        {
            problem = "Query parameter 'filename' is required.";
            return false;
        }
        if (roots.ForType(Type) is not { } root)
        {
            problem = $"Query parameter 'type' must be output, input or temp, not \"{Type}\".";
            return false;
        }
        if (!ConfinedPath.TryResolve(root, Relative, out var resolved, out var refused))
        {
            problem = $"Refused file name: {refused}.";
            pathRefused = true;
            return false;
        }
        path = resolved;
        problem = "";
        return true;
    }
}
