using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Png;

namespace NodeDiffusion.Interop.Metadata;

/// <summary>
/// Opens whatever a user drops: an image with an embedded workflow (PNG, JPEG, WebP) or a JSON file
/// (ComfyUI API prompt, ComfyUI workflow, or ours). Throws <see cref="InteropFormatException"/> only when no workflow is there.
/// </summary>
public sealed class WorkflowFileOpener(ComfyImportOptions options)
{
    public ComfyImportResult Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new InteropFormatException($"The file '{path}' does not exist.");
        }
        if (!IsImage(path))
        {
            return new ComfyImporter(options).ImportFile(path);
        }
        var found = new EmbeddedWorkflowReader(options).ReadFile(path, out var problems);
        return found?.Import ?? throw new InteropFormatException(string.Join(" ", problems));
    }

    private static bool IsImage(string path)
    {
        Span<byte> header = stackalloc byte[12];
        using var stream = File.OpenRead(path);
        var read = stream.Read(header);
        return IsImage(header[..read]);
    }

    /// <summary>Whether these first bytes start a PNG, JPEG or WebP image.</summary>
    public static bool IsImage(ReadOnlySpan<byte> header) =>
        PngTextReader.HasSignature(header)
        || (header.Length >= 2 && header[0] == 0xFF && header[1] == 0xD8)
        || (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8));
}
