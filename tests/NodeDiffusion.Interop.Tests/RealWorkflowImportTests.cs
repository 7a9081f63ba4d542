using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Tests.TestNodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Interop.Tests;

public sealed class RealWorkflowImportTests
{
    /// <summary>What each real file needs beyond the ComfyUI core nodes of the test registry.</summary>
    private static readonly Dictionary<string, string[]> ExpectedMissing = new()
    {
        ["controlnet_depth_controlnet.png"] = ["DiffControlNetLoader"],
        ["upscale_models_esrgan_example.png"] = ["ImageUpscaleWithModel", "UpscaleModelLoader"],
        ["ipadapter_simple.json"] = ["IPAdapterUnifiedLoader"],
        ["ipadapter_advanced.json"] = ["PrepImageForClipVision"],
    };

    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Embedded_ui_workflow_imports_with_exactly_the_expected_missing_types(string name)
    {
        var json = RealData.Chunk(RealData.Example(name), "workflow");
        var result = TestRegistry.Importer.Import(json);
        Report(name, result);

        Assert.Equal(ComfyFormat.UiWorkflow, result.Format);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(document.RootElement.GetProperty("nodes").GetArrayLength(), result.Workflow.Nodes.Count);
        Assert.Equal(ExpectedMissing.GetValueOrDefault(name, []), result.MissingTypes.Select(m => m.ComfyClass).Order());
        AssertLinksResolve(result.Workflow);
    }

    [Theory]
    [MemberData(nameof(RealData.ExampleNames), MemberType = typeof(RealData))]
    public void Embedded_ui_workflow_decodes_to_the_same_values_as_the_embedded_api_prompt(string name)
    {
        var path = RealData.Example(name);
        var fromUi = TestRegistry.Importer.Import(RealData.Chunk(path, "workflow"));
        var fromApi = TestRegistry.Importer.Import(RealData.Chunk(path, "prompt"));
        Assert.Equal(ComfyFormat.ApiPrompt, fromApi.Format);

        Assert.Equal(fromApi.Workflow.Nodes.Keys.Order(), fromUi.Workflow.Nodes.Keys.Order());
        var missing = fromUi.MissingTypes.SelectMany(m => m.NodeIds).ToHashSet();
        foreach (var (id, apiNode) in fromApi.Workflow.Nodes)
        {
            var uiNode = fromUi.Workflow.Nodes[id];
            Assert.Equal(apiNode.Type, uiNode.Type);
            Assert.Equal(apiNode.Links.OrderBy(l => l.Key), uiNode.Links.OrderBy(l => l.Key));
            if (!missing.Contains(id))
            {
                var filled = fromUi.Issues.Where(i => i.Code == InteropCodes.DefaultFilled && i.NodeId == id).Select(i => i.InputName!);
                Assert.Equal(apiNode.Inputs.Keys.Order(), uiNode.Inputs.Keys.Except(filled).Order());
                foreach (var (input, value) in apiNode.Inputs)
                {
                    Assert.True(JsonValues.Equal(value, uiNode.Inputs[input]), $"{name} node {id} input {input}: API {value.GetRawText()} vs UI {uiNode.Inputs[input].GetRawText()}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RealData.IpAdapterNames), MemberType = typeof(RealData))]
    public void IpAdapter_workflow_imports_with_exactly_the_expected_missing_types(string name)
    {
        var result = TestRegistry.Importer.ImportFile(SharedData.Require($"{RealData.IpAdapterFolder}/{name}"));
        Report(name, result);

        Assert.Equal(ExpectedMissing[name], result.MissingTypes.Select(m => m.ComfyClass).Order());
        Assert.Contains(result.Workflow.Nodes.Values, n => n.Type == "IpAdapterApply");
        AssertLinksResolve(result.Workflow);
    }

    [Fact]
    public void Chained_old_controlnet_applies_pass_the_negative_along_the_chain()
    {
        var result = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example("controlnet_mixing_controlnets.png"), "workflow"));
        var nodes = result.Workflow.Nodes;

        Assert.Equal(new LinkRef("22", 0), nodes["23"].Links["positive"]);
        Assert.Equal(new LinkRef("7", 0), nodes["22"].Links["negative"]);
        Assert.Equal(new LinkRef("22", 1), nodes["23"].Links["negative"]);
        Assert.Equal((new LinkRef("23", 0), new LinkRef("23", 1)), (nodes["3"].Links["positive"], nodes["3"].Links["negative"]));
    }

    [Fact]
    public void Old_controlnet_apply_without_a_sampler_feeds_positive_to_both_and_warns()
    {
        const string prompt = """
        {"1": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "c.safetensors"}},
         "2": {"class_type": "ControlNetApply", "inputs": {"conditioning": ["5", 0], "control_net": ["1", 0], "image": ["6", 0], "strength": 1.0}},
         "5": {"class_type": "CLIPTextEncode", "inputs": {"text": "x", "clip": ["7", 1]}},
         "6": {"class_type": "LoadImage", "inputs": {"image": "a.png"}},
         "7": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "m.safetensors"}}}
        """;

        var result = TestRegistry.Importer.Import(prompt);

        Assert.Equal(new LinkRef("5", 0), result.Workflow.Nodes["2"].Links["negative"]);
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.SemanticChange && i.NodeId == "2");
    }

    [Fact]
    public void Lora_example_keeps_the_u64_seed_the_control_value_and_the_lora_chain()
    {
        var result = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example("lora_lora.png"), "workflow"));
        var workflow = result.Workflow;

        Assert.Empty(result.Issues);
        var sampler = workflow.Nodes["3"];
        Assert.Equal("KSampler", sampler.Type);
        Assert.Equal(851616030078638UL, sampler.Inputs["seed"].GetUInt64());
        Assert.Equal(JsonValueKind.True, sampler.Extra[InteropKeys.ControlAfterGenerate].ValueKind);
        Assert.Equal(20, sampler.Inputs["steps"].GetInt32());
        Assert.Equal("euler", sampler.Inputs["sampler_name"].GetString());
        Assert.Equal(new LinkRef("10", 0), sampler.Links["model"]);
        var lora = workflow.Nodes["10"];
        Assert.Equal("LoadLora", lora.Type);
        Assert.Equal("LoraLoader", lora.Extra[InteropKeys.ClassType].GetString());
        Assert.Equal("epiNoiseoffset_v2.safetensors", lora.Inputs["lora_name"].GetString());
        Assert.Equal(new LinkRef("4", 1), lora.Links["clip"]);
        Assert.Equal("LoadCheckpoint", workflow.Nodes["4"].Type);
        Assert.Equal("TextEncode", workflow.Nodes["6"].Type);
        Assert.NotNull(workflow.Nodes["6"].Layout?.Position);
    }

