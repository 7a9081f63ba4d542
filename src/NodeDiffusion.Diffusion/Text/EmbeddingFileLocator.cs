namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// Finds the file an <c>embedding:name</c> refers to the way ComfyUI's <c>load_embed</c> does: in each embeddings folder
/// and every folder below it, the name as given, else with .safetensors, .pt or .bin appended; names that resolve
/// outside the folder are refused. Folders are searched root first, then subfolders in ordinal order (ComfyUI's
/// order is unspecified).
/// </summary>
public static class EmbeddingFileLocator
{
    private static readonly string[] Extensions = [".safetensors", ".pt", ".bin"];

    /// <summary>The full path of the embedding file, or null when no folder holds it.</summary>
    public static string? Find(IEnumerable<string> embeddingFolders, string name)
    {
        ArgumentNullException.ThrowIfNull(embeddingFolders);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('\0'))
        {
            return null;
        }
        foreach (var folder in embeddingFolders.SelectMany(SearchFolders))
        {
            var candidate = Path.GetFullPath(Path.Combine(folder, name));
            if (!IsInside(folder, candidate))
            {
                continue;
            }
            if (File.Exists(candidate))
            {
                return candidate;
            }
            foreach (var extension in Extensions)
            {
                if (File.Exists(candidate + extension))
                {
                    return candidate + extension;
                }
            }
        }
        return null;
    }

    private static IEnumerable<string> SearchFolders(string root)
    {
        var fullRoot = Path.GetFullPath(root);
        if (!Directory.Exists(fullRoot))
        {
            return [];
        }
        var below = Directory.EnumerateDirectories(fullRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Order(StringComparer.Ordinal);
        return [fullRoot, .. below];
    }

    private static bool IsInside(string folder, string path)
    {
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
