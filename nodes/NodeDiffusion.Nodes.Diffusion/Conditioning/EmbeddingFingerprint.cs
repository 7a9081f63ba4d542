using System.Text.RegularExpressions;
using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

/// <summary>
/// The files behind the <c>embedding:name</c> words of a prompt, by size and write time, so replacing an embedding file
/// re-encodes the prompts that use it instead of serving the cached conditioning.
/// </summary>
internal static partial class EmbeddingFingerprint
{
    public static string? Of(string text, string embeddingsFolder)
    {
        var files = EmbeddingWord().Matches(text)
            .Select(m => EmbeddingFileLocator.Find([embeddingsFolder], m.Groups[1].Value.TrimEnd(',')))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(path => new FileInfo(path))
            .Select(info => $"{info.FullName}:{info.Length}:{info.LastWriteTimeUtc.Ticks}")
            .ToList();
        return files.Count == 0 ? null : string.Join(";", files);
    }

    [GeneratedRegex(@"embedding:([^\s():]+)")]
    private static partial Regex EmbeddingWord();
}
