using System.Text.Json;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Tests.Support;

/// <summary>Terse construction of workflows in tests.</summary>
public sealed class GraphBuilder
{
    public Workflow Workflow { get; } = new();

    public GraphBuilder Node(string id, string type, object? inputs = null, params (string Input, string Source, int Output)[] links)
    {
        var node = new WorkflowNode { Type = type };
        if (inputs is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(inputs).EnumerateObject())
            {
                node.Inputs[property.Name] = property.Value.Clone();
            }
        }
        foreach (var (input, source, output) in links)
        {
            node.Links[input] = new LinkRef(source, output);
        }
        Workflow.Nodes[id] = node;
        return this;
    }
}
