using NodeDiffusion.Graph.Values;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace NodeDiffusion.Nodes.Image.Imaging;

/// <summary>Resizes IMAGE batches with ComfyUI's method names, optionally centre-cropping to the target aspect first.</summary>
public static class ImageResampler
{
    public static readonly string[] Methods = ["nearest-exact", "bilinear", "area", "bicubic", "lanczos"];

    public static ImageBatch Resize(ImageBatch batch, int width, int height, string method, bool centerCrop)
    {
        if (width == batch.Width && height == batch.Height)
        {
            return batch;
        }
        var sampler = Sampler(method);
        var output = new float[(long)batch.Batch * height * width * batch.Channels];
        for (var b = 0; b < batch.Batch; b++)
        {
            using var image = ToVectors(batch, b);
            image.Mutate(context =>
            {
                if (centerCrop)
                {
                    var crop = CenterCrop(batch.Width, batch.Height, width, height);
                    context.Crop(crop);
                }
                context.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Stretch, Sampler = sampler, Compand = false });
            });
            CopyFrom(image, output.AsSpan(b * width * height * batch.Channels, width * height * batch.Channels), batch.Channels);
        }
        return new ImageBatch(batch.Batch, height, width, batch.Channels, output);
    }

    private static Rectangle CenterCrop(int sourceWidth, int sourceHeight, int width, int height)
    {
        var sourceAspect = (double)sourceWidth / sourceHeight;
        var targetAspect = (double)width / height;
        if (sourceAspect > targetAspect)
        {
            var cropWidth = Math.Max(1, (int)Math.Round(sourceHeight * targetAspect));
            return new Rectangle((sourceWidth - cropWidth) / 2, 0, cropWidth, sourceHeight);
        }
        var cropHeight = Math.Max(1, (int)Math.Round(sourceWidth / targetAspect));
        return new Rectangle(0, (sourceHeight - cropHeight) / 2, sourceWidth, cropHeight);
    }

    private static IResampler Sampler(string method) => method switch
    {
        "nearest-exact" or "nearest" => KnownResamplers.NearestNeighbor,
        "bilinear" => KnownResamplers.Triangle,
        "area" => KnownResamplers.Box,
        "bicubic" => KnownResamplers.Bicubic,
        "lanczos" => KnownResamplers.Lanczos3,
        _ => throw new Graph.Nodes.NodeException($"Unknown upscale method \"{method}\"; expected one of {string.Join(", ", Methods)}.", "upscale_method"),
    };

    private static Image<RgbaVector> ToVectors(ImageBatch batch, int index)
    {
        var image = new Image<RgbaVector>(batch.Width, batch.Height);
        var source = batch.Image(index);
        var channels = batch.Channels;
        for (var y = 0; y < batch.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < batch.Width; x++)
            {
                var i = ((y * batch.Width) + x) * channels;
                row[x] = new RgbaVector(source[i], channels > 1 ? source[i + 1] : source[i], channels > 2 ? source[i + 2] : source[i], 1f);
            }
        }
        return image;
    }

    private static void CopyFrom(Image<RgbaVector> image, Span<float> destination, int channels)
    {
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < image.Width; x++)
            {
                var i = ((y * image.Width) + x) * channels;
                destination[i] = row[x].R;
                if (channels > 1)
                {
                    destination[i + 1] = row[x].G;
                }
                if (channels > 2)
                {
                    destination[i + 2] = row[x].B;
                }
            }
        }
    }
}
