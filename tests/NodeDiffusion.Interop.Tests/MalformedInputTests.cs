using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

/// <summary>Odd but parseable documents open with issues instead of exceptions.</summary>
public sealed class MalformedInputTests
{
    [Theory]
    [InlineData("""{"nodes": [1, "x", null, {"id": 2}, {"type": "KSampler"}], "links": "nope", "version": 0.4}""")]
    [InlineData("""{"nodes": [{"id": 1, "type": "KSampler", "inputs": "x", "outputs": 3, "widgets_values": "seed", "pos": "here", "size": [1], "mode": "loud"}], "links": [[1], {"id": 2}, null], "groups": [{"bounding": [1, 2]}, 7]}""")]
    [InlineData("""{"nodes": [{"id": 1, "type": "KSampler", "inputs": [{"name": "model", "link": 5}, {"link": 6}, 3], "widgets_values": [[1, 2], {"a": 1}]}], "links": [[5, 1, 0, 1, 0, "MODEL"]], "extra": {"ds": {"offset": "x"}}}""")]
    [InlineData("""{"nodes": [{"id": 1, "type": "Reroute", "inputs": [{"link": 1}]}, {"id": 2, "type": "Reroute", "inputs": [{"link": 2}]}, {"id": 3, "type": "VAEDecode", "inputs": [{"name": "samples", "link": 3}]}], "links": [[1, 2, 0, 1, 0, "*"], [2, 1, 0, 2, 0, "*"], [3, 1, 0, 3, 0, "*"]]}""")]
    [InlineData("""{"1": {"class_type": "KSampler", "inputs": {"model": ["9", -1], "positive": [1, 2, 3], "seed": {"deep": [1]}}}, "2": {"class_type": 5}, "3": "x"}""")]
    public void Opens_with_issues_and_without_exceptions(string json)
    {
        var result = TestRegistry.Importer.Import(json);

        Assert.NotNull(result.Workflow);
        RealData.Log(result.Describe());
    }

    private const string RerouteCycle = """{"nodes": [{"id": 1, "type": "Reroute", "inputs": [{"link": 1}]}, {"id": 2, "type": "Reroute", "inputs": [{"link": 2}]}, {"id": 3, "type": "VAEDecode", "inputs": [{"name": "samples", "link": 3}]}], "links": [[1, 2, 0, 1, 0, "*"], [2, 1, 0, 2, 0, "*"], [3, 1, 0, 3, 0, "*"]]}""";

    [Fact]
    public void A_reroute_cycle_is_cut_and_reported_when_reroutes_are_resolved_on_import()
    {
        var result = new ComfyImporter(TestRegistry.Options with { KeepReroutes = false }).Import(RerouteCycle);

        Assert.Empty(result.Workflow.Nodes["3"].Links);
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.LinkDropped && i.Message.Contains("too many reroutes"));
    }

    [Fact]
    public void A_kept_reroute_cycle_imports_and_is_a_cycle_for_the_validator()
    {
        var workflow = TestRegistry.Importer.Import(RerouteCycle).Workflow;

        Assert.Equal(new Graph.Workflows.LinkRef("2", 0), workflow.Nodes["1"].Links["input"]);
        Assert.Equal(new Graph.Workflows.LinkRef("1", 0), workflow.Nodes["2"].Links["input"]);
        var save = new Graph.Workflows.WorkflowNode { Type = "SaveImage" };
        save.Links["images"] = new Graph.Workflows.LinkRef("3", 0);
        workflow.Nodes["4"] = save;
        var decode = new Graph.Validation.WorkflowValidator(TestRegistry.Registry).Validate(workflow).Errors.Where(e => e.NodeId == "3");
        Assert.Contains(decode, e => e.Code == Graph.Validation.ValidationCodes.Cycle && e.Message.Contains("1 → 2 → 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Node_count_is_bounded()
    {
        var nodes = string.Join(",", Enumerable.Range(1, Graph.Workflows.WorkflowLimits.MaxNodes + 5).Select(i => $$"""{"id": {{i}}, "type": "VAEDecode"}"""));

        var result = TestRegistry.Importer.Import($$"""{"nodes": [{{nodes}}], "links": []}""");

        Assert.Equal(Graph.Workflows.WorkflowLimits.MaxNodes, result.Workflow.Nodes.Count);
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.TooLarge);
    }
}
