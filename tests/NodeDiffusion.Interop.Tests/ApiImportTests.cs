using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Schemas;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

public sealed class ApiImportTests
{
    private const string Prompt = """
    {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5-pruned-emaonly.ckpt"}},
     "10": {"class_type": "LoraLoader", "inputs": {"lora_name": "epi.safetensors", "strength_model": 1.0, "strength_clip": 0.5, "model": ["4", 0], "clip": ["4", 1]}},
     "11": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "scribble.safetensors"}},
     "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "girl", "clip": ["10", 1]}, "_meta": {"title": "Positive prompt"}},
     "3": {"class_type": "KSampler", "inputs": {"seed": 18446744073709551615, "steps": 20, "cfg": 8.0, "sampler_name": "euler", "scheduler": "normal",
           "denoise": 1.0, "model": ["10", 0], "positive": ["6", 0], "negative": ["6", 0], "latent_image": ["5", 0], "sharpness": 2, "is_changed": NaN}},
     "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 7]}},
     "12": {"class_type": "LoadImage", "inputs": {"image": "a.png", "choose file to upload": "image"}},
     "13": {"class_type": "FancyCustomNode", "inputs": {"amount": 3, "list": {"__value__": [1, 2]}, "image": ["12", 0]}},
     "14": {"class_type": "UpscaleModelLoader", "inputs": {"model_name": "RealESRGAN_x2.pth"}},
     "junk": {"inputs": {}}}
    """;

    private static ComfyImportResult Import(ComfyImportOptions? options = null) => new ComfyImporter(options ?? TestRegistry.Options).Import(Prompt);

    [Fact]
    public void Classes_map_through_the_table_and_values_and_links_by_name()
    {
        var result = Import();
        var workflow = result.Workflow;

        Assert.Equal(ComfyFormat.ApiPrompt, result.Format);
        Assert.Equal(("LoadCheckpoint", "LoadLora", "LoadControlNet", "TextEncode"),
            (workflow.Nodes["4"].Type, workflow.Nodes["10"].Type, workflow.Nodes["11"].Type, workflow.Nodes["6"].Type));
        Assert.Equal(0.5, workflow.Nodes["10"].Inputs["strength_clip"].GetDouble());
        Assert.Equal(new LinkRef("4", 1), workflow.Nodes["10"].Links["clip"]);
        Assert.Equal("Positive prompt", workflow.Nodes["6"].Layout?.Title);
        Assert.Equal(ulong.MaxValue, workflow.Nodes["3"].Inputs["seed"].GetUInt64());
    }

    [Fact]
    public void Unknown_inputs_are_listed_and_known_junk_is_ignored()
    {
        var result = Import();

        var unknown = Assert.Single(result.Issues, i => i.Code == InteropCodes.UnknownInput);
        Assert.Equal(("3", "sharpness"), (unknown.NodeId, unknown.InputName));
        Assert.False(result.Workflow.Nodes["3"].Inputs.ContainsKey("sharpness"));
        Assert.Equal(2, result.Workflow.Nodes["3"].Extra[InteropKeys.UnknownInputs].GetProperty("sharpness").GetInt32());
        Assert.Single(result.Workflow.Nodes["12"].Inputs);
    }

