using System.Text.Json;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>
/// The preview method chosen per prompt (ComfyUI's extra_data.preview_method, carried as <see cref="PromptOptions"/>) or by
/// the host, on a real txt2img run on the demo model. models/vae_approx holds an unreadable taesd_decoder.pth, so a run
/// that looks for TAESD says so in a warning, and one that never loads it stays silent.
/// </summary>
public sealed class PreviewMethodTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private const string Sampler = "3";

    private EngineHost HostWithBrokenTaesd()
    {
        var host = demo.NewHost();
        var folder = Path.Combine(host.Settings.Roots.Models, TaesdPreviewDecoders.Folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "taesd_decoder.pth"), "not a checkpoint");
        return host;
    }

    /// <summary>A short txt2img; each run gets its own seed, since the preview method is not in the sampler's cache signature.</summary>
    private static Workflow Txt2Img(string prefix)
    {
        var workflow = WorkflowJson.ParseFile(Path.Combine(SharedData.RepositoryRoot, "workflows", "txt2img.json")).Workflow!;
        workflow.Nodes[Sampler].Inputs["steps"] = JsonSerializer.SerializeToElement(3);
        workflow.Nodes[Sampler].Inputs["seed"] = JsonSerializer.SerializeToElement(prefix.Aggregate(17UL, (hash, c) => (hash * 31) + c) % 1_000_000);
        workflow.Nodes["9"].Inputs["filename_prefix"] = JsonSerializer.SerializeToElement(prefix);
        return workflow;
    }

    private static async Task<(ExecutionResult Result, List<NodePreview> Previews, List<NodeProgress> Progress, IReadOnlyList<string> Warnings)> RunAsync(
        EngineHost host, string prefix, PromptOptions? options)
    {
        var validation = host.Validator.Validate(Txt2Img(prefix));
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
        var result = await host.Executor.RunAsync(Guid.NewGuid().ToString(), validation.Workflow!, sink, WorkflowSnapshot.None,
            TestContext.Current.CancellationToken, options);
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        Assert.Single(result.Nodes, n => n.NodeType == "SaveImage" && n.Ui.Items.ContainsKey("images"));
        lock (events)
        {
            return (result, events.OfType<NodePreview>().Where(p => p.NodeId == Sampler).ToList(),
                events.OfType<NodeProgress>().Where(p => p.NodeId == Sampler).ToList(),
                result.Nodes.Single(n => n.NodeId == Sampler).Warnings);
        }
    }

    [Fact]
    public async Task NoneSendsNoPreviewsButTheStepsAndTheImage()
    {
        var (_, previews, progress, warnings) = await RunAsync(HostWithBrokenTaesd(), "none", new PromptOptions("none"));
        Assert.Empty(previews);
        Assert.Equal([1, 2, 3], progress.Select(p => p.Value));
        Assert.Empty(warnings); // the decoder was never looked at
    }

    [Fact]
    public async Task Latent2RgbPreviewsWithoutEverLoadingTaesd()
    {
        var host = HostWithBrokenTaesd();
        var (_, previews, _, warnings) = await RunAsync(host, "l2r", new PromptOptions("latent2rgb"));
        Assert.NotEmpty(previews);
        Assert.Equal(3, previews[^1].Frame.Step);
        Assert.Equal(256, previews[^1].Frame.Width); // the 32² latent scaled 8×; a TAESD frame would be 512 wide
        Assert.Empty(warnings);

        // The same host with taesd asked for: it tries the decoder, says why it cannot, and previews by latent2rgb.
        var (_, fallback, _, taesdWarnings) = await RunAsync(host, "taesd", new PromptOptions("taesd"));
        Assert.NotEmpty(fallback);
        Assert.Contains(taesdWarnings, w => w.Contains(TaesdPreviewDecoders.Folder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APromptWithoutAMethodUsesTheHostDefaultAndOneWithAMethodOverridesIt()
    {
        var host = demo.NewHost();
        host.Services.Add(new PreviewOptions(PreviewMethod.None));
        var (_, hostDefault, _, _) = await RunAsync(host, "host-none", null);
        Assert.Empty(hostDefault);
        var (_, asDefault, _, _) = await RunAsync(host, "default", new PromptOptions("default"));
        Assert.Empty(asDefault);
        var (_, overridden, _, _) = await RunAsync(host, "override", new PromptOptions("latent2rgb"));
        Assert.NotEmpty(overridden);
    }

    [Fact]
    public void ClientNamesParseLikeComfyUi()
    {
        Assert.True(PreviewMethodNames.TryParse(null, out var none) && none is null);
        Assert.True(PreviewMethodNames.TryParse("default", out var fallback) && fallback is null);
        Assert.True(PreviewMethodNames.TryParse(" TAESD ", out var taesd) && taesd == PreviewMethod.Taesd);
        Assert.False(PreviewMethodNames.TryParse("fast", out _));
        Assert.All(PreviewMethodNames.All, name => Assert.True(PreviewMethodNames.TryParse(name, out _)));
        var services = new NodeServices().Add(new PreviewOptions(PreviewMethod.Taesd));
        Assert.Equal(PreviewMethod.Taesd, PreviewOptions.For(services));
    }
}
