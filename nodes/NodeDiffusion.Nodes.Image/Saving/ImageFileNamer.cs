using System.Globalization;
using System.Text.RegularExpressions;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Image.Saving;

/// <summary>
/// Names saved images as ComfyUI does: "{prefix}_{counter:00000}_.png", the counter one past the highest existing
/// one for that prefix; the prefix may hold subfolders and %date% style tokens, and is confined to the folder.
/// </summary>
public static partial class ImageFileNamer
{
    private static readonly Lock Gate = new();

    public static (string FullPath, string Filename, string Subfolder) Next(string root, string prefix, int width, int height)
    {
        var expanded = ExpandTokens(prefix, width, height);
        if (!ConfinedPath.TryResolve(root, expanded + "_00000_.png", out var probe, out var problem))
        {
            throw new NodeException($"Refused file name prefix: {problem}.", "filename_prefix");
        }
        var directory = Path.GetDirectoryName(probe)!;
        var baseName = Path.GetFileName(expanded);
        var subfolder = Path.GetRelativePath(Path.GetFullPath(root), directory).Replace('\\', '/');
        if (subfolder == ".")
        {
            subfolder = "";
        }
        lock (Gate)
        {
            Directory.CreateDirectory(directory);
            var counter = 1 + Directory.EnumerateFiles(directory, baseName + "_*_.png")
                .Select(f => CounterPattern().Match(Path.GetFileName(f)[baseName.Length..]))
                .Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                .DefaultIfEmpty(0)
                .Max();
            var filename = $"{baseName}_{counter:D5}_.png";
            var fullPath = Path.Combine(directory, filename);
            // Reserve the name now, so two saves in parallel never pick the same one.
            using (File.Create(fullPath))
            {
            }
            return (fullPath, filename, subfolder);
        }
    }

    private static string ExpandTokens(string prefix, int width, int height)
    {
        var now = DateTime.Now;
        return prefix
            .Replace("%width%", width.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%height%", height.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%year%", now.Year.ToString("D4", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%month%", now.Month.ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%day%", now.Day.ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%hour%", now.Hour.ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%minute%", now.Minute.ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%second%", now.Second.ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^_(\d{5,})_\.png$")]
    private static partial Regex CounterPattern();
}
