using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Diffusion.Latent;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Tests.Nodes;

/// <summary>
/// The latent nodes against direct computations of ComfyUI's steps (torch.nn.functional.interpolate semantics, written out
/// independently here in double precision; float32 results agree to 1e-5).
/// </summary>
public sealed class LatentNodeTests
{
    private const double Tolerance = 1e-5;

    private static LatentBatch Ramp(int batch, int channels, int height, int width, float[]? mask = null) =>
        new(batch, channels, height, width,
            Enumerable.Range(0, batch * channels * height * width).Select(i => MathF.Sin(i * 0.7f) + (i * 0.01f)).ToArray(), mask);

    private static async Task<LatentBatch> Upscale(LatentBatch latent, string method, int width, int height, string crop = "disabled") =>
        (await new LatentUpscale().ExecuteAsync(new LatentUpscale.In(latent, method, width, height, crop), null!)).Latent;

    [Fact]
    public async Task NearestExactPicksFloorOfTheScaledPixelCentre()
    {
        var latent = Ramp(1, 2, 3, 5);
        var result = await Upscale(latent, "nearest-exact", 9 * 8, 8 * 8);
        Assert.Equal((8, 9), (result.Height, result.Width));
        for (var c = 0; c < 2; c++)
        {
            for (var y = 0; y < 8; y++)
            {
                for (var x = 0; x < 9; x++)
                {
                    var sy = Math.Min((int)Math.Floor((y + 0.5) * 3 / 8), 2);
                    var sx = Math.Min((int)Math.Floor((x + 0.5) * 5 / 9), 4);
                    Assert.Equal(latent.Samples[(c * 15) + (sy * 5) + sx], result.Samples[(c * 72) + (y * 9) + x]);
                }
            }
        }
    }

    [Fact]
    public async Task BilinearIsHalfPixelAlignedLikeTorch()
    {
        // torch: F.interpolate([[1, 2, 3, 4]] as 1×4 → 2×8, bilinear, align_corners=False) repeats this row.
        var latent = new LatentBatch(1, 1, 8, 4, Enumerable.Range(0, 32).Select(i => (float)(i % 4) + 1).ToArray());
        var result = await Upscale(latent, "bilinear", 64, 128);
        Assert.Equal([1f, 1.25f, 1.75f, 2.25f, 2.75f, 3.25f, 3.75f, 4f], result.Samples[..8]);

        var ramp = Ramp(2, 3, 5, 7);
        var scaled = await Upscale(ramp, "bilinear", 11 * 8, 9 * 8);
        AssertAll(scaled, ramp, 9, 11, (plane, y, x) => Bilinear(plane, 5, 7, y, x, 9, 11));
    }

    [Fact]
    public async Task AreaIsAdaptiveAveragePooling()
    {
        var ramp = Ramp(1, 4, 10, 9);
        var scaled = await Upscale(ramp, "area", 64, 64); // 10×9 → 8×8: overlapping windows
        AssertAll(scaled, ramp, 8, 8, (plane, y, x) =>
        {
            int y0 = y * 10 / 8, y1 = (int)Math.Ceiling((y + 1) * 10 / 8.0), x0 = x * 9 / 8, x1 = (int)Math.Ceiling((x + 1) * 9 / 8.0);
            var sum = 0.0;
            for (var yy = y0; yy < y1; yy++)
            {
                for (var xx = x0; xx < x1; xx++)
                {
                    sum += plane[(yy * 9) + xx];
                }
            }
            return sum / ((y1 - y0) * (x1 - x0));
        });
    }

    [Fact]
    public async Task BicubicUsesTorchsKernelWithClampedTaps()
    {
        var ramp = Ramp(1, 2, 4, 6);
        var scaled = await Upscale(ramp, "bicubic", 13 * 8, 9 * 8);
        AssertAll(scaled, ramp, 9, 13, (plane, y, x) =>
        {
            static double W(double d)
            {
                const double a = -0.75;
                d = Math.Abs(d);
                return d <= 1 ? ((a + 2) * d * d * d) - ((a + 3) * d * d) + 1 : d < 2 ? (a * d * d * d) - (5 * a * d * d) + (8 * a * d) - (4 * a) : 0;
            }
            var sy = ((y + 0.5) * 4 / 9) - 0.5;
            var sx = ((x + 0.5) * 6 / 13) - 0.5;
            var (iy, ix) = ((int)Math.Floor(sy), (int)Math.Floor(sx));
            var sum = 0.0;
            for (var m = -1; m <= 2; m++)
            {
                for (var n = -1; n <= 2; n++)
                {
                    sum += W(sy - (iy + m)) * W(sx - (ix + n)) * plane[(Math.Clamp(iy + m, 0, 3) * 6) + Math.Clamp(ix + n, 0, 5)];
                }
            }
            return sum;
        });
    }

