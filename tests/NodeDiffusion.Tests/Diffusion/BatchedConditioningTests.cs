using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Control;
using NodeDiffusion.Nodes.Diffusion.IpAdapter;
using NodeDiffusion.Nodes.Diffusion.Sampling;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;
using NodeDiffusion.Tests.IpAdapter;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>
/// The conditioned denoiser with entries batched as ComfyUI's calc_cond_batch does (one UNet/ControlNet call per group
/// of compatible entries, over both sides) against the same denoiser calling the demo sessions once per entry.
/// </summary>
public sealed class BatchedConditioningTests(DemoPipelineFixture demo, ITestOutputHelper output) : IClassFixture<DemoPipelineFixture>
{
    /// <summary>
    /// Max abs difference of ε̂ = (x − D)/σ per unit of guidance, i.e. |ΔD| ≤ Tolerance·σ·cfg. A batch changes no
    /// arithmetic per item (observed: bit-identical) except where a context is repeated to the batch's common token
    /// length (77 → 154 here), which reorders the attention sums: observed |ΔD| 7e-5 at σ 8, cfg 4 (ε̂ 2e-6).
    /// </summary>
    private const double Tolerance = 1e-5;

    private const int Size = 16;
    private static readonly float[] Sigmas = [8f, 0.5f];

