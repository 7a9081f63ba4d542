using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

public sealed class UiImportRulesTests
{
    /// <summary>
    /// A hand-written UI workflow exercising the frontend-only rules: two reroutes between the checkpoint and the sampler,
    /// a primitive feeding the seed (u64 max), a bypassed and a muted node, a link from a removed node, a note, a group,
    /// a placeholder with NaN in its values, titles, colours and a collapsed node.
    /// </summary>
    private const string Workflow = """
    {
      "last_node_id": 40, "last_link_id": 20,
      "nodes": [
        {"id": 1, "type": "CheckpointLoaderSimple", "pos": [10, 20], "size": {"0": 315, "1": 98}, "flags": {}, "mode": 0,
         "outputs": [{"name": "MODEL", "type": "MODEL", "links": [1]}, {"name": "CLIP", "type": "CLIP", "links": [5, 6]}, {"name": "VAE", "type": "VAE", "links": []}],
         "widgets_values": ["sd15.safetensors"]},
        {"id": 20, "type": "Reroute", "pos": [400, 20], "mode": 0, "inputs": [{"name": "", "type": "*", "link": 1}], "outputs": [{"name": "", "type": "MODEL", "links": [2]}]},
        {"id": 21, "type": "Reroute", "pos": [500, 20], "mode": 0, "inputs": [{"name": "", "type": "*", "link": 2}], "outputs": [{"name": "", "type": "MODEL", "links": [3]}]},
        {"id": 30, "type": "PrimitiveNode", "pos": [10, 300], "mode": 0, "outputs": [{"name": "INT", "type": "INT", "links": [4], "widget": {"name": "seed"}}],
         "widgets_values": [18446744073709551615, "increment"]},
        {"id": 6, "type": "CLIPTextEncode", "pos": [400, 200], "size": [400, 200], "flags": {"collapsed": true}, "mode": 0,
         "title": "Positive", "color": "#232", "bgcolor": "#353",
         "inputs": [{"name": "clip", "type": "CLIP", "link": 5}], "widgets_values": ["a cat"]},
        {"id": 7, "type": "CLIPTextEncode", "pos": [400, 450], "mode": 4,
         "inputs": [{"name": "clip", "type": "CLIP", "link": 6}], "widgets_values": ["blurry"]},
        {"id": 3, "type": "KSampler", "pos": [900, 100], "mode": 0,
         "inputs": [{"name": "model", "type": "MODEL", "link": 3}, {"name": "positive", "type": "CONDITIONING", "link": 7},
                    {"name": "negative", "type": "CONDITIONING", "link": 8}, {"name": "latent_image", "type": "LATENT", "link": 9},
                    {"name": "seed", "type": "INT", "link": 4, "widget": {"name": "seed"}}],
         "widgets_values": [1, "randomize", 25, 7.5, "euler", "karras", 1]},
        {"id": 9, "type": "SaveImage", "pos": [1300, 100], "mode": 2, "inputs": [{"name": "images", "type": "IMAGE", "link": 10}], "widgets_values": ["out"]},
        {"id": 40, "type": "FancyCustomNode", "pos": [10, 600], "mode": 0, "widgets_values": [NaN, 3, "x"]},
        {"id": 41, "type": "Note", "pos": [10, 800], "mode": 0, "widgets_values": ["remember the seed"]}
      ],
      "links": [[1, 1, 0, 20, 0, "*"], [2, 20, 0, 21, 0, "*"], [3, 21, 0, 3, 0, "MODEL"], [4, 30, 0, 3, 4, "INT"],
                [5, 1, 1, 6, 0, "CLIP"], [6, 1, 1, 7, 0, "CLIP"], [7, 6, 0, 3, 1, "CONDITIONING"], [8, 7, 0, 3, 2, "CONDITIONING"],
                [9, 99, 0, 3, 3, "LATENT"], [10, 77, 0, 9, 0, "IMAGE"]],
      "groups": [{"title": "Prompts", "bounding": [380, 150, 500, 500], "color": "#3f789e", "font_size": 24}],
      "config": {},
      "extra": {"ds": {"scale": 0.8, "offset": [12.5, -40]}},
      "version": 0.4
    }
    """;

