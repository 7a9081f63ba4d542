using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Graph.Files;

/// <summary>
/// Options of file COMBOs: "input/images" lists images in the input folder; "models/NAME" lists model files and
/// model folders under models/NAME. Names are relative, with "/" separators, sorted.
/// </summary>
public sealed class StorageComboOptions(StorageRoots roots) : IComboOptionsProvider
{
    public const string InputImages = "input/images";
    public const string ModelsPrefix = "models/";

    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"];
    public static readonly string[] ModelExtensions = [".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".onnx", ".sft"];

    /// <summary>Marker files that make a folder itself one model (diffusers, ONNX export).</summary>
    public static readonly string[] ModelFolderMarkers = ["model_index.json", "config.json"];

    public IReadOnlyList<string>? GetOptions(string source)
    {
        if (source == InputImages)
        {
            return ListFiles(roots.Input, ImageExtensions, includeModelFolders: false);
        }
        if (source.StartsWith(ModelsPrefix, StringComparison.Ordinal))
        {
            var folder = source[ModelsPrefix.Length..];
            if (!ConfinedPath.TryResolve(roots.Models, folder, out var path, out _))
            {
                return [];
            }
            return ListFiles(path, ModelExtensions, includeModelFolders: true);
        }
        return null;
    }

    public static IReadOnlyList<string> ListFiles(string root, string[] extensions, bool includeModelFolders, int maxEntries = 10_000)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }
        var results = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0 && results.Count < maxEntries)
        {
            var directory = pending.Pop();
            if (directory != root && includeModelFolders && ModelFolderMarkers.Any(m => File.Exists(Path.Combine(directory, m))))
            {
                results.Add(Relative(root, directory));
                continue;
            }
            try
            {
                foreach (var file in Directory.EnumerateFiles(directory))
                {
                    if (extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && !Path.GetFileName(file).StartsWith('.'))
                    {
                        results.Add(Relative(root, file));
                    }
                }
                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    if (!Path.GetFileName(child).StartsWith('.'))
                    {
                        pending.Push(child);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable folder is skipped, not fatal.
            }
        }
        results.Sort(StringComparer.Ordinal);
        return results;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
