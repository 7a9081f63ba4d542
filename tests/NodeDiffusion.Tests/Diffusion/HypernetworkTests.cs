using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Values;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Diffusion;

public sealed class HypernetworkTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    [Fact]
    public async Task TheHypernetworkWorkflowRunsAndStrengthZeroIsBitIdenticalToNone()
    {
        var host = demo.NewHost();
        var plain = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("txt2img.json", "plain"));
        var off = WorkflowRuns.Load("hypernetwork.json", "hn-off");
        off.Set("10", "strength", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, off));

        var (result, events) = await WorkflowRuns.RunAsync(host, WorkflowRuns.Load("hypernetwork.json", "hn-on"));
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        Assert.DoesNotContain(events.OfType<NodeWarning>(), w => w.NodeId == "10");
        var on = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("hypernetwork.json", "hn-on-again"));
        Assert.NotEqual(plain, on);
        var half = WorkflowRuns.Load("hypernetwork.json", "hn-half");
        half.Set("10", "strength", 0.5);
        var halfPixels = await WorkflowRuns.PixelsAsync(host, half);
        Assert.NotEqual(plain, halfPixels);
        Assert.NotEqual(on, halfPixels);
    }

    [Fact]
    public async Task AMaliciousPickleIsANodeErrorNamingTheFileAndTheRefusedGlobal()
    {
        var host = demo.NewHost();
        var folder = Path.Combine(host.Settings.Roots.Models, "hypernetworks");
        Directory.CreateDirectory(folder);
        var marker = Path.Combine(Path.GetTempPath(), $"nd-pwned-{Guid.NewGuid():N}");
        TorchZipWriter.Write(Path.Combine(folder, "evil.pt"), [new("activation_func", TorchZipWriter.Call("os", "system", "touch " + marker))]);
        var workflow = WorkflowRuns.Load("hypernetwork.json", "evil");
        workflow.Set("10", "hypernetwork_name", "evil.pt");
        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("10", result.Error!.NodeId);
        Assert.False(result.Error.IsInternal, result.Error.Message);
        Assert.Equal("hypernetwork_name", result.Error.InputName);
        Assert.Contains("evil.pt", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("os.system", result.Error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task AHypernetworkForOtherWidthsIsAWarningAndChangesNothing()
    {
        var host = demo.NewHost();
        var folder = Path.Combine(host.Settings.Roots.Models, "hypernetworks");
        Directory.CreateDirectory(folder);
        var tensors = new List<SafetensorsTensor>();
        foreach (var part in new[] { 0, 1 })
        {
            tensors.Add(SafetensorsTensor.FromFloat32($"768.{part}.linear.0.weight", [768, 768], new float[768 * 768]));
            tensors.Add(SafetensorsTensor.FromFloat32($"768.{part}.linear.0.bias", [768], new float[768]));
        }
        SafetensorsWriter.WriteFile(Path.Combine(folder, "sd15-only.safetensors"), tensors);
        var workflow = WorkflowRuns.Load("hypernetwork.json", "other-widths");
        workflow.Set("10", "hypernetwork_name", "sd15-only.safetensors");
        var (result, events) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        var warning = Assert.Single(events.OfType<NodeWarning>(), w => w.NodeId == "10");
        Assert.Contains("768", warning.Message, StringComparison.Ordinal);
        Assert.Equal(await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("txt2img.json", "plain-2")), await WorkflowRuns.PixelsAsync(host, workflow));
    }

    /// <summary>The ControlNet path compiles its own UNet: the hypernetwork must reach it too, and strength 0 must leave it alone.</summary>
    [Fact]
    public async Task TheHypernetworkAlsoAppliesUnderAControlNet()
    {
        var host = demo.NewHost();
        var controlled = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("controlnet-pose.json", "cn-plain"));
        NodeDiffusion.Graph.Workflows.Workflow WithHypernetwork(double strength, string prefix)
        {
            var workflow = WorkflowRuns.Load("controlnet-pose.json", prefix);
            var node = new NodeDiffusion.Graph.Workflows.WorkflowNode { Type = "LoadHypernetwork" };
            node.Links["model"] = new NodeDiffusion.Graph.Workflows.LinkRef("4", 0);
            workflow.Nodes["20"] = node;
            workflow.Set("20", "hypernetwork_name", DemoHypernetwork.FileName);
            workflow.Set("20", "strength", strength);
            workflow.Nodes["3"].Links["model"] = new NodeDiffusion.Graph.Workflows.LinkRef("20", 0);
            return workflow;
        }
        Assert.Equal(controlled, await WorkflowRuns.PixelsAsync(host, WithHypernetwork(0.0, "cn-hn-off")));
        Assert.NotEqual(controlled, await WorkflowRuns.PixelsAsync(host, WithHypernetwork(1.0, "cn-hn-on")));
    }

    [Fact]
    public void HandlesDifferByHypernetworkOrderStrengthAndFile()
    {
        var checkpoint = new CheckpointRef("demo", "/models/checkpoints/demo", "fp");
        var a = new HypernetworkPatch("a.pt", "/models/hypernetworks/a.pt", "1:2", 1.0);
        var b = new HypernetworkPatch("b.pt", "/models/hypernetworks/b.pt", "3:4", 0.5);
        var handle = new ModelHandle(checkpoint) { Hypernetworks = EquatableList<HypernetworkPatch>.Empty.Add(a).Add(b) };
        Assert.Equal(handle, new ModelHandle(checkpoint) { Hypernetworks = EquatableList<HypernetworkPatch>.Empty.Add(a with { }).Add(b with { }) });
        Assert.Equal(handle.GetHashCode(), (handle with { }).GetHashCode());
        Assert.NotEqual(handle, new ModelHandle(checkpoint));
        Assert.NotEqual(handle, handle with { Hypernetworks = EquatableList<HypernetworkPatch>.Empty.Add(b).Add(a) });
        Assert.NotEqual(handle, handle with { Hypernetworks = EquatableList<HypernetworkPatch>.Empty.Add(a with { Strength = 0.9 }).Add(b) });
        Assert.NotEqual(handle, handle with { Hypernetworks = EquatableList<HypernetworkPatch>.Empty.Add(a with { Fingerprint = "1:3" }).Add(b) });
        Assert.Equal([1f, 0.5f], handle.HypernetworkApplications.Select(h => h.Strength));
    }

    [Fact]
    public void TheDemoHypernetworkIsWrittenWithTheDemo()
    {
        _ = demo.NewHost();
        var path = Path.Combine(demo.Settings.Roots.Models, "hypernetworks", DemoHypernetwork.FileName);
        var network = NodeDiffusion.Models.Weights.Hypernetworks.HypernetworkFile.Read(path);
        Assert.Equal([32L, 64], network.Modules.Select(m => m.Dim));
    }
}
