using System.Text.Json.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

public sealed class ComfyInteropCliTests : IDisposable
{
    private readonly TempDirectory _work = new("nd-comfy");

    public void Dispose() => _work.Dispose();

    private static string Workflow(string name) => Path.Combine(SharedData.RepositoryRoot, "workflows", name);

    [Fact]
    public async Task ConvertsToComfyApiAndUiAndBackWithTheSameSemantics()
    {
        var api = _work.Combine("api.json");
        var ui = _work.Combine("ui.json");
        var back = _work.Combine("back.json");
        Assert.Equal(0, (await CliProcess.RunAsync(_work.Path, "convert", Workflow("txt2img.json"), api, "--to", "comfy-api")).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(_work.Path, "convert", Workflow("txt2img.json"), ui, "--to", "comfy-ui")).ExitCode);
        var prompt = JsonNode.Parse(File.ReadAllText(api))!;
        Assert.Equal("CheckpointLoaderSimple", prompt["4"]!["class_type"]!.GetValue<string>());
        Assert.Equal("KSampler", prompt["3"]!["class_type"]!.GetValue<string>());
        Assert.Equal("""["4",0]""", prompt["3"]!["inputs"]!["model"]!.ToJsonString());
        var uiDocument = JsonNode.Parse(File.ReadAllText(ui))!;
        Assert.Equal(0.4, uiDocument["version"]!.GetValue<double>());
        var sampler = uiDocument["nodes"]!.AsArray().Single(n => n!["type"]!.GetValue<string>() == "KSampler")!;
        Assert.Equal(156680208700286UL, sampler["widgets_values"]![0]!.GetValue<ulong>());

        var converted = await CliProcess.RunAsync(_work.Path, "convert", ui, back, "--to", "native");
        Assert.True(converted.ExitCode == 0, converted.StandardError);
        var native = JsonNode.Parse(File.ReadAllText(back))!;
        var original = JsonNode.Parse(File.ReadAllText(Workflow("txt2img.json")))!;
        Assert.Equal(original["nodes"]!["3"]!["inputs"]!.ToJsonString(), native["nodes"]!["3"]!["inputs"]!.ToJsonString());
        Assert.Equal(original["nodes"]!["3"]!["links"]!.ToJsonString(), native["nodes"]!["3"]!["links"]!.ToJsonString());
        Assert.Equal(0, (await CliProcess.RunAsync(_work.Path, "validate", back)).ExitCode);
    }

    [Fact]
    public async Task RunsAComfyUiExampleImageOnTheDemoModelAndSavesComfyChunks()
    {
        var example = SharedData.Require("real-data/workflows/comfyui-examples/img2img_img2img_workflow.png");
        var photo = SharedData.Require("real-data/photos/a1111_img2img_basic.png");
        Directory.CreateDirectory(_work.Combine("input"));
        File.Copy(photo, _work.Combine("input", "example.png"));
        var result = await CliProcess.RunAsync(_work.Path, "run", example, "--map-models", "demo", "--set", "3.steps=2", "--report", "r.json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("model_renamed", result.StandardError, StringComparison.Ordinal);
        var saved = Directory.EnumerateFiles(_work.Combine("output"), "*.png").Single();
        var chunks = PngTextChunks.Read(saved);
        Assert.Equal("KSampler", JsonNode.Parse(chunks["prompt"])!["3"]!["class_type"]!.GetValue<string>());
        Assert.NotNull(JsonNode.Parse(chunks["workflow"])!["nodes"]);
        Assert.Equal("nodediffusion.workflow", JsonNode.Parse(chunks["nodediffusion"])!["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnExampleWithoutMappingNamesTheMissingModel()
    {
        var example = SharedData.Require("real-data/workflows/comfyui-examples/img2img_img2img_workflow.png");
        var result = await CliProcess.RunAsync(_work.Path, "validate", example, "--json");
        Assert.Equal(2, result.ExitCode);
        var errors = JsonNode.Parse(result.StandardOutput)!["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["input_name"]!.GetValue<string>() == "ckpt_name" && e["message"]!.GetValue<string>().Contains("v1-5-pruned-emaonly.ckpt", StringComparison.Ordinal));
    }
}