    [Fact]
    public void ControlNetChainsAreasStrengthsAndContextLengthsGiveTheSameResultInFewerCalls()
    {
        var (models, checkpoint, model) = Open();
        var latent = Latent(batch: 2);
        var net = ControlNetFolder.Resolve(models, DemoControlNet.FileName);
        // Three hint images for a latent batch of 2: each entry's chunk must see hints 0 and 1, as it would alone.
        var hint = RandomImage(batch: 3, 96, 128, seed: 9);
        var early = new ControlNetApplication(net, hint, 0.8, 0.0, 0.5);
        var whole = new ControlNetApplication(net, ImageBatch.Filled(1, 128, 128, 0.1f, 0.8f, 0.5f), 1.3, 0.0, 1.0);
        foreach (var chain in new[] { Chain(early, whole), Chain(early) })
        {
            var full = Entry(seed: 1, chunks: 1) with { Control = chain };
            var area = Entry(seed: 2, chunks: 1) with { Control = chain, Area = ConditioningArea.FromPixels(width: 64, height: 64, x: 64, y: 32), Strength = 0.8 };
            var longer = Entry(seed: 3, chunks: 2) with { Control = chain, Strength = 0.6 };
            var negative = Entry(seed: 4, chunks: 1) with { Control = chain };
            var positive = new ConditioningList([full, area, longer]);
            var negatives = new ConditioningList([negative]);

            using var batched = new ConditionedDenoiser(models, checkpoint, model, latent, positive, negatives, 4f);
            using var single = new ConditionedDenoiser(models, checkpoint, model, latent, positive, negatives, 4f, batched: false);
            // Full-size entries of both sides in one call, the area entry and its negative counterpart in another.
            Assert.Equal(2, batched.CallsPerStep);
            Assert.Equal(5, single.CallsPerStep);
            foreach (var sigma in Sigmas)
            {
                var error = MaxAbs(Denoise(single, latent, sigma), Denoise(batched, latent, sigma));
                output.WriteLine($"{chain.Count} ControlNet(s), σ {sigma}: max |ΔD| batched vs one call per entry {error:E2}");
                Assert.True(error <= Tolerance * sigma * 4f, $"max |ΔD| {error:E2} > {Tolerance * sigma * 4f:E1}");
            }
        }

        // The per-item hints matter, so a batch that gave a chunk another item's hint would be caught above.
        var other = new ControlNetApplication(net, RandomImage(batch: 3, 96, 128, seed: 10), 0.8, 0.0, 0.5);
        using var a = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([Entry(1, 1) with { Control = Chain(early) }]), null, 1f);
        using var b = new ConditionedDenoiser(models, checkpoint, model, latent, new ConditioningList([Entry(1, 1) with { Control = Chain(other) }]), null, 1f);
        Assert.True(MaxAbs(Denoise(a, latent, 8f), Denoise(b, latent, 8f)) > 1e-3);
    }

    [Fact]
    public async Task TheIpAdapterGetsEachChunksTokensWhenConditionalAndUnconditionalEntriesShareACall()
    {
        var (models, checkpoint, plainModel) = Open();
        using var context = new NodeTestContext();
        context.Place("ipadapter", DemoIpAdapter.FileName, Path.Combine(demo.Settings.Roots.Models, "ipadapter", DemoIpAdapter.FileName));
        var handle = (await new LoadIpAdapter().ExecuteAsync(new LoadIpAdapter.In(DemoIpAdapter.FileName), context)).Ipadapter;
        var length = handle.Layout.Tokens * handle.Layout.TokenChannels;
        var tokens = new IpAdapterTokens(handle.Layout.Tokens, handle.Layout.TokenChannels, Random(length, seed: 5, scale: 3f), new float[length]);
        var weights = IpAdapterApply.LayerWeights(IpAdapterLayerScales.CrossAttentionPaths(checkpoint.Unet), "linear", 1.0);
        var model = plainModel with { IpAdapters = EquatableList<IpAdapterPatch>.Empty.Add(new IpAdapterPatch(handle, tokens, weights, "V only", 0, 1)) };
        var latent = Latent(batch: 1);
        var positive = new ConditioningList([Entry(1, 1), Entry(2, 1) with { Strength = 0.7 }]);
        var negative = new ConditioningList([Entry(3, 1)]);

        using var batched = new ConditionedDenoiser(models, checkpoint, model, latent, positive, negative, 6f);
        using var single = new ConditionedDenoiser(models, checkpoint, model, latent, positive, negative, 6f, batched: false);
        Assert.Equal(1, batched.CallsPerStep);
        Assert.Equal(3, single.CallsPerStep);
        var error = MaxAbs(Denoise(single, latent, 3f), Denoise(batched, latent, 3f));
        output.WriteLine($"IP-Adapter, 3 entries in one call: max |ΔD| batched vs one call per entry {error:E2}");
        Assert.True(error <= Tolerance * 3f * 6f, $"max |ΔD| {error:E2} > {Tolerance * 3f * 6f:E1}");

        // The adapter acts: without it the result moves, so tokens fed to the wrong chunk would show above.
        using var without = new ConditionedDenoiser(models, checkpoint, plainModel, latent, positive, negative, 6f);
        Assert.True(MaxAbs(Denoise(without, latent, 3f), Denoise(batched, latent, 3f)) > 1e-3);
    }

    [Fact]
    public void AControlNetOverPartOfTheScheduleNeedsNoSecondUnetAndLeavesTheStepsOutsideItsRangeBitIdentical()
    {
        var (models, checkpoint, model) = Open();
        var latent = Latent(batch: 1);
        var net = ControlNetFolder.Resolve(models, DemoControlNet.FileName);
        var late = Chain(new ControlNetApplication(net, ImageBatch.Filled(1, 128, 128, 1f, 1f, 1f), 1.0, 0.5, 1.0));
        using var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent,
            new ConditioningList([Entry(1, 1) with { Control = late }]), new ConditioningList([Entry(3, 1) with { Control = late }]), 5f);
        Assert.Equal(1, denoiser.CallsPerStep);

        var outside = Denoise(denoiser, latent, 8f);
        var inside = Denoise(denoiser, latent, 0.5f);
        // The ControlNet and the UNet with residual inputs; no UNet without them.
        Assert.Equal(2, models.Compiled.Count);
        // Warm, a step reuses its buffers: what it allocates is ONNX Runtime's call overhead, not latent-sized arrays.
        var result = new float[latent.Samples.Length];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        denoiser.Denoiser(latent.Samples, 8f, result);
        denoiser.Denoiser(latent.Samples, 0.5f, result);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        output.WriteLine($"two warm steps allocated {allocated} bytes on the sampler thread");
        Assert.True(allocated < latent.Samples.Length * sizeof(float), $"two steps allocated {allocated} bytes");

        using var plain = new UnetEpsilonModel(models.Compiled.Unet(checkpoint), latent, Entry(1, 1), Entry(3, 1));
        var guided = ClassifierFreeGuidance.Wrap(plain.Denoiser(2 * latent.Samples.Length), 5f, latent.Samples.Length);
        var expected = new float[latent.Samples.Length];
        guided(latent.Samples, 8f, expected);
        Assert.Equal(expected, outside);
        guided(latent.Samples, 0.5f, expected);
        Assert.True(MaxAbs(expected, inside) > 1e-3);
    }

    [Fact]
    public void SidesWhoseContextsComfyUIWouldNotConcatenateRunApartInsteadOfFailing()
    {
        // 6 and 5 chunks: a common length of 30 chunks is 6× the shorter, past CONDCrossAttn.can_concat's 4×.
        var (models, checkpoint, model) = Open();
        var latent = Latent(batch: 1);
        var positive = new ConditioningList([Entry(1, chunks: 6)]);
        var negative = new ConditioningList([Entry(3, chunks: 5)]);
        Assert.True(ConditionedDenoiser.IsNeeded(positive, negative));
        using var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent, positive, negative, 5f);
        Assert.Equal(2, denoiser.CallsPerStep);

        // Independently: each side alone through the plain UNet, combined as ComfyUI's cfg_function does.
        using var cond = new UnetEpsilonModel(models.Compiled.Unet(checkpoint), latent, positive.Entries[0], null);
        using var uncond = new UnetEpsilonModel(models.Compiled.Unet(checkpoint), latent, negative.Entries[0], null);
        var length = latent.Samples.Length;
        foreach (var sigma in Sigmas)
        {
            var (c, u) = (new float[length], new float[length]);
            cond.Denoiser(length)(latent.Samples, sigma, c);
            uncond.Denoiser(length)(latent.Samples, sigma, u);
            var expected = c.Select((value, i) => u[i] + (value - u[i]) * 5f).ToArray();
            var error = MaxAbs(expected, Denoise(denoiser, latent, sigma));
            output.WriteLine($"6 vs 5 chunks, σ {sigma}: max |ΔD| against two separate calls {error:E2}");
            Assert.True(error <= Tolerance * sigma * 5f, $"max |ΔD| {error:E2} > {Tolerance * sigma * 5f:E1}");
        }
    }

    private (DiffusionModels Models, DiffusersCheckpoint Checkpoint, ModelHandle Model) Open()
    {
        var host = demo.NewHost();
        var models = (DiffusionModels)host.Services.GetService(typeof(DiffusionModels))!;
        var reference = models.Resolve(DemoCheckpoint.Name);
        return (models, models.Open(reference), new ModelHandle(reference));
    }

    private static float[] Denoise(ConditionedDenoiser denoiser, LatentBatch latent, float sigma)
    {
        var result = new float[latent.Samples.Length];
        denoiser.Denoiser(latent.Samples, sigma, result);
        return result;
    }

    private static EquatableList<ControlNetApplication> Chain(params ControlNetApplication[] applications) =>
        applications.Aggregate(EquatableList<ControlNetApplication>.Empty, (list, a) => list.Add(a));

    private static LatentBatch Latent(int batch) => new(batch, 4, Size, Size, Random(batch * 4 * Size * Size, seed: 42, scale: 4f));

    private static ConditioningEntry Entry(int seed, int chunks) => new(Random(77 * chunks * 64, seed, scale: 2f), 77 * chunks, 64, new float[64]);

    private static ImageBatch RandomImage(int batch, int height, int width, int seed) =>
        new(batch, height, width, 3, Random(batch * height * width * 3, seed, scale: 1f).Select(v => v + 0.5f).ToArray());

    /// <summary>Uniform values in [−scale/2, scale/2).</summary>
    private static float[] Random(int length, int seed, float scale)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5) * scale;
        }
        return values;
    }

    private static double MaxAbs(float[] a, float[] b) => a.Select((v, i) => Math.Abs(v - b[i])).Max();
}
