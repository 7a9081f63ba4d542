using System.Globalization;
using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

/// <summary>Reroute nodes: kept on UI import, written back as ComfyUI Reroutes, left out of API prompts.</summary>
public sealed class RerouteInteropTests
{
    /// <summary>ComfyUI's serialisation of reroutes: an unnamed "*" input, an unnamed output typed by what it carries.</summary>
    private const string Ui = """
    {
      "last_node_id": 9, "last_link_id": 4,
      "nodes": [
        {"id": 1, "type": "CheckpointLoaderSimple", "pos": [0, 0], "size": [315, 98], "mode": 0,
         "outputs": [{"name": "MODEL", "type": "MODEL", "links": [1]}, {"name": "CLIP", "type": "CLIP", "links": []}, {"name": "VAE", "type": "VAE", "links": [3]}],
         "widgets_values": ["sd15.safetensors"]},
        {"id": 5, "type": "Reroute", "pos": [420, 40], "size": [75, 26], "mode": 0, "inputs": [{"name": "", "type": "*", "link": 3}],
         "outputs": [{"name": "", "type": "VAE", "links": [4], "slot_index": 0}], "properties": {"showOutputText": false, "horizontal": true}},
        {"id": 6, "type": "Reroute", "pos": [520, 40], "size": [75, 26], "mode": 0, "inputs": [{"name": "", "type": "*", "link": null}],
         "outputs": [{"name": "", "type": "*", "links": null}], "properties": {"showOutputText": false, "horizontal": false}},
        {"id": 8, "type": "VAEDecode", "pos": [700, 0], "mode": 0,
         "inputs": [{"name": "samples", "type": "LATENT", "link": null}, {"name": "vae", "type": "VAE", "link": 4}]}
      ],
      "links": [[1, 1, 0, 9, 0, "MODEL"], [3, 1, 2, 5, 0, "*"], [4, 5, 0, 8, 1, "VAE"]],
      "groups": [], "config": {}, "extra": {}, "version": 0.4
    }
    """;

    [Fact]
    public void Ui_reroutes_import_as_reroute_nodes_keeping_position_size_and_properties()
    {
        var workflow = TestRegistry.Importer.Import(Ui).Workflow;

        var reroute = workflow.Nodes["5"];
        Assert.Equal("Reroute", reroute.Type);
        Assert.Equal(new LinkRef("1", 2), reroute.Links["input"]);
        Assert.Equal([420.0, 40.0], reroute.Layout!.Position!);
        Assert.Equal([75.0, 26.0], reroute.Layout.Size!);
        Assert.True(reroute.Extra[Import.InteropKeys.Properties].GetProperty("horizontal").GetBoolean());
        Assert.Equal(new LinkRef("5", 0), workflow.Nodes["8"].Links["vae"]);
        Assert.Empty(workflow.Nodes["6"].Links);
    }

    [Fact]
    public void Reroutes_export_as_comfyui_reroutes_and_round_trip()
    {
        var imported = TestRegistry.Importer.Import(Ui).Workflow;

        var exported = TestRegistry.Exporter.ToUiWorkflow(imported);
        var document = JsonSerializer.SerializeToElement(exported.Document);
        var reroute = document.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetInt32() == 5);

        Assert.Equal("Reroute", reroute.GetProperty("type").GetString());
        Assert.Equal(("", "*"), (reroute.GetProperty("inputs")[0].GetProperty("name").GetString(), reroute.GetProperty("inputs")[0].GetProperty("type").GetString()));
        Assert.Equal(("", "VAE"), (reroute.GetProperty("outputs")[0].GetProperty("name").GetString(), reroute.GetProperty("outputs")[0].GetProperty("type").GetString()));
        Assert.False(reroute.TryGetProperty("widgets_values", out _));
        // The link out of the reroute carries the type of what flows through it, as ComfyUI writes it.
        var outgoing = reroute.GetProperty("outputs")[0].GetProperty("links")[0].GetInt32();
        var link = document.GetProperty("links").EnumerateArray().Single(l => l[0].GetInt32() == outgoing);
        Assert.Equal((8, 1, "VAE"), (link[3].GetInt32(), link[4].GetInt32(), link[5].GetString()));
        Assert.Empty(exported.Issues);