    private static ComfyImportResult Import() => TestRegistry.Importer.Import(Workflow);

    [Fact]
    public void Reroutes_are_kept_as_reroute_nodes_with_their_positions()
    {
        var workflow = Import().Workflow;

        Assert.Equal(new LinkRef("21", 0), workflow.Nodes["3"].Links["model"]);
        Assert.Equal(("Reroute", new LinkRef("20", 0)), (workflow.Nodes["21"].Type, workflow.Nodes["21"].Links["input"]));
        Assert.Equal(("Reroute", new LinkRef("1", 0)), (workflow.Nodes["20"].Type, workflow.Nodes["20"].Links["input"]));
        Assert.Equal([400.0, 20.0], workflow.Nodes["20"].Layout!.Position!);
    }

    [Fact]
    public void Reroutes_resolve_to_their_source_and_disappear_when_asked()
    {
        var workflow = new ComfyImporter(TestRegistry.Options with { KeepReroutes = false }).Import(Workflow).Workflow;

        Assert.Equal(new LinkRef("1", 0), workflow.Nodes["3"].Links["model"]);
        Assert.DoesNotContain("20", workflow.Nodes.Keys);
        Assert.DoesNotContain("21", workflow.Nodes.Keys);
    }

    [Fact]
    public void Primitive_pushes_its_exact_u64_value_into_the_widget_it_feeds()
    {
        var sampler = Import().Workflow.Nodes["3"];

        Assert.Equal(ulong.MaxValue, sampler.Inputs["seed"].GetUInt64());
        Assert.False(sampler.Links.ContainsKey("seed"));
        Assert.Equal("randomize", sampler.Extra[InteropKeys.ControlAfterGenerate].GetString());
        Assert.Equal(25, sampler.Inputs["steps"].GetInt32());
        Assert.Equal("karras", sampler.Inputs["scheduler"].GetString());
    }

    [Fact]
    public void Bypassed_and_muted_nodes_are_kept_with_our_modes()
    {
        var workflow = Import().Workflow;

        Assert.Equal(NodeMode.Bypassed, workflow.Nodes["7"].Mode);
        Assert.Equal(NodeMode.Muted, workflow.Nodes["9"].Mode);
        Assert.Equal(new LinkRef("7", 0), workflow.Nodes["3"].Links["negative"]);
    }

