using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

public sealed class ExportTests
{
    /// <summary>A native txt2img graph with a bypassed LoRA, a muted preview and string node ids.</summary>
    private static Workflow Native()
    {
        var workflow = new Workflow();
        Add(workflow, "ckpt", "LoadCheckpoint", new() { ["ckpt_name"] = "sd15.safetensors" });
        Add(workflow, "lora", "LoadLora", new() { ["lora_name"] = "x.safetensors", ["strength_model"] = 0.8, ["strength_clip"] = 1 },
            new() { ["model"] = new("ckpt", 0), ["clip"] = new("ckpt", 1) }, NodeMode.Bypassed);
        Add(workflow, "pos", "TextEncode", new() { ["text"] = "a cat" }, new() { ["clip"] = new("lora", 1) });
        Add(workflow, "neg", "TextEncode", new() { ["text"] = "" }, new() { ["clip"] = new("lora", 1) });
        Add(workflow, "latent", "EmptyLatentImage", new() { ["width"] = 512, ["height"] = 512, ["batch_size"] = 1 });
        Add(workflow, "sampler", "KSampler", new()
        {
            ["seed"] = ulong.MaxValue, ["steps"] = 20, ["cfg"] = 7.5, ["sampler_name"] = "euler", ["scheduler"] = "normal", ["denoise"] = 1.0,
        }, new() { ["model"] = new("lora", 0), ["positive"] = new("pos", 0), ["negative"] = new("neg", 0), ["latent_image"] = new("latent", 0) });
        Add(workflow, "decode", "VAEDecode", [], new() { ["samples"] = new("sampler", 0), ["vae"] = new("ckpt", 2) });
        Add(workflow, "preview", "PreviewImage", [], new() { ["images"] = new("decode", 0) }, NodeMode.Muted);
        Add(workflow, "image", "LoadImage", new() { ["image"] = "pose.png" });
        Add(workflow, "cn", "LoadControlNet", new() { ["control_net_name"] = "openpose.safetensors" });
        Add(workflow, "apply", "ApplyControlNet", new() { ["strength"] = 0.9, ["start_percent"] = 0, ["end_percent"] = 1 },
            new() { ["positive"] = new("pos", 0), ["negative"] = new("neg", 0), ["control_net"] = new("cn", 0), ["image"] = new("image", 0) });
        return workflow;
    }

    private static void Add(Workflow workflow, string id, string type, Dictionary<string, object> values, Dictionary<string, LinkRef>? links = null, NodeMode mode = NodeMode.Normal)
    {
        var node = new WorkflowNode { Type = type, Mode = mode };
        foreach (var (name, value) in values)
        {
            node.Inputs[name] = JsonSerializer.SerializeToElement(value);
        }
        foreach (var (name, link) in links ?? [])
        {
            node.Links[name] = link;
        }
        workflow.Nodes[id] = node;
    }

    [Fact]
    public void Api_prompt_uses_comfyui_class_names()
    {
        var prompt = TestRegistry.Exporter.ToApiPrompt(Native()).Document;

        Assert.Equal("CheckpointLoaderSimple", prompt["ckpt"]!["class_type"]!.GetValue<string>());
        Assert.Equal("CLIPTextEncode", prompt["pos"]!["class_type"]!.GetValue<string>());
        Assert.Equal("ControlNetLoader", prompt["cn"]!["class_type"]!.GetValue<string>());
        Assert.Equal("ControlNetApplyAdvanced", prompt["apply"]!["class_type"]!.GetValue<string>());
        Assert.Equal("KSampler", prompt["sampler"]!["class_type"]!.GetValue<string>());
    }

