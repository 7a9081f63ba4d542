using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Vision;
using NodeDiffusion.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Tests.IpAdapter;

public sealed class ClipVisionTests
{
    /// <summary>clip-vision-tiny/README.md: suggested max abs error 1e-5.</summary>
    private const double Tolerance = 1e-5;

    [Fact]
    public async Task TinyReferenceMatchesThroughTheLoader()
    {
        var folder = SharedData.Require("reference/clip-vision-tiny");
        using var context = new NodeTestContext();
        context.Place("clip_vision", "tiny/config.json", Path.Combine(folder, "config.json"));
        context.Place("clip_vision", "tiny/model.safetensors", Path.Combine(folder, "weights.safetensors"));
        var handle = (await new LoadClipVision().ExecuteAsync(new LoadClipVision.In("tiny"), context)).ClipVision;
        Assert.Equal((32, 30, 2, 5, 4), (handle.Config.HiddenSize, handle.Config.ImageSize, handle.Config.PatchSize, handle.Config.NumHiddenLayers, handle.Config.NumAttentionHeads));

        using var io = SafetensorsFile.Open(Path.Combine(folder, "io.safetensors"));
        var session = ClipVisionEncoder.Session(context.Models, handle);
        var outputs = session.Run(new Dictionary<string, HostTensor> { ["pixel_values"] = new FloatTensor(io.GetInfo("pixel_values").Shape, io.ReadFloat32("pixel_values")) });
        foreach (var (name, expected) in new[] { ("image_embeds", "image_embeds"), ("last_hidden_state", "last_hidden_state"), ("penultimate_hidden_state", "penultimate_hidden_state") })
        {
            var reference = io.ReadFloat32(expected);
            var actual = outputs[name].Data;
            Assert.Equal(reference.Length, actual.Length);
            var error = reference.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(error <= Tolerance, $"{name}: max abs error {error:E2}");
        }
    }

    [Fact]
    public async Task AnUnknownWidthWithoutConfigSaysToAddTheConfig()
    {
        var folder = SharedData.Require("reference/clip-vision-tiny");
        using var context = new NodeTestContext();
        context.Place("clip_vision", "bare-tiny.safetensors", Path.Combine(folder, "weights.safetensors"));
        var error = await Assert.ThrowsAsync<NodeException>(async () => await new LoadClipVision().ExecuteAsync(new LoadClipVision.In("bare-tiny.safetensors"), context));
        Assert.Contains("bare-tiny.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        Assert.Equal("clip_name", error.InputName);
    }

    [Theory]
    [InlineData(224, true)]
    [InlineData(224, false)]
    [InlineData(30, true)]
    [InlineData(600, true)]
    public void PreprocessingOfARealPhotoEqualsTheDirectFormula(int size, bool centerCrop)
    {
        var image = LoadPhoto(SharedData.Require("real-data/photos/skimage_chelsea.png"));
        var actual = ClipPreprocess.Run(image, size, centerCrop);
        var expected = Direct(image, size, centerCrop);
        Assert.Equal(expected.Length, actual.Length);
        // The 8-bit quantisation can flip one level where the float and double sums straddle a .5; allow those, rarely.
        var flips = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs(expected[i] - actual[i]);
            if (diff > 1e-5)
            {
                var std = ClipPreprocess.Std[(i / (size * size)) % 3];
                Assert.True(Math.Abs(diff - (1.0 / 255 / std)) < 1e-4, $"value {i}: {actual[i]} vs {expected[i]}");
                flips++;
            }
        }
        Assert.True(flips <= expected.Length / 1000, $"{flips} of {expected.Length} values differ by a quantisation level");
    }

    /// <summary>
    /// The resize as a 2-D weighted sum in double: every source pixel whose centre is within the kernel support of the
    /// output sample, weighted by the a = −0.5 cubic on the distance divided by max(1, scale), normalised per axis; then
    /// centre crop, round(255·x)/255 and CLIP normalisation.
    /// </summary>
    private static float[] Direct(ImageBatch image, int size, bool centerCrop)
    {
        int h = image.Height, w = image.Width;
        if (h != size || w != size)
        {
            var scale = (double)size / Math.Min(h, w);
            (h, w) = centerCrop ? ((int)Math.Round(scale * image.Height), (int)Math.Round(scale * image.Width)) : (size, size);
        }
        var rows = Kernel(image.Height, h);
        var columns = Kernel(image.Width, w);
        var (top, left) = ((h - size) / 2, (w - size) / 2);
        var result = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    double sum = 0;
                    foreach (var (i, wy) in rows[y + top])
                    {
                        foreach (var (j, wx) in columns[x + left])
                        {
                            sum += wy * wx * image.Pixels[(((i * image.Width) + j) * image.Channels) + c];
                        }
                    }
                    var quantised = Math.Round(Math.Clamp(255 * sum, 0, 255), MidpointRounding.ToEven) / 255;
                    result[(c * size * size) + (y * size) + x] = (float)((quantised - ClipPreprocess.Mean[c]) / ClipPreprocess.Std[c]);
                }
            }
        }
        return result;
    }

    private static List<(int Index, double Weight)>[] Kernel(int input, int output)
    {
        var scale = (double)input / output;
        var stretch = Math.Max(1.0, scale);
        var result = new List<(int, double)>[output];
        for (var o = 0; o < output; o++)
        {
            var center = (o + 0.5) * scale;
            var taps = new List<(int, double)>();
            for (var i = 0; i < input; i++)
            {
                var t = Math.Abs((i + 0.5 - center) / stretch);
                if (t < 2)
                {
                    taps.Add((i, t < 1 ? (1.5 * t * t * t) - (2.5 * t * t) + 1 : (-0.5 * t * t * t) + (2.5 * t * t) - (4 * t) + 2));
                }
            }
            var total = taps.Sum(p => p.Item2);
            result[o] = taps.Select(p => (p.Item1, p.Item2 / total)).ToList();
        }
        return result;
    }

    private static ImageBatch LoadPhoto(string path)
    {
        using var photo = Image.Load<Rgb24>(path);
        var pixels = new float[photo.Width * photo.Height * 3];
        var bytes = new byte[pixels.Length];
        photo.CopyPixelDataTo(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            pixels[i] = bytes[i] / 255f;
        }
        return new ImageBatch(1, photo.Height, photo.Width, 3, pixels);
    }
}
