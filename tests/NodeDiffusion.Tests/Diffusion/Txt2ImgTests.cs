using System.Text.Json;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Diffusion;

public sealed class Txt2ImgTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private static Workflow Txt2Img(int steps = 4, double cfg = 8.0, ulong seed = 42, string prefix = "t2i")
    {
        var workflow = WorkflowJson.ParseFile(Path.Combine(SharedData.RepositoryRoot, "workflows", "txt2img.json")).Workflow!;
        var sampler = workflow.Nodes["3"];
        sampler.Inputs["steps"] = JsonSerializer.SerializeToElement(steps);
        sampler.Inputs["cfg"] = JsonSerializer.SerializeToElement(cfg);
        sampler.Inputs["seed"] = JsonSerializer.SerializeToElement(seed);
        workflow.Nodes["9"].Inputs["filename_prefix"] = JsonSerializer.SerializeToElement(prefix);
        return workflow;
    }

    private static async Task<(ExecutionResult Result, List<ExecutionEvent> Events, string? File)> RunAsync(EngineHost host, Workflow workflow)
    {
        var validation = host.Validator.Validate(workflow);
        Assert.True(validation.IsValid, string.Join("\n", validation.Errors));
        var events = new List<ExecutionEvent>();
        var sink = new EventFanOut();
        using var subscription = sink.Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        var result = await host.Executor.RunAsync(Guid.NewGuid().ToString(), validation.Workflow!, sink, new WorkflowSnapshot(WorkflowJson.Serialize(workflow)));
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        var saved = result.Nodes.Single(n => n.NodeType == "SaveImage").Ui.Items.GetValueOrDefault("images")?.FirstOrDefault();
        return (result, events, saved is null ? null : Path.Combine(host.Settings.Roots.Output, saved.Subfolder ?? "", saved.Filename!));
    }

    [Fact]
    public async Task TheDemoCheckpointIsWrittenWhenNoModelExists()
    {
        var host = demo.NewHost();
        Assert.True(File.Exists(Path.Combine(host.Settings.Roots.Models, "checkpoints", DemoCheckpoint.Name, "unet", "diffusion_pytorch_model.safetensors")));
        var options = host.ComboOptions.GetOptions("models/checkpoints");
        Assert.Contains(DemoCheckpoint.Name, options!);
        Assert.Contains("euler", host.ComboOptions.GetOptions("samplers")!);
        Assert.Contains("karras", host.ComboOptions.GetOptions("schedulers")!);
    }

    [Fact]
    public async Task TheSameSeedGivesABitIdenticalImageAcrossFreshHosts()
    {
        var (_, _, first) = await RunAsync(demo.NewHost(), Txt2Img(prefix: "same"));
        var (_, _, second) = await RunAsync(demo.NewHost(), Txt2Img(prefix: "same"));
        Assert.NotEqual(first, second);
        Assert.Equal(await PixelsAsync(first!), await PixelsAsync(second!));
        var (_, _, other) = await RunAsync(demo.NewHost(), Txt2Img(seed: 43, prefix: "other"));
        Assert.NotEqual(await PixelsAsync(first!), await PixelsAsync(other!));
    }

    [Fact]
    public async Task SamplingReportsEveryStepAndStreamsJpegPreviews()
    {
        var (_, events, file) = await RunAsync(demo.NewHost(), Txt2Img(steps: 5, prefix: "progress"));
        var progress = events.OfType<NodeProgress>().Where(p => p.NodeId == "3").ToList();
        Assert.Equal([1, 2, 3, 4, 5], progress.Select(p => p.Value));
        Assert.All(progress, p => Assert.Equal(5, p.Max));
        var previews = events.OfType<NodePreview>().Where(p => p.NodeId == "3").ToList();
        Assert.NotEmpty(previews);
        Assert.Equal(5, previews[^1].Frame.Step);
        Assert.Equal([0xFF, 0xD8], previews[0].Frame.Bytes[..2]);
        Assert.True(previews[0].Frame.Width <= 512);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task GuidanceOfOneSkipsTheUncondPassAndChangesTheImage()
    {
        var (_, _, guided) = await RunAsync(demo.NewHost(), Txt2Img(cfg: 8.0, prefix: "cfg8"));
        var (_, _, plain) = await RunAsync(demo.NewHost(), Txt2Img(cfg: 1.0, prefix: "cfg1"));
        Assert.NotEqual(await PixelsAsync(guided!), await PixelsAsync(plain!));
    }

    [Fact]
    public async Task ChangingOnlyTheSeedReusesTheEncodedPrompts()
    {
        var host = demo.NewHost();
        await RunAsync(host, Txt2Img(seed: 1, prefix: "reuse"));
        var (result, _, _) = await RunAsync(host, Txt2Img(seed: 2, prefix: "reuse"));
        Assert.Equal(["4", "5", "6", "7"], result.Cached.Select(n => n.NodeId).Order());
        Assert.Equal(["3", "8", "9"], result.Executed.Select(n => n.NodeId).Order());
    }

    [Fact]
    public void AMissingCheckpointIsAValidationErrorListingTheClosestNames()
    {
        var host = demo.NewHost();
        var workflow = Txt2Img();
        workflow.Nodes["4"].Inputs["ckpt_name"] = JsonSerializer.SerializeToElement("nodediffusion-dmeo");
        var error = Assert.Single(host.Validator.Validate(workflow).Errors);
        Assert.Equal((ValidationCodes.ValueNotInList, "4", "ckpt_name"), (error.Code, error.NodeId, error.InputName));
        Assert.Contains(DemoCheckpoint.Name, error.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> PixelsAsync(string path)
    {
        using var image = await SixLabors.ImageSharp.Image.LoadAsync<SixLabors.ImageSharp.PixelFormats.Rgb24>(path);
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}