    [Fact]
    public void Api_prompt_passes_links_through_bypassed_nodes_and_leaves_muted_nodes_out()
    {
        var result = TestRegistry.Exporter.ToApiPrompt(Native());
        var prompt = result.Document;

        Assert.Null(prompt["lora"]);
        Assert.Null(prompt["preview"]);
        Assert.Equal("""["ckpt",0]""", prompt["sampler"]!["inputs"]!["model"]!.ToJsonString());
        Assert.Equal("""["ckpt",1]""", prompt["pos"]!["inputs"]!["clip"]!.ToJsonString());
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Bypass_takes_the_input_at_the_same_slot_among_socket_inputs()
    {
        var workflow = Native();
        workflow.Nodes["decode"].Mode = NodeMode.Bypassed;
        workflow.Nodes["preview"].Mode = NodeMode.Normal;
        workflow.Nodes["apply"].Mode = NodeMode.Bypassed;
        Add(workflow, "sampler2", "KSampler", new()
        {
            ["seed"] = 1, ["steps"] = 20, ["cfg"] = 7.5, ["sampler_name"] = "euler", ["scheduler"] = "normal", ["denoise"] = 1.0,
        }, new() { ["model"] = new("ckpt", 0), ["positive"] = new("apply", 0), ["negative"] = new("apply", 1), ["latent_image"] = new("latent", 0) });

        var result = TestRegistry.Exporter.ToApiPrompt(workflow);

        // VAEDecode has no IMAGE input, so nothing passes through it.
        Assert.Null(result.Document["preview"]!["inputs"]!["images"]);
        Assert.Contains(result.Issues, i => i.NodeId == "preview" && i.Code == InteropCodes.LinkDropped);
        Assert.Equal("""["pos",0]""", result.Document["sampler2"]!["inputs"]!["positive"]!.ToJsonString());
        Assert.Equal("""["neg",0]""", result.Document["sampler2"]!["inputs"]!["negative"]!.ToJsonString());
    }

    [Fact]
    public void A_link_from_a_muted_node_is_left_out_and_reported()
    {
        var workflow = Native();
        workflow.Nodes["decode"].Mode = NodeMode.Muted;
        workflow.Nodes["preview"].Mode = NodeMode.Normal;

        var result = TestRegistry.Exporter.ToApiPrompt(workflow);

        Assert.Null(result.Document["preview"]!["inputs"]!["images"]);
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.LinkDropped && i.NodeId == "preview");
    }

    [Fact]
    public void U64_seed_survives_both_formats_exactly()
    {
        var api = TestRegistry.Exporter.ToApiPrompt(Native()).ToJson();
        var ui = TestRegistry.Exporter.ToUiWorkflow(Native()).ToJson();

        Assert.Contains("18446744073709551615", api);
        Assert.Contains("18446744073709551615", ui);
        Assert.Equal(ulong.MaxValue, TestRegistry.Importer.Import(api).Workflow.Nodes["sampler"].Inputs["seed"].GetUInt64());
    }

    [Fact]
    public void Ui_widgets_values_follow_comfyui_order_with_frontend_only_values()
    {
        var ui = TestRegistry.Exporter.ToUiWorkflow(Native()).Document;
        var nodes = ui["nodes"]!.AsArray().Select(n => n!.AsObject()).ToList();

        var sampler = nodes.Single(n => n["type"]!.GetValue<string>() == "KSampler");
        Assert.Equal("""[18446744073709551615,"fixed",20,7.5,"euler","normal",1]""", sampler["widgets_values"]!.ToJsonString());
        var image = nodes.Single(n => n["type"]!.GetValue<string>() == "LoadImage");
        Assert.Equal("""["pose.png","image"]""", image["widgets_values"]!.ToJsonString());
        Assert.Equal(0.4, ui["version"]!.GetValue<double>());
        Assert.All(nodes, n => Assert.True(n["id"]!.GetValue<int>() > 0));
    }

