using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Vision;

[NodeType("ClipVisionEncode", Category = "conditioning", DisplayName = "CLIP Vision Encode", Aliases = ["CLIPVisionEncode"],
    Description = "Encodes images with a CLIP vision model: resized (shorter side to the model's size), centre-cropped and normalised as ComfyUI does.")]
public sealed class ClipVisionEncode : Node<ClipVisionEncode.In, ClipVisionEncode.Out>
{
    public sealed record In(
        ClipVisionHandle ClipVision,
        ImageBatch Image,
        [Combo("center", "none", Tooltip = "center: scale the shorter side to the model's size and crop the middle; none: stretch to a square.")] string Crop);

    public sealed record Out(ClipVisionOutput ClipVisionOutput);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(ClipVisionEncoder.Encode(context.Models(), inputs.ClipVision, inputs.Image, inputs.Crop != "none", context.CancellationToken)));
}