    [Fact]
    public async Task CenterCropTrimsTheLongSideBeforeResizing()
    {
        var ramp = Ramp(1, 1, 4, 12); // aspect 3 → 1: x = round((12 − 12·(1/3))/2) = 4, keep columns 4..7
        var cropped = await Upscale(ramp, "nearest-exact", 64, 64, "center");
        Assert.Equal((8, 8), (cropped.Height, cropped.Width));
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                Assert.Equal(ramp.Samples[(y / 2 * 12) + 4 + (x / 2)], cropped.Samples[(y * 8) + x]);
            }
        }
        Assert.Equal((1, 0), LatentUpscaling.CenterCrop(10, 8, 8, 8)); // round(1.0) = 1
        Assert.Equal((0, 2), LatentUpscaling.CenterCrop(8, 12, 8, 8)); // round(2.0)
        Assert.Equal((2, 0), LatentUpscaling.CenterCrop(9, 4, 8, 8)); // round(2.5) = 2, half to even like Python
    }

    [Fact]
    public async Task ZeroSidesFollowComfyUisRulesAndUpscaleByRoundsHalfToEven()
    {
        var latent = Ramp(1, 4, 8, 12);
        Assert.Same(latent, await Upscale(latent, "bilinear", 0, 0));
        var byHeight = await Upscale(latent, "bilinear", 0, 128); // width = round(12·128/8) = 192 px
        Assert.Equal((16, 24), (byHeight.Height, byHeight.Width));
        var tiny = await Upscale(latent, "bilinear", 16, 16); // at least 64 px a side
        Assert.Equal((8, 8), (tiny.Height, tiny.Width));
        var by = (await new LatentUpscaleBy().ExecuteAsync(new LatentUpscaleBy.In(Ramp(1, 4, 5, 7), "nearest-exact", 1.5), null!)).Latent;
        Assert.Equal((8, 10), (by.Height, by.Width)); // round(7.5) = 8, round(10.5) = 10
    }

    [Fact]
    public void BislerpUsesComfyUisNeighbourPairsAndSlerp()
    {
        var (first, second, ratio) = Bislerp.Pairs(4, 8);
        Assert.Equal([0, 0, 0, 1, 1, 2, 2, 3], first);
        Assert.Equal([1, 1, 2, 2, 3, 3, 3, 3], second);
        Assert.Equal([0f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0f], ratio);

        // Two orthogonal channel vectors of norms 1 and 3: halfway is at 45° with norm 2.
        var mixed = new float[2];
        Bislerp.Slerp([1f, 0f], [0f, 3f], 0.5f, mixed);
        Assert.Equal(2 * Math.Sqrt(0.5), mixed[0], Tolerance);
        Assert.Equal(2 * Math.Sqrt(0.5), mixed[1], Tolerance);
        // Opposite vectors fall back to a linear blend; parallel ones keep the first.
        Bislerp.Slerp([1f, 0f], [-2f, 0f], 0.25f, mixed);
        Assert.Equal([0.25f, 0f], mixed);
        Bislerp.Slerp([1f, 1f], [2f, 2f], 0.5f, mixed);
        Assert.Equal([1f, 1f], mixed);

        // Whole-latent: a 1×2 → 1×4 width pass on a two-channel latent, then an identity height pass.
        var latent = new LatentBatch(1, 2, 1, 2, [1f, 0f, 0f, 3f]); // pixel 0 = (1, 0), pixel 1 = (0, 3)
        var result = Bislerp.Resize(latent.Samples, 1, 2, 1, 2, 1, 4);
        // Pairs(2, 4): first [0, 0, 0, 1], second [1, 1, 1, 1], ratio [0, .25, .75, 0].
        for (var x = 0; x < 4; x++)
        {
            var r = new[] { 0.0, 0.25, 0.75, 0.0 }[x];
            var (a, b) = x == 3 ? ((0.0, 3.0), (0.0, 3.0)) : ((1.0, 0.0), (0.0, 3.0));
            var expected = x == 3 ? b : SlerpReference(a, b, r);
            Assert.Equal(expected.Item1, result[x], Tolerance);
            Assert.Equal(expected.Item2, result[4 + x], Tolerance);
        }
    }

    [Fact]
    public async Task UpscalingCarriesTheNoiseMaskResizedBilinearly()
    {
        var mask = Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? 1f : 0f).ToArray();
        var latent = Ramp(1, 4, 3, 4, mask);
        var scaled = await Upscale(latent, "nearest-exact", 64, 64);
        Assert.NotNull(scaled.NoiseMask);
        var expected = new LatentBatch(1, 1, 3, 4, mask);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                Assert.Equal(Bilinear(expected.Samples, 3, 4, y, x, 8, 8), scaled.NoiseMask![(y * 8) + x], Tolerance);
            }
        }
    }

    [Fact]
    public async Task SetLatentNoiseMaskResizesTheMaskToTheLatent()
    {
        var latent = Ramp(2, 4, 4, 4);
        var maskValues = Enumerable.Range(0, 32 * 32).Select(i => (i % 32) < 16 ? 1f : 0.25f).ToArray();
        var result = (await new SetLatentNoiseMask().ExecuteAsync(new SetLatentNoiseMask.In(latent, new MaskBatch(1, 32, 32, maskValues)), null!)).Latent;
        Assert.Same(latent.Samples, result.Samples);
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                Assert.Equal(Bilinear(maskValues, 32, 32, y, x, 4, 4), result.NoiseMask![(y * 4) + x], Tolerance);
            }
        }
        Assert.Equal([1f, 1f, 0.25f, 0.25f], result.NoiseMask![..4]);
    }

    [Fact]
    public void InpaintPreparationFollowsComfyUisSteps()
    {
        // 21×19 image (crop to 16×16 at offsets (2, 1)), a 7×5 mask resized to the full image first.
        const int height = 19, width = 21, grow = 6;
        var pixels = Enumerable.Range(0, height * width * 3).Select(i => (i * 37 % 101) / 100f).ToArray();
        var maskValues = new float[5 * 7];
        maskValues[(2 * 7) + 3] = 1f;
        maskValues[(1 * 7) + 3] = 0.6f;
        maskValues[(4 * 7) + 6] = 0.4f;
        var image = new ImageBatch(1, height, width, 3, pixels);
        var prepared = InpaintPreparation.Prepare(image, new MaskBatch(1, 5, 7, maskValues), grow);

        var full = new double[height * width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                full[(y * width) + x] = Bilinear(maskValues, 5, 7, y, x, height, width);
            }
        }
        const int top = 19 % 8 / 2, left = 21 % 8 / 2;
        var rounded = new double[16, 16];
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                rounded[y, x] = Math.Round(full[((y + top) * width) + x + left], MidpointRounding.ToEven);
            }
        }
        Assert.Contains(1.0, rounded.Cast<double>());
        // conv2d(ones(6×6), padding 3) over the zero-padded mask → 17×17, clamp, keep [:16, :16], round.
        const int pad = 3;
        var padded = new double[16 + (2 * pad), 16 + (2 * pad)];
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                padded[y + pad, x + pad] = rounded[y, x];
            }
        }
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var sum = 0.0;
                for (var ky = 0; ky < grow; ky++)
                {
                    for (var kx = 0; kx < grow; kx++)
                    {
                        sum += padded[y + ky, x + kx];
                    }
                }
                Assert.Equal(Math.Round(Math.Clamp(sum, 0, 1)), prepared.NoiseMask[(y * 16) + x]);
                for (var c = 0; c < 3; c++)
                {
                    var source = pixels[((((y + top) * width) + x + left) * 3) + c];
                    var expected = ((source - 0.5) * (1 - rounded[y, x])) + 0.5;
                    Assert.Equal(expected, prepared.Pixels.Pixels[(((y * 16) + x) * 3) + c], Tolerance);
                }
            }
        }
        Assert.Equal((16, 16, 3), (prepared.Pixels.Height, prepared.Pixels.Width, prepared.Pixels.Channels));
        var zeroGrow = InpaintPreparation.Prepare(image, new MaskBatch(1, 5, 7, maskValues), 0);
        Assert.Equal(rounded.Cast<double>().Select(v => (float)v), zeroGrow.NoiseMask);
    }

    private static (double, double) SlerpReference((double X, double Y) a, (double X, double Y) b, double r)
    {
        var (na, nb) = (Math.Sqrt((a.X * a.X) + (a.Y * a.Y)), Math.Sqrt((b.X * b.X) + (b.Y * b.Y)));
        var omega = Math.Acos(((a.X * b.X) + (a.Y * b.Y)) / (na * nb));
        var (wa, wb) = (Math.Sin((1 - r) * omega) / Math.Sin(omega), Math.Sin(r * omega) / Math.Sin(omega));
        var norm = (na * (1 - r)) + (nb * r);
        return (((wa * a.X / na) + (wb * b.X / nb)) * norm, ((wa * a.Y / na) + (wb * b.Y / nb)) * norm);
    }

    /// <summary>torch bilinear, align_corners=False, output (y, x) of a height×width → newHeight×newWidth resize.</summary>
    private static double Bilinear(ReadOnlySpan<float> plane, int height, int width, int y, int x, int newHeight, int newWidth)
    {
        var sy = Math.Max(((y + 0.5) * height / newHeight) - 0.5, 0);
        var sx = Math.Max(((x + 0.5) * width / newWidth) - 0.5, 0);
        var (y0, x0) = ((int)sy, (int)sx);
        var (y1, x1) = (Math.Min(y0 + 1, height - 1), Math.Min(x0 + 1, width - 1));
        var (ly, lx) = (sy - y0, sx - x0);
        return ((1 - ly) * (((1 - lx) * plane[(y0 * width) + x0]) + (lx * plane[(y0 * width) + x1])))
            + (ly * (((1 - lx) * plane[(y1 * width) + x0]) + (lx * plane[(y1 * width) + x1])));
    }

    private static void AssertAll(LatentBatch result, LatentBatch source, int newHeight, int newWidth, Func<float[], int, int, double> expected)
    {
        Assert.Equal((source.Batch, source.Channels, newHeight, newWidth), (result.Batch, result.Channels, result.Height, result.Width));
        var inPlane = source.Height * source.Width;
        for (var p = 0; p < source.Batch * source.Channels; p++)
        {
            var plane = source.Samples.AsSpan(p * inPlane, inPlane).ToArray();
            for (var y = 0; y < newHeight; y++)
            {
                for (var x = 0; x < newWidth; x++)
                {
                    Assert.Equal(expected(plane, y, x), result.Samples[(p * newHeight * newWidth) + (y * newWidth) + x], Tolerance);
                }
            }
        }
    }
}

