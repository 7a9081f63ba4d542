using System.Security.Cryptography;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Loading;

[NodeType("LoadImageMask", Category = "mask", DisplayName = "Load Image (as Mask)",
    Description = "Loads one channel of an input image as a mask: alpha gives 1 − alpha (0 everywhere for an opaque image), red/green/blue their value.")]
public sealed class LoadImageMask : Node<LoadImageMask.In, LoadImageMask.Out>
{
    public sealed record In(
        [Combo(Source = StorageComboOptions.InputImages, ImageUpload = true)] string Image,
        [Combo("alpha", "red", "green", "blue")] string Channel);

    public sealed record Out(MaskBatch Mask);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var path = LoadImage.ResolveInput(context.Services, inputs.Image);
        var (image, alphaMask) = ImageCodec.Decode(path, inputs.Image);
        var plane = image.Height * image.Width;
        var values = new float[plane];
        if (inputs.Channel == "alpha")
        {
            // ComfyUI converts to RGBA first, so an opaque image gives zeros at its own size.
            if (alphaMask.Height == image.Height && alphaMask.Width == image.Width)
            {
                alphaMask.Values.AsSpan(0, plane).CopyTo(values);
            }
        }
        else
        {
            var channel = Array.IndexOf(["red", "green", "blue"], inputs.Channel);
            if (channel < 0)
            {
                throw new NodeException($"Unknown channel '{inputs.Channel}'; expected alpha, red, green or blue.", "channel");
            }
            var first = image.Image(0);
            for (var i = 0; i < plane; i++)
            {
                values[i] = first[(i * image.Channels) + Math.Min(channel, image.Channels - 1)];
            }
        }
        return ValueTask.FromResult(new Out(new MaskBatch(1, image.Height, image.Width, values)));
    }

    /// <summary>The file's hash, so replacing the file under the same name reruns the node.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services)
    {
        var path = LoadImage.ResolveInput(services, (string)widgetValues["image"]!);
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
