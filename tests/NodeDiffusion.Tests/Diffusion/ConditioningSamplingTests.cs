using System.Diagnostics;
using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Control;
using NodeDiffusion.Nodes.Diffusion.Sampling;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>
/// The sampler's model call with several entries, areas and ControlNets, against a direct computation of ComfyUI's
/// formulas (calc_cond_batch, get_area_and_mult, ControlNet chains) with the demo UNet sessions called one by one.
/// </summary>
public sealed class ConditioningSamplingTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private const double Tolerance = 1e-5;
    private const int Size = 16;
    private static readonly ModelSamplingDiscrete Sampling = ModelSamplingDiscrete.StableDiffusion15;

    [Fact]
    public void CombineAndSetAreaAverageTheEntriesWithFeatheredAreaWeights()
    {
        var (models, checkpoint, model) = Open();
        var latent = Latent(1);
        var full = Entry(seed: 1);
        var area = Entry(seed: 2) with { Area = ConditioningArea.FromPixels(width: 64, height: 64, x: 64, y: 32), Strength = 0.8 };
        var negative = Entry(seed: 3);
        const float sigma = 2.5f;
        const float cfg = 4f;

        var actual = new float[latent.Samples.Length];
        using (var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([full, area]), new ConditioningList([negative]), cfg))
        {
            denoiser.Denoiser(latent.Samples, sigma, actual);
        }

        var unet = models.Compiled.Unet(checkpoint);
        var areaBox = (Height: 8, Width: 8, Y: 4, X: 8);
        var cond = Average(latent.Samples, sigma, [
            (Denoised(unet, latent.Samples, sigma, full, (Size, Size, 0, 0)), (Size, Size, 0, 0), Weights(Size, Size, 0, 0, 1f, false)),
            (Denoised(unet, latent.Samples, sigma, area, areaBox), areaBox, Weights(8, 8, 4, 8, 0.8f, true)),
        ]);
        // ComfyUI gives the negative side a copy of the area entry made from the negative prompt (create_cond_with_same_area_if_none).
        var uncond = Average(latent.Samples, sigma, [
            (Denoised(unet, latent.Samples, sigma, negative, (Size, Size, 0, 0)), (Size, Size, 0, 0), Weights(Size, Size, 0, 0, 1f, false)),
            (Denoised(unet, latent.Samples, sigma, negative, areaBox), areaBox, Weights(8, 8, 4, 8, 0.8f, true)),
        ]);
        var expected = cond.Select((c, i) => uncond[i] + ((c - uncond[i]) * cfg)).ToArray();
        AssertClose(expected, actual);
        // The area really matters: without the area entry the result differs.
        var plain = new float[latent.Samples.Length];
        using (var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([full, full with { Strength = 0.999 }]), new ConditioningList([negative]), cfg))
        {
            denoiser.Denoiser(latent.Samples, sigma, plain);
        }
        Assert.True(MaxAbs(plain, actual) > 1e-3);
    }

    [Fact]
    public void AChainOfTwoControlNetsAddsTheirResiduals()
    {
        var (models, checkpoint, model) = Open();
        var latent = Latent(2);
        var net = ControlNetFolder.Resolve(models, DemoControlNet.FileName);
        var first = new ControlNetApplication(net, ImageBatch.Filled(1, 96, 160, 0.9f, 0.2f, 0.4f), 0.7, 0, 1);
        var second = new ControlNetApplication(net, ImageBatch.Filled(1, 128, 128, 0.1f, 0.8f, 0.5f), 1.3, 0, 1);
        var entry = Entry(seed: 4) with { Control = EquatableList<ControlNetApplication>.Empty.Add(first).Add(second) };
        const float sigma = 1.7f;

        var actual = new float[latent.Samples.Length];
        using (var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([entry]), null, 1f))
        {
            denoiser.Denoiser(latent.Samples, sigma, actual);
        }

        var controlNet = models.Compiled.ControlNet(checkpoint, ControlNetFolder.Open(net, checkpoint, "positive"), net.Fingerprint);
        var scaled = latent.Samples.Select(v => v / MathF.Sqrt((sigma * sigma) + 1f)).ToArray();
        var common = new Dictionary<string, HostTensor>
        {
            ["sample"] = new FloatTensor(latent.Shape, scaled),
            ["timestep"] = new FloatTensor([2], [Sampling.Timestep(sigma), Sampling.Timestep(sigma)]),
            ["encoder_hidden_states"] = Context(entry, 2),
        };
        var a = controlNet.Run(new Dictionary<string, HostTensor>(common) { ["controlnet_cond"] = Hint(first.Hint, 2), ["conditioning_scale"] = new FloatTensor([1], [0.7f]) });
        var b = controlNet.Run(new Dictionary<string, HostTensor>(common) { ["controlnet_cond"] = Hint(second.Hint, 2), ["conditioning_scale"] = new FloatTensor([1], [1.3f]) });
        var unetInputs = new Dictionary<string, HostTensor>(common);
        foreach (var (name, residual) in a)
        {
            unetInputs[name] = new FloatTensor(residual.Shape, residual.Data.Select((v, i) => v + b[name].Data[i]).ToArray());
        }
        var eps = models.Compiled.ControlledUnet(checkpoint, []).Run(unetInputs)["out_sample"].Data;
        var expected = latent.Samples.Select((x, i) => x - (sigma * eps[i])).ToArray();
        AssertClose(expected, actual);
        // Each ControlNet contributes: the first alone gives another result.
        var single = new float[latent.Samples.Length];
        using (var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([entry with { Control = EquatableList<ControlNetApplication>.Empty.Add(first) }]), null, 1f))
        {
            denoiser.Denoiser(latent.Samples, sigma, single);
        }
        Assert.True(MaxAbs(single, actual) > 1e-3);
    }

    [Fact]
    public void ControlActsOnlyInsideItsSigmaRangeAndIsMeasurablySlower()
    {
        var (models, checkpoint, model) = Open();
        var latent = Latent(1, size: 32);
        var net = ControlNetFolder.Resolve(models, DemoControlNet.FileName);
        var entry = Entry(seed: 5);
        var negative = Entry(seed: 6);
        var late = entry with { Control = EquatableList<ControlNetApplication>.Empty.Add(new ControlNetApplication(net, ImageBatch.Filled(1, 256, 256, 1f, 1f, 1f), 1.0, 0.5, 1.0)) };
        var sigmaStart = (float)Sampling.PercentToSigma(0.5);

        using var controlled = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([late]), new ConditioningList([negative]), 5f);
        using var reference = new UnetEpsilonModel(models.Compiled.Unet(checkpoint), latent, entry, negative);
        var referenceDenoise = ClassifierFreeGuidance.Wrap(reference.Denoiser(2 * latent.Samples.Length), 5f, latent.Samples.Length);
        var (before, after, expected) = (new float[latent.Samples.Length], new float[latent.Samples.Length], new float[latent.Samples.Length]);

        controlled.Denoiser(latent.Samples, sigmaStart * 1.5f, before);
        referenceDenoise(latent.Samples, sigmaStart * 1.5f, expected);
        Assert.Equal(expected, before);
        controlled.Denoiser(latent.Samples, sigmaStart * 0.5f, after);
        referenceDenoise(latent.Samples, sigmaStart * 0.5f, expected);
        Assert.True(MaxAbs(expected, after) > 1e-3);

        // Timing for the report (not asserted): one guided step at 256×256 with and without the ControlNet.
        var plainStep = Time(() => referenceDenoise(latent.Samples, 1f, expected));
        var controlStep = Time(() => controlled.Denoiser(latent.Samples, 1f, after));
        TestContext.Current.TestOutputHelper?.WriteLine($"demo 256×256 cfg step: plain {plainStep:F1} ms, with ControlNet {controlStep:F1} ms");
    }

    [Fact]
    public void TheHintIsCentreCroppedAndNearestExactResized()
    {
        // 4×6 image, columns 0..5 valued by column; target 2×2 → centre crop to 4×4 (columns 1..4), then every 2nd.
        var pixels = new float[4 * 6 * 3];
        for (var row = 0; row < 4; row++)
        {
            for (var column = 0; column < 6; column++)
            {
                for (var c = 0; c < 3; c++)
                {
                    pixels[(((row * 6) + column) * 3) + c] = (10 * row) + column + (100 * c);
                }
            }
        }
        var output = new float[3 * 2 * 2];
        HintImage.Write(new ImageBatch(1, 4, 6, 3, pixels), 1, 2, 2, output);
        // nearest-exact: source index floor((i + 0.5)·2) → 1 and 3 inside the crop (rows 1, 3; columns 2, 4).
        Assert.Equal([12f, 14f, 32f, 34f, 112f, 114f, 132f, 134f, 212f, 214f, 232f, 234f], output);
    }

    private (DiffusionModels Models, DiffusersCheckpoint Checkpoint, ModelHandle Model) Open()
    {
        var host = demo.NewHost();
        var models = (DiffusionModels)host.Services.GetService(typeof(DiffusionModels))!;
        var reference = models.Resolve(DemoCheckpoint.Name);
        return (models, models.Open(reference), new ModelHandle(reference));
    }

    private static LatentBatch Latent(int batch, int size = Size)
    {
        var random = new Random(42);
        var samples = new float[batch * 4 * size * size];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)((random.NextDouble() * 4) - 2);
        }
        return new LatentBatch(batch, 4, size, size, samples);
    }

    private static ConditioningEntry Entry(int seed)
    {
        var random = new Random(seed);
        var embeddings = new float[77 * 64];
        for (var i = 0; i < embeddings.Length; i++)
        {
            embeddings[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return new ConditioningEntry(embeddings, 77, 64, new float[64]);
    }

    private static FloatTensor Context(ConditioningEntry entry, int batch) =>
        new([batch, entry.Tokens, entry.Dim], Enumerable.Repeat(entry.Embeddings, batch).SelectMany(e => e).ToArray());

    /// <summary>A uniform hint: whatever the crop, every pixel is the fill colour.</summary>
    private static FloatTensor Hint(ImageBatch image, int batch)
    {
        var plane = Size * 8 * Size * 8;
        var data = new float[batch * 3 * plane];
        for (var b = 0; b < batch; b++)
        {
            for (var c = 0; c < 3; c++)
            {
                Array.Fill(data, image.Pixels[c], ((b * 3) + c) * plane, plane);
            }
        }
        return new FloatTensor([batch, 3, Size * 8, Size * 8], data);
    }

    /// <summary>D = x − σ·ε̂ on the crop (height, width, y, x) of a batch-1 latent, one plain UNet call.</summary>
    private static float[] Denoised(ModelSession unet, float[] x, float sigma, ConditioningEntry entry, (int Height, int Width, int Y, int X) box)
    {
        var crop = new float[4 * box.Height * box.Width];
        for (var c = 0; c < 4; c++)
        {
            for (var row = 0; row < box.Height; row++)
            {
                for (var column = 0; column < box.Width; column++)
                {
                    crop[(((c * box.Height) + row) * box.Width) + column] = x[(((c * Size) + box.Y + row) * Size) + box.X + column];
                }
            }
        }
        var eps = unet.Run(new Dictionary<string, HostTensor>
        {
            ["sample"] = new FloatTensor([1, 4, box.Height, box.Width], crop.Select(v => v / MathF.Sqrt((sigma * sigma) + 1f)).ToArray()),
            ["timestep"] = new FloatTensor([1], [Sampling.Timestep(sigma)]),
            ["encoder_hidden_states"] = Context(entry, 1),
        })["out_sample"].Data;
        return crop.Select((v, i) => v - (sigma * eps[i])).ToArray();
    }

    /// <summary>ComfyUI's mult: strength, times (t+1)/rr on the rr = min(8, size/4) rows/columns next to each inner edge.</summary>
    private static float[,] Weights(int height, int width, int y, int x, float strength, bool hasArea)
    {
        var weights = new float[height, width];
        for (var row = 0; row < height; row++)
        {
            for (var column = 0; column < width; column++)
            {
                weights[row, column] = strength;
            }
        }
        if (!hasArea)
        {
            return weights;
        }
        void Ramp(int size, bool startInside, bool endInside, Action<int, float> scale)
        {
            var rr = Math.Min(8, size / 4);
            for (var t = 0; t < rr && startInside; t++)
            {
                scale(t, (float)(1.0 / rr * (t + 1)));
            }
            for (var t = 0; t < rr && endInside; t++)
            {
                scale(size - 1 - t, (float)(1.0 / rr * (t + 1)));
            }
        }
        Ramp(height, y != 0, y + height < Size, (r, f) => { for (var c = 0; c < width; c++) { weights[r, c] *= f; } });
        Ramp(width, x != 0, x + width < Size, (c, f) => { for (var r = 0; r < height; r++) { weights[r, c] *= f; } });
        return weights;
    }

    private static float[] Average(float[] x, float sigma, (float[] Denoised, (int Height, int Width, int Y, int X) Box, float[,] Weights)[] entries)
    {
        _ = sigma;
        var sum = new float[x.Length];
        var counts = Enumerable.Repeat(1e-37f, x.Length).ToArray();
        foreach (var (denoised, box, weights) in entries)
        {
            for (var c = 0; c < 4; c++)
            {
                for (var row = 0; row < box.Height; row++)
                {
                    for (var column = 0; column < box.Width; column++)
                    {
                        var target = (((c * Size) + box.Y + row) * Size) + box.X + column;
                        sum[target] += denoised[(((c * box.Height) + row) * box.Width) + column] * weights[row, column];
                        counts[target] += weights[row, column];
                    }
                }
            }
        }
        return sum.Select((s, i) => s / counts[i]).ToArray();
    }

    private static double Time(Action step)
    {
        step();
        var watch = Stopwatch.StartNew();
        const int runs = 5;
        for (var i = 0; i < runs; i++)
        {
            step();
        }
        return watch.Elapsed.TotalMilliseconds / runs;
    }

    private static double MaxAbs(float[] a, float[] b) => a.Select((v, i) => Math.Abs(v - b[i])).Max();

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var error = MaxAbs(expected, actual);
        Assert.True(error <= Tolerance, $"max abs error {error:E2} > {Tolerance:E0}");
    }
}