        var reimported = TestRegistry.Importer.Import(exported.ToJson()).Workflow;
        WorkflowSemantics.AssertEquivalent(imported, reimported, compareLayout: true);
        Assert.True(reimported.Nodes["5"].Extra[Import.InteropKeys.Properties].GetProperty("horizontal").GetBoolean());
    }

    [Fact]
    public void Api_prompts_have_no_reroutes_and_link_to_the_source()
    {
        var imported = TestRegistry.Importer.Import(Ui).Workflow;

        var prompt = TestRegistry.Exporter.ToApiPrompt(imported);

        Assert.False(prompt.Document.ContainsKey("5"));
        Assert.False(prompt.Document.ContainsKey("6"));
        Assert.Equal("[\"1\",2]", prompt.Document["8"]!["inputs"]!["vae"]!.ToJsonString());
    }

    [Fact]
    public void A_link_through_an_unconnected_reroute_is_left_out_of_the_api_prompt_with_a_warning()
    {
        var imported = TestRegistry.Importer.Import(Ui).Workflow;
        imported.Nodes["8"].Links["samples"] = new LinkRef("6", 0);

        var prompt = TestRegistry.Exporter.ToApiPrompt(imported);

        Assert.False(prompt.Document["8"]!["inputs"]!.AsObject().ContainsKey("samples"));
        Assert.Contains(prompt.Issues, i => i.Code == InteropCodes.LinkDropped && i.NodeId == "8" && i.Message.Contains("reroute 6 has no input", StringComparison.Ordinal));
    }

    [Fact]
    public void An_image_reaching_a_latent_input_through_an_imported_reroute_is_a_type_mismatch_naming_the_reroute()
    {
        var workflow = TestRegistry.Importer.Import(Ui).Workflow;
        var image = new WorkflowNode { Type = "LoadImage" };
        workflow.Nodes["20"] = image;
        workflow.Nodes["6"].Links["input"] = new LinkRef("20", 0);
        workflow.Nodes["8"].Links["samples"] = new LinkRef("6", 0);
        var save = new WorkflowNode { Type = "SaveImage" };
        save.Links["images"] = new LinkRef("8", 0);
        workflow.Nodes["21"] = save;

        var errors = new Graph.Validation.WorkflowValidator(TestRegistry.Registry).Validate(workflow).Errors;

        var error = Assert.Single(errors, e => e.NodeId == "8");
        Assert.Equal((Graph.Validation.ValidationCodes.TypeMismatch, "VAEDecode", "samples"), (error.Code, error.NodeType, error.InputName));
        Assert.Contains("expects LATENT", error.Message, StringComparison.Ordinal);
        Assert.Contains("through reroute 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("gives IMAGE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_1_link_reroutes_are_points_on_a_link_and_the_link_stays_direct()
    {
        const string json = """
        {
          "version": 1, "state": {"lastNodeId": 8, "lastLinkId": 4, "lastRerouteId": 2},
          "nodes": [
            {"id": 1, "type": "CheckpointLoaderSimple", "pos": [0, 0], "mode": 0, "widgets_values": ["sd15.safetensors"],
             "outputs": [{"name": "MODEL", "type": "MODEL", "links": []}, {"name": "CLIP", "type": "CLIP", "links": []}, {"name": "VAE", "type": "VAE", "links": [4]}]},
            {"id": 8, "type": "VAEDecode", "pos": [700, 0], "mode": 0, "inputs": [{"name": "samples", "type": "LATENT", "link": null}, {"name": "vae", "type": "VAE", "link": 4}]}
          ],
          "links": [{"id": 4, "origin_id": 1, "origin_slot": 2, "target_id": 8, "target_slot": 1, "type": "VAE", "parentId": 2}],
          "reroutes": [{"id": 1, "pos": [300, 50], "linkIds": [4]}, {"id": 2, "parentId": 1, "pos": [500, 50], "linkIds": [4]}],
          "groups": [], "config": {}, "extra": {}
        }
        """;

        var workflow = TestRegistry.Importer.Import(json).Workflow;

        Assert.Equal(["1", "8"], workflow.Nodes.Keys.Order());
        Assert.Equal(new LinkRef("1", 2), workflow.Nodes["8"].Links["vae"]);
    }

    /// <summary>
    /// No real file in the collection holds a Reroute, so each real example gets a reroute (or two, chained) on every link:
    /// written as a ComfyUI UI workflow and read back it must be the same graph, and its API prompt must equal the one
    /// of the workflow without reroutes.
    /// </summary>
    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Real_example_with_reroutes_on_every_link_round_trips_and_exports_the_same_prompt(string name)
    {
        var original = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example(name), "workflow")).Workflow;
        var rerouted = original.Clone();
        var next = rerouted.Nodes.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).Max() + 1;
        foreach (var (id, node) in rerouted.Nodes.ToList())
        {
            foreach (var (input, link) in node.Links.ToList())
            {
                var source = link;
                for (var chain = 0; chain < 1 + next % 2; chain++)
                {
                    var reroute = new WorkflowNode { Type = "Reroute", Layout = new NodeLayout([next * 10.0, next * 5.0]) };
                    reroute.Links["input"] = source;
                    var rerouteId = (next++).ToString(CultureInfo.InvariantCulture);
                    rerouted.Nodes[rerouteId] = reroute;
                    source = new LinkRef(rerouteId, 0);
                }
                node.Links[input] = source;
            }
        }
        Assert.Contains(rerouted.Nodes.Values, n => n.Type == "Reroute");

        var ui = TestRegistry.Exporter.ToUiWorkflow(rerouted);
        var reimported = TestRegistry.Importer.Import(ui.ToJson()).Workflow;
        WorkflowSemantics.AssertEquivalent(rerouted, reimported, compareLayout: true);

        var withReroutes = TestRegistry.Exporter.ToApiPrompt(reimported);
        var without = TestRegistry.Exporter.ToApiPrompt(original);
        Assert.DoesNotContain(withReroutes.Issues, i => i.Code == InteropCodes.LinkDropped);
        Assert.True(JsonValues.Equal(JsonSerializer.SerializeToElement(without.Document), JsonSerializer.SerializeToElement(withReroutes.Document)),
            $"{name}: the API prompts differ");
    }
}
