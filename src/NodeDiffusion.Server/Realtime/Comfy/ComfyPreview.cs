using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Nodes;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>
/// A step preview bound for ComfyUI WebSocket clients, encoded as one of ComfyUI's binary frames (big-endian uint32s):
/// <c>[1 PREVIEW_IMAGE][1 = JPEG | 2 = PNG][image]</c>, or for clients that announced <c>supports_preview_metadata</c>
/// <c>[4 PREVIEW_IMAGE_WITH_METADATA][metadata length][metadata JSON][image]</c>. Frames are built on the sending
/// thread, only for the preview that is actually sent.
/// </summary>
public sealed record ComfyPreview(string PromptId, string NodeId, PreviewFrame Frame)
{
    public const uint PreviewImage = 1;
    public const uint PreviewImageWithMetadata = 4;
    public const uint FormatJpeg = 1;
    public const uint FormatPng = 2;

    /// <summary>The binary frame, or null when the node's image is in no format we can send (it is skipped).</summary>
    public byte[]? Encode(bool withMetadata)
    {
        if (Image() is not { } image)
        {
            return null;
        }
        if (!withMetadata)
        {
            var frame = new byte[8 + image.Bytes.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame, PreviewImage);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), image.Format);
            image.Bytes.CopyTo(frame, 8);
            return frame;
        }
        var metadata = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["node_id"] = NodeId,
            ["prompt_id"] = PromptId,
            ["display_node_id"] = NodeId,
            ["parent_node_id"] = null,
            ["real_node_id"] = NodeId,
            ["image_type"] = image.Format == FormatPng ? "image/png" : "image/jpeg",
        }.ToJsonString());
        var result = new byte[8 + metadata.Length + image.Bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(result, PreviewImageWithMetadata);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(4), (uint)metadata.Length);
        metadata.CopyTo(result, 8);
        image.Bytes.CopyTo(result, 8 + metadata.Length);
        return result;
    }

    private (byte[] Bytes, uint Format)? Image()
    {
        switch (Frame.MimeType)
        {
            case "image/jpeg":
                return (Frame.Bytes, FormatJpeg);
            case "image/png":
                return (Frame.Bytes, FormatPng);
        }
        try
        {
            using var image = SixLabors.ImageSharp.Image.Load(Frame.Bytes);
            using var output = new MemoryStream();
            image.SaveAsJpeg(output, new JpegEncoder { Quality = 90 });
            return (output.ToArray(), FormatJpeg);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException or ImageFormatException)
        {
            return null;
        }
    }
}
