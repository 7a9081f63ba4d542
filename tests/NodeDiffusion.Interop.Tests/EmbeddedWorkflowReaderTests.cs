using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Metadata;
using NodeDiffusion.Interop.Png;
using NodeDiffusion.Interop.Tests.TestNodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Interop.Tests;

public sealed class EmbeddedWorkflowReaderTests
{
    private const string UiWorkflow = """{"nodes": [{"id": 1, "type": "CheckpointLoaderSimple", "mode": 0, "widgets_values": ["from-workflow.safetensors"]}], "links": [], "version": 0.4}""";
    private const string ApiPrompt = """{"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "from-prompt.safetensors"}}}""";
    private const string Parameters = "a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, Model: from-parameters";

    private static readonly string Native = WorkflowJson.Serialize(NativeWorkflow());

    private static Workflow NativeWorkflow()
    {
        var workflow = new Workflow();
        var node = new WorkflowNode { Type = "LoadCheckpoint" };
        node.Inputs["ckpt_name"] = System.Text.Json.JsonSerializer.SerializeToElement("from-native.safetensors");
        workflow.Nodes["1"] = node;
        return workflow;
    }

    private static EmbeddedWorkflowReader Reader => new(TestRegistry.Options);

    private static string? CheckpointOf(params PngTextChunk[] chunks)
    {
        var found = Reader.Read(chunks, out _);
        return found?.Import.Workflow.Nodes["1"].Inputs["ckpt_name"].GetString();
    }

    private static PngTextChunk Chunk(string keyword, string text) => new(keyword, text, "tEXt");

    [Fact]
    public void Load_order_is_native_then_workflow_then_prompt_then_parameters()
    {
        Assert.Equal("from-native.safetensors",
            CheckpointOf(Chunk("parameters", Parameters), Chunk("prompt", ApiPrompt), Chunk("workflow", UiWorkflow), Chunk("nodediffusion", Native)));
        Assert.Equal("from-workflow.safetensors", CheckpointOf(Chunk("parameters", Parameters), Chunk("prompt", ApiPrompt), Chunk("workflow", UiWorkflow)));
        Assert.Equal("from-prompt.safetensors", CheckpointOf(Chunk("parameters", Parameters), Chunk("prompt", ApiPrompt)));
        Assert.Equal("from-parameters.safetensors", CheckpointOf(Chunk("parameters", Parameters)));
    }

    [Fact]
    public void An_unreadable_chunk_falls_through_to_the_next_and_is_reported()
    {
        var found = Reader.Read([Chunk("workflow", "{not json"), Chunk("prompt", ApiPrompt)], out var problems);

        Assert.Equal("prompt", found?.Keyword);
        Assert.Contains(problems, p => p.Contains("'workflow' could not be read"));
    }

    [Fact]
    public void An_image_without_metadata_says_what_it_has()
    {
        var found = Reader.Read([Chunk("Software", "paint")], out var problems);

        Assert.Null(found);
        Assert.Contains("Software", Assert.Single(problems));
    }

    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Real_comfyui_pngs_open_from_their_workflow_chunk(string name)
    {
        var found = Reader.ReadFile(RealData.Example(name), out _);

        Assert.Equal("workflow", found?.Keyword);
        Assert.Equal(ComfyFormat.UiWorkflow, found!.Import.Format);
    }

    [Fact]
    public void Written_png_opens_again_through_the_reader()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("out.png");
        File.WriteAllBytes(path, PngTextWriter.AddText(TestPng.Build(), [new("prompt", ApiPrompt), new("workflow", UiWorkflow)], compress: true));

        var found = Reader.ReadFile(path, out _);

        Assert.Equal("workflow", found?.Keyword);
    }

    [Theory]
    [InlineData("sdparsers_automatic1111_cropped.png", "parameters", "realistic_realisticVisionV20_v20.safetensors")]
    [InlineData("sdparsers_automatic1111_cropped.jpg", "parameters", "realistic_realisticVisionV20_v20.safetensors")]
    [InlineData("sdparsers_img2img_cropped.png", "workflow", null)]
    public void Real_metadata_images_open(string file, string keyword, string? checkpoint)
    {
        var found = Reader.ReadFile(SharedData.Require($"{RealData.MetadataFolder}/{file}"), out _);

        Assert.Equal(keyword, found?.Keyword);
        RealData.Log($"{file}: {found!.Import.Workflow.Nodes.Count} nodes, missing {string.Join(", ", found.Import.MissingTypes.Select(m => m.ComfyClass))}");
        if (checkpoint is not null)
        {
            Assert.Equal(checkpoint, found.Import.Workflow.Nodes["1"].Inputs["ckpt_name"].GetString());
            Assert.Equal("photo of a duck", found.Import.Workflow.Nodes["2"].Inputs["text"].GetString());
            Assert.Equal("uni_pc", found.Import.Workflow.Nodes["5"].Inputs["sampler_name"].GetString());
        }
    }

    [Fact]
    public void Early_comfyui_png_maps_its_old_checkpoint_loader_and_sampler_names()
    {
        var found = Reader.ReadFile(SharedData.Require($"{RealData.MetadataFolder}/sdparsers_img2img_cropped.png"), out _)!;
        var nodes = found.Import.Workflow.Nodes;

        Assert.Empty(found.Import.MissingTypes);
        Assert.Equal(("LoadCheckpoint", "v1-5-pruned-emaonly.ckpt"), (nodes["4"].Type, nodes["4"].Inputs["ckpt_name"].GetString()));
        Assert.Contains(found.Import.Issues, i => i.Code == InteropCodes.UnknownInput && i.InputName == "config_name");
        Assert.Equal("dpmpp_2m", nodes["3"].Inputs["sampler_name"].GetString());
        Assert.Equal("example.png", nodes["10"].Inputs["image"].GetString());

        var ui = TestRegistry.Exporter.ToUiWorkflow(found.Import.Workflow).Document;
        var loader = ui["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<int>() == 4)!;
        Assert.Equal("CheckpointLoader", loader["type"]!.GetValue<string>());
        Assert.Equal("""["v1-inference.yaml","v1-5-pruned-emaonly.ckpt"]""", loader["widgets_values"]!.ToJsonString());
    }

    [Theory]
    [InlineData("sdparsers_fooocus1_cropped.png")]
    [InlineData("sdparsers_novelai1_cropped.png")]
    [InlineData("sdparsers_invokeai_dream1.png")]
    [InlineData("sdparsers_automatic1111_stealth.png")]
    public void Other_tools_metadata_is_not_mistaken_for_a_workflow(string file)
    {
        var found = Reader.ReadFile(SharedData.Require($"{RealData.MetadataFolder}/{file}"), out var problems);

        Assert.Null(found);
        Assert.NotEmpty(problems);
    }

    [Fact]
    public void A_file_that_is_no_image_is_refused_clearly()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("x.txt");
        File.WriteAllText(path, "hello");

        Assert.Contains("not a PNG, JPEG or WebP", Assert.Throws<InteropFormatException>(() => Reader.ReadFile(path, out _)).Message);
    }
}