    [Fact]
    public void Ui_link_table_matches_the_node_inputs_and_outputs()
    {
        var ui = TestRegistry.Exporter.ToUiWorkflow(Native()).Document;
        var nodes = ui["nodes"]!.AsArray().Select(n => n!.AsObject()).ToDictionary(n => n["id"]!.GetValue<int>());

        foreach (var link in ui["links"]!.AsArray().Select(l => l!.AsArray()))
        {
            var (id, origin, originSlot, target, targetSlot) = (link[0]!.GetValue<int>(), link[1]!.GetValue<int>(), link[2]!.GetValue<int>(), link[3]!.GetValue<int>(), link[4]!.GetValue<int>());
            Assert.Equal(id, nodes[target]["inputs"]![targetSlot]!["link"]!.GetValue<int>());
            Assert.Contains(id, nodes[origin]["outputs"]![originSlot]!["links"]!.AsArray().Select(l => l!.GetValue<int>()));
        }
        Assert.Equal(ui["links"]!.AsArray().Count, ui["last_link_id"]!.GetValue<int>());
    }

    [Fact]
    public void A_linked_widget_is_written_as_a_widget_input_and_read_back_as_a_link()
    {
        var workflow = Native();
        Add(workflow, "steps", "PrimitiveInt", new() { ["value"] = 33 });
        workflow.Nodes["sampler"].Links["steps"] = new LinkRef("steps", 0);

        var ui = TestRegistry.Exporter.ToUiWorkflow(workflow).Document;
        var back = TestRegistry.Importer.Import(ui.ToJsonString()).Workflow;

        var sampler = ui["nodes"]!.AsArray().Single(n => n!["type"]!.GetValue<string>() == "KSampler")!;
        var input = sampler["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "steps")!;
        Assert.Equal("steps", input["widget"]!["name"]!.GetValue<string>());
        var samplerId = (workflow.Nodes.IndexOf("sampler") + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stepsId = (workflow.Nodes.IndexOf("steps") + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new LinkRef(stepsId, 0), back.Nodes[samplerId].Links["steps"]);
        Assert.Equal(20, back.Nodes[samplerId].Inputs["steps"].GetInt32());
    }

    [Fact]
    public void Native_to_ui_to_native_keeps_semantics_up_to_node_ids()
    {
        var native = Native();

        var back = TestRegistry.Importer.Import(TestRegistry.Exporter.ToUiWorkflow(native).ToJson()).Workflow;

        var ids = native.Nodes.Keys.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (p.i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var renamed = new Workflow();
        foreach (var (id, node) in native.Nodes)
        {
            var copy = new WorkflowNode { Type = node.Type, Mode = node.Mode };
            foreach (var (name, value) in node.Inputs)
            {
                copy.Inputs[name] = value;
            }
            foreach (var (name, link) in node.Links)
            {
                copy.Links[name] = link with { Node = ids[link.Node] };
            }
            renamed.Nodes[ids[id]] = copy;
        }
        WorkflowSemantics.AssertEquivalent(renamed, back);
    }

    [Fact]
    public void Native_to_api_to_native_keeps_semantics_of_the_nodes_that_run()
    {
        var native = Native();
        native.Nodes["lora"].Mode = NodeMode.Normal;
        native.Nodes["preview"].Mode = NodeMode.Normal;

        var back = TestRegistry.Importer.Import(TestRegistry.Exporter.ToApiPrompt(native).ToJson());

        Assert.Empty(back.Issues);
        WorkflowSemantics.AssertEquivalent(native, back.Workflow);
    }

    [Fact]
    public void Exported_json_is_ascii_so_it_fits_a_png_text_chunk()
    {
        var workflow = Native();
        workflow.Nodes["pos"].Inputs["text"] = JsonSerializer.SerializeToElement("café ☕");

        var json = TestRegistry.Exporter.ToApiPrompt(workflow).ToJson();

        Assert.All(json, c => Assert.True(c < 128));
        Assert.Equal("café ☕", JsonNode.Parse(json)!["pos"]!["inputs"]!["text"]!.GetValue<string>());
    }
}
