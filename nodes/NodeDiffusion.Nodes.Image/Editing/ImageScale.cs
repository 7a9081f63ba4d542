using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Editing;

[NodeType("ImageScale", Category = "image/upscaling", DisplayName = "Upscale Image",
    Description = "Resizes images. A width or height of 0 keeps the aspect ratio.")]
public sealed class ImageScale : Node<ImageScale.In, ImageScale.Out>
{
    public sealed record In(
        ImageBatch Image,
        [Combo("nearest-exact", "bilinear", "area", "bicubic", "lanczos")] string UpscaleMethod,
        [Int(512, Min = 0, Max = ImageLimits.MaxSide)] int Width,
        [Int(512, Min = 0, Max = ImageLimits.MaxSide)] int Height,
        [Combo("disabled", "center")] string Crop);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var image = inputs.Image;
        var (width, height) = (inputs.Width, inputs.Height);
        if (width == 0 && height == 0)
        {
            return ValueTask.FromResult(new Out(image));
        }
        if (width == 0)
        {
            width = Math.Max(1, (int)Math.Round(image.Width * (double)height / image.Height));
        }
        else if (height == 0)
        {
            height = Math.Max(1, (int)Math.Round(image.Height * (double)width / image.Width));
        }
        ImageCodec.CheckSize(width, height, "the scaled image");
        return ValueTask.FromResult(new Out(ImageResampler.Resize(image, width, height, inputs.UpscaleMethod, inputs.Crop == "center")));
    }
}
