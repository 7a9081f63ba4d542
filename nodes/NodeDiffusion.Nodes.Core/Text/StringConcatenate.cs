using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Text;

[NodeType("StringConcatenate", Category = "utils/string", DisplayName = "Concatenate", Description = "Joins two strings with a delimiter.")]
public sealed class StringConcatenate : Node<StringConcatenate.In, StringConcatenate.Out>
{
    public sealed record In(
        [Text("", Multiline = true)] string StringA,
        [Text("", Multiline = true)] string StringB,
        [Text("")] string Delimiter);

    public sealed record Out(string String);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(inputs.StringA + inputs.Delimiter + inputs.StringB));
}
