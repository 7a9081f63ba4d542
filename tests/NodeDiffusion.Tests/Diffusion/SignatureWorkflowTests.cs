using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Nodes.Diffusion.Services;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>
/// The signature workflow: IP-Adapter style from a reference image and ControlNet pose from an OpenPose rendering,
/// both on one KSampler. Node 10 is the IP-Adapter, 32 the ControlNet application, 31 the pose rendering.
/// </summary>
public sealed class SignatureWorkflowTests(DemoPipelineFixture demo, ITestOutputHelper output) : IClassFixture<DemoPipelineFixture>
{
    private const string IpAdapter = "10";
    private const string ControlNet = "32";

    private static Workflow Load(string prefix) => WorkflowRuns.Load("ipadapter-style-controlnet-pose.json", prefix);

    private static Workflow Without(string prefix, params string[] bypassed)
    {
        var workflow = Load(prefix);
        foreach (var node in bypassed)
        {
            workflow.Nodes[node].Mode = NodeMode.Bypassed;
        }
        return workflow;
    }

    [Fact]
    public async Task StyleAndPoseEachChangeTheImageAndAtZeroStrengthTheyVanishBitForBit()
    {
        var host = demo.NewHost();
        var plain = await WorkflowRuns.PixelsAsync(host, Without("plain", IpAdapter, ControlNet));
        var styleOnly = await WorkflowRuns.PixelsAsync(host, Without("style", ControlNet));
        var poseOnly = await WorkflowRuns.PixelsAsync(host, Without("pose", IpAdapter));
        var both = await WorkflowRuns.PixelsAsync(host, Load("both"));

        var images = new[] { plain, styleOnly, poseOnly, both };
        for (var i = 0; i < images.Length; i++)
        {
            for (var j = i + 1; j < images.Length; j++)
            {
                Assert.NotEqual(images[i], images[j]);
            }
        }
        output.WriteLine($"mean |Δ| vs plain: style {MeanDifference(styleOnly, plain):F2}, pose {MeanDifference(poseOnly, plain):F2}, both {MeanDifference(both, plain):F2}");

        var zero = Load("zero");
        zero.Set(IpAdapter, "weight", 0.0);
        zero.Set(ControlNet, "strength", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, zero));
    }

    [Fact]
    public async Task TheAdapterActsTheSameOnTheMultiEntryPathAsOnTheSinglePassPath()
    {
        // Combining the positive prompt with itself forces the per-entry (calc_cond_batch) path, where each side's UNet
        // call binds its own IP-Adapter tokens: the conditional side the image's, the unconditional side the negative
        // embeds. The weighted mean of two equal entries is the entry itself, so the image must match the single-pass
        // one up to float summation order; feeding the wrong tokens to a side moves it far more.
        var host = demo.NewHost();
        var single = await WorkflowRuns.PixelsAsync(host, Without("single", ControlNet));
        var combined = Without("combined", ControlNet);
        combined.Nodes["40"] = new WorkflowNode { Type = "ConditioningCombine" };
        combined.Nodes["40"].Links["conditioning_1"] = new LinkRef("6", 0);
        combined.Nodes["40"].Links["conditioning_2"] = new LinkRef("6", 0);
        combined.Nodes["3"].Links["positive"] = new LinkRef("40", 0);
        var viaEntries = await WorkflowRuns.PixelsAsync(host, combined);

        var difference = MeanDifference(single, viaEntries);
        output.WriteLine($"mean |Δ| single-pass vs per-entry with IP-Adapter: {difference:F4} of 255");
        Assert.True(difference < 0.5, $"The per-entry path with an IP-Adapter should match the single-pass path (mean |Δ| {difference:F3}).");
    }

    [Fact]
    public async Task ChangingTheAdapterWeightAndTheControlStrengthCompilesNothingNew()
    {
        var host = demo.NewHost();
        var models = (DiffusionModels)host.Services.GetService(typeof(DiffusionModels))!;
        // A control acting over part of the schedule runs the UNet with residual inputs (zeros outside its range); the
        // first run compiles it, and no later change of weights or ranges compiles anything again.
        var warm = Load("reuse-1");
        warm.Set(ControlNet, "end_percent", 0.9);
        var first = await WorkflowRuns.PixelsAsync(host, warm);
        var compiled = models.Compiled.Compilations;

        var changed = Load("reuse-2");
        changed.Set(IpAdapter, "weight", 0.5);
        changed.Set(IpAdapter, "weight_type", "ease out");
        changed.Set(ControlNet, "strength", 0.7);
        changed.Set(ControlNet, "start_percent", 0.2);
        changed.Set(ControlNet, "end_percent", 0.6);
        var second = await WorkflowRuns.PixelsAsync(host, changed);

        Assert.NotEqual(first, second);
        Assert.Equal(compiled, models.Compiled.Compilations);
    }

    private static double MeanDifference(byte[] a, byte[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Average();
}
