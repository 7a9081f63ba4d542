using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Services;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Tests.Diffusion;

public sealed class IpAdapterWorkflowTests(DemoPipelineFixture demo, ITestOutputHelper output) : IClassFixture<DemoPipelineFixture>
{
    private EngineHost NewHost() => demo.NewHost();

    private static Workflow Load(string prefix) => WorkflowRuns.Load("ipadapter-style.json", prefix);

    [Fact]
    public async Task TheWorkflowRunsAndChangesTheImageWhileWeightZeroIsBitIdenticalToNoAdapter()
    {
        var host = NewHost();
        Assert.True(File.Exists(Path.Combine(host.Settings.Roots.Models, "clip_vision", DemoClipVision.FileName)));
        Assert.True(File.Exists(Path.Combine(host.Settings.Roots.Models, "ipadapter", DemoIpAdapter.FileName)));

        var bypassed = Load("ip-bypassed");
        bypassed.Nodes["10"].Mode = NodeMode.Bypassed;
        var plain = await WorkflowRuns.PixelsAsync(host, bypassed);

        var zero = Load("ip-zero");
        zero.Set("10", "weight", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, zero));

        var on = await WorkflowRuns.PixelsAsync(host, Load("ip-on"));
        Assert.NotEqual(plain, on);
        var meanDifference = on.Zip(plain, (a, b) => Math.Abs(a - b)).Average();
        output.WriteLine($"mean |Δ| between IP-Adapter and plain: {meanDifference:F2} of 255");
        Assert.True(meanDifference > 1.0, $"The demo IP-Adapter should visibly change the image (mean |Δ| {meanDifference:F2}).");

        // Outside [σ(end_at), σ(start_at)] the adapter does nothing: this range lies between the last σ of the schedule
        // (σ_min, timestep 0) and the one before it, so no step is inside it.
        var late = Load("ip-late");
        late.Set("10", "start_at", 0.998);
        late.Set("10", "end_at", 0.999);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, late));
    }

    [Fact]
    public async Task TheAttentionMaskLimitsWhereTheAdapterActs()
    {
        var host = NewHost();
        // LoadImage's mask is 1 − alpha: transparent pixels are where the adapter acts.
        WriteMask(host, "mask-nowhere.png", _ => false);
        WriteMask(host, "mask-everywhere.png", _ => true);
        WriteMask(host, "mask-left.png", x => x < 32);

        var bypassed = Load("mask-bypassed");
        bypassed.Nodes["10"].Mode = NodeMode.Bypassed;
        var plain = await WorkflowRuns.PixelsAsync(host, bypassed);
        var unmasked = await WorkflowRuns.PixelsAsync(host, Load("mask-unmasked"));

        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, Masked("mask-nowhere.png")));
        var everywhere = await WorkflowRuns.PixelsAsync(host, Masked("mask-everywhere.png"));
        Assert.True(MeanDifference(everywhere, unmasked) < 0.5, $"an all-ones mask should act as no mask (mean |Δ| {MeanDifference(everywhere, unmasked):F2})");
        var left = await WorkflowRuns.PixelsAsync(host, Masked("mask-left.png"));
        Assert.NotEqual(plain, left);
        Assert.NotEqual(unmasked, left);
        // The adapter moves the left half (where the mask is 1) further from the plain image than the right half.
        Assert.True(HalfDifference(left, plain, leftHalf: true) > HalfDifference(left, plain, leftHalf: false));
    }

    private static Workflow Masked(string maskFile)
    {
        var workflow = Load("masked-" + Path.GetFileNameWithoutExtension(maskFile));
        workflow.Nodes["30"] = new WorkflowNode { Type = "LoadImage" };
        workflow.Set("30", "image", maskFile);
        workflow.Nodes["10"].Links["attn_mask"] = new LinkRef("30", 1);
        return workflow;
    }

    private static void WriteMask(EngineHost host, string name, Func<int, bool> transparentColumn)
    {
        using var image = new Image<Rgba32>(64, 64);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                image[x, y] = new Rgba32(128, 128, 128, transparentColumn(x) ? (byte)0 : (byte)255);
            }
        }
        Directory.CreateDirectory(host.Settings.Roots.Input);
        image.SaveAsPng(Path.Combine(host.Settings.Roots.Input, name));
    }

    private static double MeanDifference(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    /// <summary>Mean |Δ| over the left or right half of two 256×256 RGB images.</summary>
    private static double HalfDifference(byte[] a, byte[] b, bool leftHalf)
    {
        double sum = 0;
        var count = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var x = i / 3 % 256;
            if ((x < 128) == leftHalf)
            {
                sum += Math.Abs(a[i] - b[i]);
                count++;
            }
        }
        return sum / count;
    }

    [Fact]
    public async Task ChangingWeightTypeScalingAndRangeReusesTheCompiledUnet()
    {
        var host = NewHost();
        var models = (DiffusionModels)host.Services.GetService(typeof(DiffusionModels))!;
        var first = await WorkflowRuns.PixelsAsync(host, Load("reuse-1"));
        var compiled = models.Compiled.Compilations;

        var changed = Load("reuse-2");
        changed.Set("10", "weight", 0.6);
        changed.Set("10", "weight_type", "ease in");
        changed.Set("10", "embeds_scaling", "K+V w/ C penalty");
        changed.Set("10", "start_at", 0.2);
        changed.Set("10", "end_at", 0.8);
        var second = await WorkflowRuns.PixelsAsync(host, changed);
        Assert.NotEqual(first, second);
        Assert.Equal(compiled, models.Compiled.Compilations);
    }

    [Fact]
    public async Task ALoraGivenAsIpAdapterIsAClearErrorNamingTheFile()
    {
        var host = NewHost();
        File.Copy(Path.Combine(host.Settings.Roots.Models, "loras", DemoLora.FileName), Path.Combine(host.Settings.Roots.Models, "ipadapter", "a-lora.safetensors"), overwrite: true);
        var workflow = Load("lora-as-ip");
        workflow.Set("12", "ipadapter_file", "a-lora.safetensors");
        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("a-lora.safetensors", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("is not an IP-Adapter", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("image_proj", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutClipVisionTheErrorSaysWhatToConnect()
    {
        var host = NewHost();
        var workflow = Load("no-clip-vision");
        workflow.Nodes["10"].Links.Remove("clip_vision");
        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("LoadClipVision", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepTimesWithAndWithoutTheAdapter()
    {
        // A measurement for the report, not an assertion on time.
        var host = NewHost();
        var plain = Load("time-plain");
        plain.Nodes["10"].Mode = NodeMode.Bypassed;
        await WorkflowRuns.PixelsAsync(host, plain);
        await WorkflowRuns.PixelsAsync(host, Load("time-ip-warm"));
        var timings = new Dictionary<string, double>();
        foreach (var (name, bypass) in new[] { ("plain", true), ("ip-adapter", false) })
        {
            var workflow = WorkflowRuns.Load("ipadapter-style.json", "time-" + name, steps: 10, seed: 7);
            workflow.Nodes["10"].Mode = bypass ? NodeMode.Bypassed : NodeMode.Normal;
            var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
            Assert.Equal(ExecutionStatus.Success, result.Status);
            var sampler = result.Nodes.Single(n => n.NodeId == "3");
            timings[name] = sampler.Milliseconds / 10.0;
        }
        output.WriteLine($"KSampler ms/step (256×256, cfg 8, batch 2 per UNet call): plain {timings["plain"]:F1}, with IP-Adapter {timings["ip-adapter"]:F1}");
    }
}
