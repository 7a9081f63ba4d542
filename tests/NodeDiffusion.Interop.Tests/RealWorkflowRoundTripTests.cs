using NodeDiffusion.Interop.Tests.TestNodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Interop.Tests;

public sealed class RealWorkflowRoundTripTests
{
    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Example_survives_native_to_ui_to_native_with_layout(string name)
    {
        var imported = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example(name), "workflow")).Workflow;

        var exported = TestRegistry.Exporter.ToUiWorkflow(imported);
        var reimported = TestRegistry.Importer.Import(exported.ToJson());

        Assert.Empty(exported.Issues);
        WorkflowSemantics.AssertEquivalent(imported, reimported.Workflow, compareLayout: true);
    }

    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Example_survives_native_to_api_to_native(string name)
    {
        var imported = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example(name), "prompt"));

        var exported = TestRegistry.Exporter.ToApiPrompt(imported.Workflow);
        var reimported = TestRegistry.Importer.Import(exported.ToJson());

        Assert.Empty(exported.Issues);
        WorkflowSemantics.AssertEquivalent(imported.Workflow, reimported.Workflow);
    }

    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Exported_api_prompt_equals_the_one_comfyui_embedded(string name)
    {
        var path = RealData.Example(name);
        var fromUi = TestRegistry.Importer.Import(RealData.Chunk(path, "workflow"));
        var missing = fromUi.MissingTypes.SelectMany(m => m.NodeIds).ToHashSet();
        var rewired = fromUi.Issues.Where(i => i.Code == InteropCodes.LegacyRewired).Select(i => (i.NodeId, i.InputName)).ToHashSet();

        var exported = TestRegistry.Exporter.ToApiPrompt(fromUi.Workflow).Document;
        using var original = System.Text.Json.JsonDocument.Parse(RealData.Chunk(path, "prompt"));

        foreach (var node in original.RootElement.EnumerateObject())
        {
            var ours = System.Text.Json.JsonSerializer.SerializeToElement(exported[node.Name]);
            var originalClass = node.Value.GetProperty("class_type").GetString()!;
            var exportedClass = ours.GetProperty("class_type").GetString()!;
            if (originalClass == "ControlNetApply")
            {
                // Rewired to carry the negative too (see LegacyControlNetRewiring), so it is written as the advanced node.
                Assert.Equal("ControlNetApplyAdvanced", exportedClass);
                continue;
            }
            Assert.Equal(originalClass, exportedClass);
            if (missing.Contains(node.Name))
            {
                continue;
            }
            foreach (var input in node.Value.GetProperty("inputs").EnumerateObject()
                         .Where(i => !Import.ComfyIgnoredInputs.Names.Contains(i.Name) && !rewired.Contains((node.Name, i.Name))))
            {
                Assert.True(ours.GetProperty("inputs").TryGetProperty(input.Name, out var value), $"{name} node {node.Name} lacks {input.Name}");
                Assert.True(JsonValues.Equal(input.Value, value), $"{name} node {node.Name} input {input.Name}: {input.Value.GetRawText()} vs {value.GetRawText()}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RealData.IpAdapterNames), MemberType = typeof(RealData))]
    public void IpAdapter_workflow_survives_native_to_ui_to_native(string name)
    {
        var imported = TestRegistry.Importer.ImportFile(SharedData.Require($"{RealData.IpAdapterFolder}/{name}")).Workflow;

        var reimported = TestRegistry.Importer.Import(TestRegistry.Exporter.ToUiWorkflow(imported).ToJson()).Workflow;

        WorkflowSemantics.AssertEquivalent(imported, reimported, compareLayout: true);
    }
}