    [Fact]
    public void Old_controlnet_apply_carries_the_samplers_negative_too()
    {
        var result = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example("controlnet_controlnet_example.png"), "workflow"));
        var apply = result.Workflow.Nodes["10"];

        Assert.Equal("ApplyControlNet", apply.Type);
        Assert.Equal(0.8999999999999999, apply.Inputs["strength"].GetDouble());
        Assert.Equal(new LinkRef("6", 0), apply.Links["positive"]);
        Assert.Equal(new LinkRef("7", 0), apply.Links["negative"]);
        Assert.Equal(new LinkRef("10", 0), result.Workflow.Nodes["3"].Links["positive"]);
        Assert.Equal(new LinkRef("10", 1), result.Workflow.Nodes["3"].Links["negative"]);
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.LegacyRewired && i.NodeId == "3");
        Assert.DoesNotContain(result.Issues, i => i.Severity == InteropSeverity.Warning);
        Assert.Equal("input_scribble_example.png", result.Workflow.Nodes["11"].Inputs["image"].GetString());
        Assert.Single(result.Workflow.Nodes["11"].Inputs);
    }

    private static void Report(string name, ComfyImportResult result)
    {
        var missing = result.MissingTypes.Count == 0 ? "nothing" : string.Join(", ", result.MissingTypes.Select(m => $"{m.ComfyClass} (nodes {string.Join(",", m.NodeIds)})"));
        RealData.Log($"{name}: {result.Workflow.Nodes.Count} nodes, missing {missing}");
        foreach (var issue in result.Issues)
        {
            RealData.Log("  " + issue);
        }
    }

    internal static void AssertLinksResolve(Workflow workflow)
    {
        foreach (var (id, node) in workflow.Nodes)
        {
            foreach (var (input, link) in node.Links)
            {
                Assert.True(workflow.Nodes.ContainsKey(link.Node), $"node {id} input {input} links to missing node {link.Node}");
            }
        }
    }
}
