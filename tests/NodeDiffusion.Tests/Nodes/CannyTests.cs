using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Preprocessors;
using NodeDiffusion.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Tests.Nodes;

/// <summary>
/// Canny against cv2.Canny outputs made with OpenCV 4.6.0 (apertureSize 3, L1 gradient) on real photos
/// (../shared/real-data/reference-outputs). Both sides are deterministic integer arithmetic on the same 8-bit pixels, so the
/// port is expected to be exact; the stated tolerance (≥ 99.99 % of pixels equal, edge F1 ≥ 0.999) only leaves room for a
/// handful of pixels should a different OpenCV build break a tie differently.
/// </summary>
public sealed class CannyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("astronaut", "skimage_astronaut.png", 100, 200)]
    [InlineData("astronaut", "skimage_astronaut.png", 50, 150)]
    [InlineData("camera", "skimage_camera.png", 100, 200)]
    public void OpenCvModeMatchesCv2Canny(string name, string photo, int low, int high)
    {
        var expectedPath = SharedData.Require($"real-data/reference-outputs/canny_opencv4.6.0_{name}_{low}_{high}.png");
        var (pixels, height, width, channels) = LoadPixels(SharedData.Require($"real-data/photos/{photo}"));
        var edges = CannyEdges.OpenCv(pixels, height, width, channels, low, high, l2Gradient: false);
        using var expectedImage = Image.Load<L8>(expectedPath);
        Assert.Equal((width, height), (expectedImage.Width, expectedImage.Height));
        var expected = new byte[width * height];
        expectedImage.CopyPixelDataTo(expected);

        var (equal, truePositive, falsePositive, falseNegative) = (0, 0, 0, 0);
        for (var i = 0; i < expected.Length; i++)
        {
            var (ours, theirs) = (edges[i] != 0, expected[i] != 0);
            equal += ours == theirs ? 1 : 0;
            truePositive += ours && theirs ? 1 : 0;
            falsePositive += ours && !theirs ? 1 : 0;
            falseNegative += !ours && theirs ? 1 : 0;
        }
        var f1 = 2.0 * truePositive / ((2.0 * truePositive) + falsePositive + falseNegative);
        var equalFraction = equal / (double)expected.Length;
        output.WriteLine($"{name} {low}/{high}: {expected.Length - equal} differing pixels, equal {equalFraction:P4}, F1 {f1:F5}, edges ours {truePositive + falsePositive} / OpenCV {truePositive + falseNegative}");
        Assert.True(equalFraction >= 0.9999, $"only {equalFraction:P4} of pixels equal");
        Assert.True(f1 >= 0.999, $"edge F1 {f1:F5}");
    }

    [Fact]
    public void KorniaModeFindsTheEdgesOfASquare()
    {
        const int size = 32;
        var pixels = new float[size * size * 3];
        for (var y = 8; y < 24; y++)
        {
            for (var x = 8; x < 24; x++)
            {
                pixels.AsSpan(((y * size) + x) * 3, 3).Fill(1f);
            }
        }
        var edges = CannyEdges.Kornia(pixels, size, size, 3, 0.1f, 0.2f);
        // The blurred step is steepest between pixels 7|8 and 23|24; suppression keeps one of each pair, nothing far from the border.
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var nearSide = (x is >= 7 and <= 24 && y is >= 6 and <= 25 && (x is 7 or 8 or 23 or 24 || y is 7 or 8 or 23 or 24));
                if (edges[(y * size) + x] != 0)
                {
                    Assert.True(nearSide, $"edge at ({x}, {y})");
                }
            }
        }
        for (var y = 10; y < 22; y++)
        {
            Assert.True(edges[(y * size) + 7] != 0 || edges[(y * size) + 8] != 0, $"left side missing at row {y}");
        }
    }

    private static (byte[] Pixels, int Height, int Width, int Channels) LoadPixels(string path)
    {
        var info = Image.Identify(path);
        if (info.PixelType.BitsPerPixel <= 16)
        {
            using var grey = Image.Load<L8>(path);
            var bytes = new byte[grey.Width * grey.Height];
            grey.CopyPixelDataTo(bytes);
            return (bytes, grey.Height, grey.Width, 1);
        }
        using var rgb = Image.Load<Rgb24>(path);
        var data = new byte[rgb.Width * rgb.Height * 3];
        rgb.CopyPixelDataTo(data);
        return (data, rgb.Height, rgb.Width, 3);
    }
}
