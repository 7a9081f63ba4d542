using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

/// <summary>
/// Widgets converted to inputs: the classic frontend wrote an <c>inputs[].widget</c> entry only for a converted widget;
/// since frontend 1.16 every widget has one, so only older files mark conversions that way.
/// </summary>
public sealed class ConvertedWidgetTests
{
    private static string Workflow(string? frontendVersion) => """
    {
      "last_node_id": 3, "last_link_id": 0,
      "nodes": [
        {"id": 3, "type": "KSampler", "pos": [900, 100], "mode": 0,
         "inputs": [{"name": "model", "type": "MODEL", "link": null}, {"name": "positive", "type": "CONDITIONING", "link": null},
                    {"name": "negative", "type": "CONDITIONING", "link": null}, {"name": "latent_image", "type": "LATENT", "link": null},
                    {"name": "seed", "type": "INT", "link": null, "widget": {"name": "seed"}}],
         "widgets_values": [42, "fixed", 25, 7.5, "euler", "karras", 1]}
      ],
      "links": [], "groups": [],
      "extra": {EXTRA},
      "version": 0.4
    }
    """.Replace("{EXTRA}", frontendVersion is null ? "{}" : $"{{\"frontendVersion\": \"{frontendVersion}\"}}", StringComparison.Ordinal);

    [Theory]
    [InlineData(null, true)]
    [InlineData("1.15.13", true)]
    [InlineData("1.16.0", false)]
    [InlineData("1.28.6", false)]
    public void An_unlinked_widget_entry_marks_a_conversion_only_in_files_of_older_frontends(string? frontendVersion, bool converted)
    {
        var node = TestRegistry.Importer.Import(Workflow(frontendVersion)).Workflow.Nodes["3"];

        Assert.Equal(converted ? ["seed"] : [], ConvertedWidgets.Of(node));
        Assert.Equal(42, node.Inputs["seed"].GetInt64()); // the value stays for converting back
    }

    [Fact]
    public void A_converted_widget_is_exported_as_an_unlinked_widget_input_and_left_out_of_the_api_prompt()
    {
        var workflow = TestRegistry.Importer.Import(Workflow(null)).Workflow;

        var ui = TestRegistry.Exporter.ToUiWorkflow(workflow).Document;
        var inputs = ui["nodes"]![0]!["inputs"]!.AsArray();
        var seed = Assert.Single(inputs, i => i!["name"]!.GetValue<string>() == "seed")!;
        Assert.Equal("seed", seed["widget"]!["name"]!.GetValue<string>());
        Assert.Null(seed["link"]);
        Assert.DoesNotContain(inputs, i => i!["name"]!.GetValue<string>() == "steps");
        Assert.Equal(["seed"], ConvertedWidgets.Of(TestRegistry.Importer.Import(ui.ToJsonString()).Workflow.Nodes["3"]));

        // graphToPrompt leaves a converted, unlinked widget out: ComfyUI then reports the required input as missing.
        var api = TestRegistry.Exporter.ToApiPrompt(workflow).Document;
        var apiInputs = api["3"]!["inputs"]!.AsObject();
        Assert.False(apiInputs.ContainsKey("seed"));
        Assert.Equal(25, apiInputs["steps"]!.GetValue<int>());

        ConvertedWidgets.Set(workflow.Nodes["3"], []);
        Assert.Equal(42, TestRegistry.Exporter.ToApiPrompt(workflow).Document["3"]!["inputs"]!["seed"]!.GetValue<long>());
        Assert.DoesNotContain(TestRegistry.Exporter.ToUiWorkflow(workflow).Document["nodes"]![0]!["inputs"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "seed");
    }
}
