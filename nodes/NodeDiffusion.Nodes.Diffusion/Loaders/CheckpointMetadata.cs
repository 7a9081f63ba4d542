using System.Text;
using NodeDiffusion.Formats.Safetensors;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

/// <summary>
/// The <c>__metadata__</c> of a single-file .safetensors checkpoint (trainers write ss_* and modelspec.* keys there) as a
/// short text for the node: at most <see cref="MaxKeys"/> keys, each value cut to <see cref="MaxValueChars"/> characters.
/// Only strings are read; nothing in them is interpreted.
/// </summary>
public static class CheckpointMetadata
{
    public const int MaxKeys = 20;
    public const int MaxValueChars = 200;

    /// <summary>The text to show, or null when the file is no safetensors file or has no metadata.</summary>
    public static string? Describe(string path)
    {
        if (!File.Exists(path) || Path.GetExtension(path).ToLowerInvariant() is not (".safetensors" or ".sft"))
        {
            return null;
        }
        using var file = SafetensorsFile.Open(path);
        return Describe(file.Metadata);
    }

    public static string? Describe(IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.Count == 0)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var key in metadata.Keys.Order(StringComparer.Ordinal).Take(MaxKeys))
        {
            text.Append(OneLine(key, MaxValueChars)).Append(": ").Append(OneLine(metadata[key], MaxValueChars)).Append('\n');
        }
        if (metadata.Count > MaxKeys)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"… and {metadata.Count - MaxKeys} more keys\n");
        }
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Control characters (newlines of JSON values, terminal escapes) become spaces; long text ends in "…".</summary>
    private static string OneLine(string value, int max)
    {
        var cut = value.Length > max ? value[..max] : value;
        var chars = cut.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars) + (value.Length > max ? "…" : "");
    }
}
