using NodeDiffusion.Graph.Nodes;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace NodeDiffusion.Server.Realtime;

/// <summary>Previews travel as JPEG; a node that offers PNG is re-encoded once, on first use, off the engine's thread.</summary>
public sealed class EncodedPreview(string promptId, string nodeId, PreviewFrame frame)
{
    private readonly Lazy<PreviewMessage?> _message = new(() => Encode(promptId, nodeId, frame));

    public string PromptId => promptId;

    /// <summary>The JPEG message, or null when the node's frame could not be decoded (it is then skipped, not fatal).</summary>
    public PreviewMessage? Message => _message.Value;

    private static PreviewMessage? Encode(string promptId, string nodeId, PreviewFrame frame)
    {
        var bytes = frame.Bytes;
        if (frame.MimeType != "image/jpeg")
        {
            try
            {
                using var image = Image.Load(frame.Bytes);
                using var output = new MemoryStream();
                image.SaveAsJpeg(output, new JpegEncoder { Quality = 90 });
                bytes = output.ToArray();
            }
            catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException or ImageFormatException)
            {
                return null;
            }
        }
        return new PreviewMessage(promptId, nodeId, "image/jpeg", frame.Width, frame.Height, frame.Step, bytes);
    }
}
