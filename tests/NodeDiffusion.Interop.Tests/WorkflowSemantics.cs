using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Interop.Tests;

/// <summary>Asserts that two workflows mean the same: node ids, types, modes, values (numbers by value) and links.</summary>
public static class WorkflowSemantics
{
    public static void AssertEquivalent(Workflow expected, Workflow actual, bool compareLayout = false, ISet<string>? skipValuesOf = null)
    {
        Assert.True(expected.Nodes.Keys.Order().SequenceEqual(actual.Nodes.Keys.Order()),
            $"node ids {string.Join(",", expected.Nodes.Keys.Order())} vs {string.Join(",", actual.Nodes.Keys.Order())}");
        foreach (var (id, node) in expected.Nodes)
        {
            var other = actual.Nodes[id];
            Assert.Equal(node.Type, other.Type);
            Assert.Equal(node.Mode, other.Mode);
            Assert.True(node.Links.OrderBy(l => l.Key).SequenceEqual(other.Links.OrderBy(l => l.Key)),
                $"node {id} links {Describe(node.Links)} vs {Describe(other.Links)}");
            if (skipValuesOf?.Contains(id) != true)
            {
                Assert.Equal(node.Inputs.Keys.Order(), other.Inputs.Keys.Order());
                foreach (var (input, value) in node.Inputs)
                {
                    Assert.True(JsonValues.Equal(value, other.Inputs[input]), $"node {id} input {input}: {value.GetRawText()} vs {other.Inputs[input].GetRawText()}");
                }
            }
            if (compareLayout)
            {
                Assert.Equal(node.Layout?.Position, other.Layout?.Position);
                // ComfyUI requires a size, so a node without one is written with a default size.
                Assert.True(node.Layout?.Size is null || node.Layout.Size.SequenceEqual(other.Layout?.Size ?? []),
                    $"node {id} size {string.Join(",", node.Layout?.Size ?? [])} vs {string.Join(",", other.Layout?.Size ?? [])}");
                Assert.Equal(node.Layout?.Title, other.Layout?.Title);
                Assert.Equal(node.Layout?.Color, other.Layout?.Color);
                Assert.Equal(node.Layout?.BackgroundColor, other.Layout?.BackgroundColor);
                Assert.Equal(node.Layout?.Collapsed ?? false, other.Layout?.Collapsed ?? false);
            }
        }
        if (compareLayout)
        {
            Assert.Equal(expected.Groups.Count, actual.Groups.Count);
            foreach (var (a, b) in expected.Groups.Zip(actual.Groups))
            {
                Assert.Equal((a.Title, a.Color, a.FontSize), (b.Title, b.Color, b.FontSize));
                Assert.Equal(a.Bounding, b.Bounding);
            }
            Assert.Equal(expected.Viewport, actual.Viewport);
        }
    }

    private static string Describe(IEnumerable<KeyValuePair<string, LinkRef>> links) =>
        string.Join(" ", links.OrderBy(l => l.Key).Select(l => $"{l.Key}<-{l.Value.Node}:{l.Value.Output}"));
}
