using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Nodes.Image.Imaging;

/// <summary>Decodes image files into IMAGE/MASK batches and encodes IMAGE batches as PNG, within <see cref="ImageLimits"/>.</summary>
public static class ImageCodec
{
    /// <summary>Decodes a PNG, JPEG, WebP, BMP or GIF file. All frames of a multi-frame file become a batch.</summary>
    public static (ImageBatch Image, MaskBatch Mask) Decode(string path, string displayName)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new NodeException($"The image \"{displayName}\" does not exist.", "image");
        }
        if (info.Length > ImageLimits.MaxFileBytes)
        {
            throw new NodeException($"The image \"{displayName}\" is {info.Length:N0} bytes; at most {ImageLimits.MaxFileBytes:N0} are accepted.", "image");
        }
        using var stream = File.OpenRead(path);
        return Decode(stream, displayName);
    }

    public static (ImageBatch Image, MaskBatch Mask) Decode(Stream stream, string displayName)
    {
        IImageInfo? identified;
        try
        {
            identified = SixLabors.ImageSharp.Image.Identify(stream);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new NodeException($"\"{displayName}\" is not a readable PNG, JPEG, WebP, BMP or GIF image ({e.Message}).", "image");
        }
        if (identified is null)
        {
            throw new NodeException($"\"{displayName}\" is not a readable PNG, JPEG, WebP, BMP or GIF image.", "image");
        }
        CheckSize(identified.Width, identified.Height, displayName);
        stream.Position = 0;
        Image<RgbaVector> image;
        try
        {
            image = SixLabors.ImageSharp.Image.Load<RgbaVector>(stream);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException or ImageFormatException)
        {
            throw new NodeException($"\"{displayName}\" could not be decoded: {e.Message}", "image");
        }
        using (image)
        {
            var frames = Math.Min(image.Frames.Count, ImageLimits.MaxFrames);
            if ((long)frames * image.Width * image.Height > ImageLimits.MaxPixels)
            {
                frames = 1;
            }
            var (width, height) = (image.Width, image.Height);
            var pixels = new float[(long)frames * height * width * 3];
            var mask = new float[(long)frames * height * width];
            var hasAlpha = false;
            for (var f = 0; f < frames; f++)
            {
                var frame = image.Frames[f];
                for (var y = 0; y < height; y++)
                {
                    var row = frame.DangerousGetPixelRowMemory(y).Span;
                    var offset = ((f * height) + y) * width;
                    for (var x = 0; x < width; x++)
                    {
                        var p = row[x];
                        pixels[(offset + x) * 3] = p.R;
                        pixels[((offset + x) * 3) + 1] = p.G;
                        pixels[((offset + x) * 3) + 2] = p.B;
                        mask[offset + x] = 1f - p.A;
                        hasAlpha |= p.A < 1f;
                    }
                }
            }
            var imageBatch = new ImageBatch(frames, height, width, 3, pixels);
            // ComfyUI's LoadImage gives a 64×64 zero mask when the image has no alpha.
            var maskBatch = hasAlpha ? new MaskBatch(frames, height, width, mask) : new MaskBatch(1, 64, 64, new float[64 * 64]);
            return (imageBatch, maskBatch);
        }
    }

    public static void CheckSize(int width, int height, string displayName)
    {
        if (width > ImageLimits.MaxSide || height > ImageLimits.MaxSide || (long)width * height > ImageLimits.MaxPixels)
        {
            throw new NodeException(
                $"The image \"{displayName}\" is {width}×{height}; at most {ImageLimits.MaxSide} pixels a side and {ImageLimits.MaxPixels:N0} pixels are accepted.", "image");
        }
    }

    /// <summary>One image of a batch as an ImageSharp image (values clamped to [0, 1]).</summary>
    public static Image<Rgb24> ToImage(ImageBatch batch, int index)
    {
        var image = new Image<Rgb24>(batch.Width, batch.Height);
        var source = batch.Image(index);
        var channels = batch.Channels;
        for (var y = 0; y < batch.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < batch.Width; x++)
            {
                var i = ((y * batch.Width) + x) * channels;
                var r = ToByte(source[i]);
                var g = channels > 1 ? ToByte(source[i + 1]) : r;
                var b = channels > 2 ? ToByte(source[i + 2]) : r;
                row[x] = new Rgb24(r, g, b);
            }
        }
        return image;
    }

    /// <summary>Writes PNG with text chunks as uncompressed tEXt, which is what ComfyUI and its readers expect.</summary>
    public static void SavePng(Image<Rgb24> image, Stream destination, IReadOnlyList<KeyValuePair<string, string>> textChunks, int compressionLevel = 4)
    {
        var metadata = image.Metadata.GetPngMetadata();
        metadata.TextData.Clear();
        foreach (var (key, value) in textChunks)
        {
            metadata.TextData.Add(new PngTextData(key, value, string.Empty, string.Empty));
        }
        image.Save(destination, new PngEncoder
        {
            CompressionLevel = (PngCompressionLevel)Math.Clamp(compressionLevel, 0, 9),
            TextCompressionThreshold = int.MaxValue,
            ColorType = PngColorType.Rgb,
            BitDepth = PngBitDepth.Bit8,
        });
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);
}