    [Fact]
    public void Links_from_removed_nodes_are_dropped_with_a_warning()
    {
        var result = Import();

        Assert.False(result.Workflow.Nodes["3"].Links.ContainsKey("latent_image"));
        Assert.False(result.Workflow.Nodes["9"].Links.ContainsKey("images"));
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.LinkDropped && i.NodeId == "3" && i.InputName == "latent_image");
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.LinkDropped && i.NodeId == "9" && i.InputName == "images");
    }

    [Fact]
    public void Unknown_type_becomes_a_placeholder_keeping_raw_values_parsed_leniently()
    {
        var result = Import();
        var placeholder = result.Workflow.Nodes["40"];

        Assert.Equal("FancyCustomNode", placeholder.Type);
        var raw = placeholder.Extra[InteropKeys.WidgetsValues];
        Assert.Equal(JsonValueKind.Null, raw[0].ValueKind);
        Assert.Equal(3, raw[1].GetInt32());
        var missing = Assert.Single(result.MissingTypes);
        Assert.Equal(("FancyCustomNode", "FancyCustomNode"), (missing.ComfyClass, missing.TypeId));
        Assert.Equal(["40"], missing.NodeIds);
    }

    [Fact]
    public void Layout_groups_viewport_and_notes_are_kept()
    {
        var workflow = Import().Workflow;
        var positive = workflow.Nodes["6"].Layout!;

        Assert.Equal([400.0, 200.0], positive.Position!);
        Assert.Equal([400.0, 200.0], positive.Size!);
        Assert.Equal(("Positive", "#232", "#353", true), (positive.Title, positive.Color, positive.BackgroundColor, positive.Collapsed));
        Assert.Equal([315.0, 98.0], workflow.Nodes["1"].Layout!.Size!);
        var group = Assert.Single(workflow.Groups);
        Assert.Equal(("Prompts", "#3f789e", (double?)24), (group.Title, group.Color, group.FontSize));
        Assert.Equal(new Viewport(12.5, -40, 0.8), workflow.Viewport);
        Assert.Equal("remember the seed", workflow.Extra[InteropKeys.Notes][0].GetProperty("widgets_values")[0].GetString());
    }

    [Fact]
    public void Export_to_ui_and_back_keeps_everything_including_the_note()
    {
        var imported = Import().Workflow;

        var exported = TestRegistry.Exporter.ToUiWorkflow(imported);
        var again = TestRegistry.Importer.Import(exported.ToJson()).Workflow;

        WorkflowSemantics.AssertEquivalent(imported, again, compareLayout: true);
        Assert.Equal(ulong.MaxValue, again.Nodes["3"].Inputs["seed"].GetUInt64());
        Assert.Equal("remember the seed", again.Extra[InteropKeys.Notes][0].GetProperty("widgets_values")[0].GetString());
        Assert.Equal(JsonValueKind.Null, again.Nodes["40"].Extra[InteropKeys.WidgetsValues][0].ValueKind);
    }

    [Fact]
    public void Schema_version_1_links_are_objects()
    {
        const string json = """
        {"version": 1, "state": {"lastNodeId": 2, "lastLinkId": 1},
         "nodes": [{"id": 1, "type": "CheckpointLoaderSimple", "pos": [0, 0], "mode": 0, "widgets_values": ["a.safetensors"]},
                   {"id": 2, "type": "CLIPTextEncode", "pos": [0, 0], "mode": 0, "inputs": [{"name": "clip", "type": "CLIP", "link": 1}], "widgets_values": ["hi"]}],
         "links": [{"id": 1, "origin_id": 1, "origin_slot": 1, "target_id": 2, "target_slot": 0, "type": "CLIP"}]}
        """;

        var result = TestRegistry.Importer.Import(json);

        Assert.Equal(ComfyFormat.UiWorkflow, result.Format);
        Assert.Equal(new LinkRef("1", 1), result.Workflow.Nodes["2"].Links["clip"]);
        Assert.Equal("hi", result.Workflow.Nodes["2"].Inputs["text"].GetString());
    }

    [Fact]
    public void Widget_count_mismatch_is_reported_for_a_known_type()
    {
        const string json = """
        {"nodes": [{"id": 5, "type": "EmptyLatentImage", "mode": 0, "widgets_values": [640, 480]}], "links": [], "version": 0.4}
        """;

        var result = TestRegistry.Importer.Import(json);

        var issue = Assert.Single(result.Issues, i => i.Code == InteropCodes.WidgetCountMismatch);
        Assert.Equal("5", issue.NodeId);
        Assert.Equal(640, result.Workflow.Nodes["5"].Inputs["width"].GetInt32());
        Assert.Equal(1, result.Workflow.Nodes["5"].Inputs["batch_size"].GetInt32());
    }

    [Fact]
    public void Old_files_without_the_control_value_still_decode_by_name()
    {
        const string json = """
        {"nodes": [{"id": 3, "type": "KSampler", "mode": 0, "widgets_values": [42, 20, 8, "euler", "normal", 1]}], "links": [], "version": 0.4}
        """;

        var result = TestRegistry.Importer.Import(json);

        Assert.DoesNotContain(result.Issues, i => i.Code == InteropCodes.WidgetCountMismatch);
        Assert.Equal(42, result.Workflow.Nodes["3"].Inputs["seed"].GetInt32());
        Assert.Equal(20, result.Workflow.Nodes["3"].Inputs["steps"].GetInt32());
    }

    [Fact]
    public void Litegraph_event_modes_run_normally_with_a_warning()
    {
        const string json = """{"nodes": [{"id": 1, "type": "VAEDecode", "mode": 1}], "links": [], "version": 0.4}""";

        var result = TestRegistry.Importer.Import(json);

        Assert.Equal(NodeMode.Normal, result.Workflow.Nodes["1"].Mode);
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.UnsupportedMode);
    }
}