    [Fact]
    public void Dangling_links_and_entries_without_class_are_dropped_with_warnings()
    {
        var result = Import();

        Assert.False(result.Workflow.Nodes["3"].Links.ContainsKey("latent_image"));
        Assert.False(result.Workflow.Nodes["8"].Links.ContainsKey("vae"));
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.LinkDropped && i.NodeId == "8" && i.Message.Contains("no output 7"));
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.NodeDropped && i.NodeId == "junk");
        Assert.DoesNotContain("junk", result.Workflow.Nodes.Keys);
    }

    [Fact]
    public void Placeholder_keeps_named_values_unwrapped_and_round_trips_wrapped()
    {
        var result = Import();
        var placeholder = result.Workflow.Nodes["13"];

        Assert.Equal(JsonValueKind.Array, placeholder.Inputs["list"].ValueKind);
        Assert.Equal(new LinkRef("12", 0), placeholder.Links["image"]);
        Assert.Equal(["FancyCustomNode", "UpscaleModelLoader"], result.MissingTypes.Select(m => m.ComfyClass).Order());

        var exported = TestRegistry.Exporter.ToApiPrompt(result.Workflow).Document;
        Assert.Equal(2, exported["13"]!["inputs"]!["list"]!["__value__"]![1]!.GetValue<int>());
    }

    [Fact]
    public void Model_names_can_be_mapped_to_demo_files_per_folder()
    {
        var options = TestRegistry.Options with
        {
            ModelNames = new ModelNameMap().MapFolder("checkpoints", "demo.safetensors").MapFolder("loras", "demo-lora.safetensors")
                .MapName("controlnet", "scribble.safetensors", "demo-scribble.safetensors").MapFolder("upscale_models", "demo-x2.pth"),
        };

        var result = Import(options);

        Assert.Equal("demo.safetensors", result.Workflow.Nodes["4"].Inputs["ckpt_name"].GetString());
        Assert.Equal("demo-lora.safetensors", result.Workflow.Nodes["10"].Inputs["lora_name"].GetString());
        Assert.Equal("demo-scribble.safetensors", result.Workflow.Nodes["11"].Inputs["control_net_name"].GetString());
        Assert.Equal("a.png", result.Workflow.Nodes["12"].Inputs["image"].GetString());
        Assert.Equal("demo-x2.pth", result.Workflow.Nodes["14"].Inputs["model_name"].GetString());
        Assert.Equal(4, result.Issues.Count(i => i.Code == InteropCodes.ModelRenamed));
    }

    [Fact]
    public void ComfyUI_object_info_names_the_widgets_of_a_class_we_lack()
    {
        var objectInfo = ObjectInfoSchemaSource.Parse("""
        {"FancyCustomNode": {"input": {"required": {"image": ["IMAGE"], "amount": ["INT", {"default": 1}], "seed": ["INT", {"default": 0}],
                              "mode": [["fast", "slow"]]}},
                             "input_order": {"required": ["image", "amount", "seed", "mode"]},
                             "output": ["IMAGE"], "output_name": ["IMAGE"], "name": "FancyCustomNode"}}
        """);
        var options = TestRegistry.Options with { ComfySchemas = objectInfo };
        const string ui = """
        {"nodes": [{"id": 1, "type": "FancyCustomNode", "mode": 0, "widgets_values": [7, 99, "randomize", "slow"]}], "links": [], "version": 0.4}
        """;

        var result = new ComfyImporter(options).Import(ui);
        var node = result.Workflow.Nodes["1"];

        Assert.Equal(7, node.Inputs["amount"].GetInt32());
        Assert.Equal(99, node.Inputs["seed"].GetInt32());
        Assert.Equal("slow", node.Inputs["mode"].GetString());
        Assert.Equal("FancyCustomNode", Assert.Single(result.MissingTypes).ComfyClass);
    }

    [Fact]
    public void Our_object_info_can_stand_in_for_the_registry()
    {
        var ours = Graph.Registry.ObjectInfoWriter.Write(TestRegistry.Registry).ToJsonString();
        var options = new ComfyImportOptions(ObjectInfoSchemaSource.Parse(ours));

        var fromObjectInfo = new ComfyImporter(options).Import(Prompt).Workflow;

        WorkflowSemantics.AssertEquivalent(Import().Workflow, fromObjectInfo);
    }

    [Fact]
    public void A_class_matching_a_registry_alias_maps_to_that_type_and_exports_as_the_alias()
    {
        const string ui = """
        {"nodes": [{"id": 1, "type": "ImageScaleBy", "mode": 0, "widgets_values": ["bicubic", 2.5]}], "links": [], "version": 0.4}
        """;

        var imported = TestRegistry.Importer.Import(ui).Workflow;
        var exported = TestRegistry.Exporter.ToApiPrompt(imported).Document;

        Assert.Equal("ScaleImageBy", imported.Nodes["1"].Type);
        Assert.Equal(2.5, imported.Nodes["1"].Inputs["scale_by"].GetDouble());
        Assert.Equal("ImageScaleBy", exported["1"]!["class_type"]!.GetValue<string>());
        imported.Nodes["1"].Extra.Clear();
        Assert.Equal("ImageScaleBy", TestRegistry.Exporter.ToApiPrompt(imported).Document["1"]!["class_type"]!.GetValue<string>());
    }

    [Fact]
    public void A_prompt_request_body_is_accepted()
    {
        var body = $$"""{"client_id": "x", "prompt": {{Prompt}}}""";

        var result = TestRegistry.Importer.Import(body);

        Assert.Equal(ComfyFormat.ApiPrompt, result.Format);
        Assert.Equal(9, result.Workflow.Nodes.Count);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"a\": 1}")]
    [InlineData("not json")]
    [InlineData("")]
    public void Text_that_is_no_workflow_gives_a_clear_error(string text)
    {
        var error = Assert.Throws<InteropFormatException>(() => TestRegistry.Importer.Import(text));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Our_native_format_passes_through()
    {
        var native = WorkflowJson.Serialize(Import().Workflow);

        var result = TestRegistry.Importer.Import(native);

        Assert.Equal(ComfyFormat.Native, result.Format);
        WorkflowSemantics.AssertEquivalent(Import().Workflow, result.Workflow);
    }
}
