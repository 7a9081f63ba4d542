using NodeDiffusion.Engine;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Demo;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>The shipped ControlNet workflow on the demo models, end to end through the engine.</summary>
public sealed class ControlNetTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    [Fact]
    public async Task TheDemoControlNetChangesTheImageAndStrengthZeroOrAnEmptyRangeLeaveItBitIdentical()
    {
        var host = demo.NewHost();
        Assert.True(File.Exists(Path.Combine(host.Settings.Roots.Models, "controlnet", DemoControlNet.FileName)));
        var plain = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("txt2img.json", "plain"));

        var controlled = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("controlnet-pose.json", "controlled"));
        Assert.NotEqual(plain, controlled);

        var off = WorkflowRuns.Load("controlnet-pose.json", "strength-zero");
        off.Set("12", "strength", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, off));

        var never = WorkflowRuns.Load("controlnet-pose.json", "end-zero");
        never.Set("12", "end_percent", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, never));

        var lateOnly = WorkflowRuns.Load("controlnet-pose.json", "late-only");
        lateOnly.Set("12", "start_percent", 0.5);
        var late = await WorkflowRuns.PixelsAsync(host, lateOnly);
        Assert.NotEqual(plain, late);
        Assert.NotEqual(controlled, late);
    }

    [Fact]
    public async Task ALoraInTheControlNetFolderIsANodeErrorNamingTheFile()
    {
        var host = demo.NewHost();
        var models = host.Settings.Roots.Models;
        File.Copy(Path.Combine(models, "loras", DemoLora.FileName), Path.Combine(models, "controlnet", "actually-a-lora.safetensors"), overwrite: true);
        var workflow = WorkflowRuns.Load("controlnet-pose.json", "wrong-file");
        workflow.Set("10", "control_net_name", "actually-a-lora.safetensors");

        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("actually-a-lora.safetensors is not a ControlNet", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("LoRA", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AControlNetThatDoesNotFitTheCheckpointIsANodeErrorNamingIt()
    {
        var host = demo.NewHost();
        var folder = Path.Combine(host.Settings.Roots.Models, "controlnet");
        using (var source = SafetensorsFile.Open(Path.Combine(folder, DemoControlNet.FileName)))
        {
            // One residual conv fewer than the demo UNet has skips: a ControlNet of another model family.
            var tensors = source.Tensors.Where(t => !t.Name.StartsWith("controlnet_down_blocks.7.", StringComparison.Ordinal))
                .Select(t => SafetensorsTensor.FromFloat32(t.Name, t.Shape, source.ReadFloat32(t.Name))).ToList();
            SafetensorsWriter.WriteFile(Path.Combine(folder, "other-family.safetensors"), tensors);
        }
        var workflow = WorkflowRuns.Load("controlnet-pose.json", "misfit");
        workflow.Set("10", "control_net_name", "other-family.safetensors");

        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("other-family.safetensors", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("skip connections", result.Error.Message, StringComparison.Ordinal);
    }
}
