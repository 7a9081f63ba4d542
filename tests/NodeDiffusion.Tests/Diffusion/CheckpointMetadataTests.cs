using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Checkpoints.SingleFile;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Loaders;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>A single-file checkpoint's <c>__metadata__</c> (a trainer's ss_* keys) is shown on LoadCheckpoint, bounded.</summary>
public sealed class CheckpointMetadataTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private const string SingleFile = "trained.safetensors";

    private static string Checkpoints(EngineHost host) => Path.Combine(host.Settings.Roots.Models, "checkpoints");

    [Fact]
    public async Task LoadCheckpointShowsTheTrainersMetadataKeys()
    {
        var host = demo.NewHost();
        var folder = Path.Combine(Checkpoints(host), DemoCheckpoint.Name);
        var metadata = new Dictionary<string, string>
        {
            ["ss_output_name"] = "my-dreambooth",
            ["ss_learning_rate"] = "1e-06",
            ["modelspec.title"] = "line one\nline two\u001b[31m",
            ["ss_tag_frequency"] = new string('x', 5000),
        };
        SingleFileCheckpointWriter.Write(DiffusersCheckpoint.Open(folder), Path.Combine(Checkpoints(host), SingleFile), extraMetadata: metadata);
        var tokenizers = Path.Combine(host.Settings.Roots.Models, "tokenizers", "clip-vit-large-patch14");
        Directory.CreateDirectory(tokenizers);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "tokenizer")))
        {
            File.Copy(file, Path.Combine(tokenizers, Path.GetFileName(file)), overwrite: true);
        }

        var workflow = WorkflowRuns.Load("txt2img.json", "metadata");
        workflow.Set("4", "ckpt_name", SingleFile);
        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        var text = Assert.Single(result.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"]).Text!;
        var lines = text.Split('\n');
        Assert.Contains("ss_output_name: my-dreambooth", lines);
        Assert.Contains("ss_learning_rate: 1e-06", lines);
        Assert.Contains("modelspec.title: line one line two [31m", lines);
        Assert.Contains("ss_tag_frequency: " + new string('x', CheckpointMetadata.MaxValueChars) + "…", lines);
        Assert.All(lines, l => Assert.True(l.Length <= (2 * CheckpointMetadata.MaxValueChars) + 4, l));

        // The demo folder has no metadata: nothing is shown.
        var plain = WorkflowRuns.Load("txt2img.json", "plain");
        var (plainResult, _) = await WorkflowRuns.RunAsync(host, plain);
        Assert.False(plainResult.Nodes.Single(n => n.NodeId == "4").Ui.Items.ContainsKey("text"));
    }

    [Fact]
    public void AtMostTwentyKeysAreShown()
    {
        var many = Enumerable.Range(0, 50).ToDictionary(i => $"ss_key_{i:D2}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var lines = CheckpointMetadata.Describe(many)!.Split('\n');
        Assert.Equal(CheckpointMetadata.MaxKeys + 1, lines.Length);
        Assert.Equal("ss_key_00: 0", lines[0]);
        Assert.Equal("… and 30 more keys", lines[^1]);
        Assert.Null(CheckpointMetadata.Describe(new Dictionary<string, string>()));
    }
}
