using System.Text.Json;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>Loading the shipped workflows with short sampling, running them, and reading their images.</summary>
internal static class WorkflowRuns
{
    public static Workflow Load(string file, string prefix, int steps = 4, ulong seed = 42)
    {
        var workflow = WorkflowJson.ParseFile(Path.Combine(SharedData.RepositoryRoot, "workflows", file)).Workflow!;
        workflow.Nodes["3"].Inputs["steps"] = JsonSerializer.SerializeToElement(steps);
        workflow.Nodes["3"].Inputs["seed"] = JsonSerializer.SerializeToElement(seed);
        workflow.Nodes["9"].Inputs["filename_prefix"] = JsonSerializer.SerializeToElement(prefix);
        return workflow;
    }

    public static void Set(this Workflow workflow, string node, string input, object value) =>
        workflow.Nodes[node].Inputs[input] = JsonSerializer.SerializeToElement(value);

    public static async Task<(ExecutionResult Result, List<ExecutionEvent> Events)> RunAsync(EngineHost host, Workflow workflow)
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
        return (result, events);
    }

    /// <summary>The RGB pixels of the image the workflow saved; fails the test when the run failed.</summary>
    public static async Task<byte[]> PixelsAsync(EngineHost host, Workflow workflow)
    {
        var (result, _) = await RunAsync(host, workflow);
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        var saved = result.Nodes.Single(n => n.NodeType == "SaveImage").Ui.Items["images"].Single();
        using var image = await SixLabors.ImageSharp.Image.LoadAsync<SixLabors.ImageSharp.PixelFormats.Rgb24>(
            Path.Combine(host.Settings.Roots.Output, saved.Subfolder ?? "", saved.Filename!));
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}