public sealed class MaskNodeTests
{
    [Fact]
    public async Task FeatherMaskFadesEdgesWithComfyUisRightEdgeIndexing()
    {
        var mask = new MaskBatch(1, 1, 6, [1f, 1f, 1f, 1f, 1f, 1f]);
        var left = (await new NodeDiffusion.Nodes.Image.Masks.FeatherMask().ExecuteAsync(new(mask, 2, 0, 0, 0), new NodeDiffusion.Tests.Support.BareNodeContext())).Mask.Values;
        Assert.Equal([0.5f, 1f, 1f, 1f, 1f, 1f], left);
        // right = 3: x = 0 hits column 0 (−0 == 0) with 1/3, then columns −1 and −2 with 2/3 and 3/3.
        var right = (await new NodeDiffusion.Nodes.Image.Masks.FeatherMask().ExecuteAsync(new(mask, 0, 0, 3, 0), new NodeDiffusion.Tests.Support.BareNodeContext())).Mask.Values;
        Assert.Equal([1f / 3, 1f, 1f, 1f, 1f, 2f / 3], right);
    }

    [Fact]
    public async Task GrowMaskDilatesWithAPlusOrASquareAndErodesWhenNegative()
    {
        var values = new float[25];
        values[12] = 1f; // centre of 5×5
        var mask = new MaskBatch(1, 5, 5, values);
        var plus = (await new NodeDiffusion.Nodes.Image.Masks.GrowMask().ExecuteAsync(new(mask, 1, true), new NodeDiffusion.Tests.Support.BareNodeContext())).Mask.Values;
        Assert.Equal(5, plus.Count(v => v == 1f));
        Assert.Equal(0f, plus[6]);
        var square = (await new NodeDiffusion.Nodes.Image.Masks.GrowMask().ExecuteAsync(new(mask, 1, false), new NodeDiffusion.Tests.Support.BareNodeContext())).Mask.Values;
        Assert.Equal(9, square.Count(v => v == 1f));
        var back = (await new NodeDiffusion.Nodes.Image.Masks.GrowMask().ExecuteAsync(new(new MaskBatch(1, 5, 5, square), -1, false), new NodeDiffusion.Tests.Support.BareNodeContext())).Mask.Values;
        Assert.Equal(values, back);
        var inverted = (await new NodeDiffusion.Nodes.Image.Masks.InvertMask().ExecuteAsync(new(mask), new NodeDiffusion.Tests.Support.BareNodeContext())).Mask.Values;
        Assert.Equal(24, inverted.Count(v => v == 1f));
    }
}
