using System.Text;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Graph;

public sealed class WorkflowJsonTests
{
    public static TheoryData<string> RepositoryWorkflows()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, "workflows"), "*.json").Order())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RepositoryWorkflows))]
    public void EveryRepositoryWorkflowRoundTripsLosslessly(string name)
    {
        var text = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "workflows", name));
        var first = WorkflowJson.Parse(text);
        Assert.True(first.Success, string.Join("\n", first.Errors));
        var saved = WorkflowJson.Serialize(first.Workflow!);
        var second = WorkflowJson.Parse(saved);
        Assert.True(second.Success);
        Assert.Equal(saved, WorkflowJson.Serialize(second.Workflow!));
        Assert.Equal(Normalize(text), Normalize(saved));
    }

    [Fact]
    public void LayoutGroupsModelsAndUnknownPropertiesSurviveASaveAndLoad()
    {
        const string json = """
            {"format":"nodediffusion.workflow","version":1,"name":"n",
             "nodes":{"7":{"type":"TestSink","mode":"bypassed","inputs":{"value":18446744073709551615,"ratio":1.0,"deep":{"a":[1,2]}},
                           "links":{"value":["3",0]},"layout":{"pos":[1.5,2],"size":[300,200],"title":"T","color":"#fff","bgcolor":"#000","collapsed":true},
                           "custom":{"kept":true}}},
             "groups":[{"title":"G","bounding":[0,0,10,10],"color":"#abc","font_size":24}],
             "viewport":{"x":-12.5,"y":3,"zoom":0.75},
             "models":[{"name":"demo.safetensors","folder":"checkpoints","sha256":"ab","url":"https://example.invalid/x"}],
             "extra":{"editor":{"theme":"dark"}}}
            """;
        var parsed = WorkflowJson.Parse(json);
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        var node = parsed.Workflow!.Nodes["7"];
        Assert.Equal(NodeMode.Bypassed, node.Mode);
        Assert.Equal("18446744073709551615", node.Inputs["value"].GetRawText());
        Assert.Equal("1.0", node.Inputs["ratio"].GetRawText());
        Assert.True(node.Layout!.Collapsed);
        Assert.Equal(new LinkRef("3", 0), node.Links["value"]);
        var saved = WorkflowJson.Serialize(parsed.Workflow!, indented: false);
        Assert.Equal(Normalize(json), Normalize(saved));
    }

    [Fact]
    public void TruncatedJsonIsInvalidJsonWithAPosition()
    {
        var result = WorkflowJson.Parse("""{"format":"nodediffusion.workflow","version":1,"nodes":{"1":{"type":""");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ValidationCodes.InvalidJson, error.Code);
        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ValidationCodes.InvalidJson)]
    [InlineData("[]", ValidationCodes.InvalidJson)]
    [InlineData("""{"version":1}""", ValidationCodes.InvalidJson)]
    [InlineData("""{"nodes":{}}""", ValidationCodes.UnsupportedVersion)]
    [InlineData("""{"version":99,"nodes":{}}""", ValidationCodes.UnsupportedVersion)]
    [InlineData("""{"format":"comfy","version":1,"nodes":{}}""", ValidationCodes.UnsupportedVersion)]
    [InlineData("""{"version":1,"nodes":{"1":{"inputs":{}}}}""", ValidationCodes.InvalidJson)]
    [InlineData("""{"version":1,"nodes":{"1":{"type":"X","links":{"a":["2"]}}}}""", ValidationCodes.InvalidJson)]
    [InlineData("""{"version":1,"nodes":{"1":{"type":"X","links":{"a":["2",-1]}}}}""", ValidationCodes.InvalidJson)]
    [InlineData("""{"version":1,"nodes":{"1":{"type":"X","mode":"sleepy"}}}""", ValidationCodes.InvalidJson)]
    public void MalformedDocumentsGetTheRightCode(string json, string code)
    {
        var result = WorkflowJson.Parse(json);
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Code == code);
    }

    [Fact]
    public void DeeplyNestedJsonIsRefusedNotCrashed()
    {
        var json = """{"version":1,"nodes":{"1":{"type":"X","inputs":{"a":""" + new string('[', 5000) + new string(']', 5000) + "}}}}";
        var result = WorkflowJson.Parse(json);
        Assert.Equal(ValidationCodes.InvalidJson, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void OversizedJsonIsTooLarge()
    {
        var bytes = new byte[WorkflowLimits.MaxJsonBytes + 1];
        bytes.AsSpan().Fill((byte)' ');
        var result = WorkflowJson.Parse(bytes);
        Assert.Equal(ValidationCodes.TooLarge, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void MoreThanTenThousandNodesIsTooLarge()
    {
        var builder = new StringBuilder("""{"format":"nodediffusion.workflow","version":1,"nodes":{""");
        for (var i = 0; i <= WorkflowLimits.MaxNodes; i++)
        {
            builder.Append(i == 0 ? "" : ",").Append('"').Append(i).Append("\":{\"type\":\"TestNumber\"}");
        }
        builder.Append("}}");
        var result = WorkflowJson.Parse(builder.ToString());
        var error = Assert.Single(result.Errors);
        Assert.Equal(ValidationCodes.TooLarge, error.Code);
        Assert.Contains("10,000", error.Message, StringComparison.Ordinal);
    }

    private static string Normalize(string json) =>
        System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();
}
