using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Server.Tests.Infrastructure;

/// <summary>An output node that says which preview method a sampler would use in its prompt (test only).</summary>
[NodeType("TestPreviewMethod", Category = "testing", DisplayName = "Preview Method", IsOutput = true, NotIdempotent = true,
    Description = "Shows the preview method of the prompt being run (test only).")]
public sealed class TestPreviewMethodNode : Node<TestPreviewMethodNode.In, NoOutputs>
{
    public sealed record In;

    public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
    {
        context.AddUiOutput("text", new UiItem(Text: PreviewMethodNames.Name(PreviewOptions.For(context.Services))));
        return ValueTask.FromResult(NoOutputs.Instance);
    }
}
