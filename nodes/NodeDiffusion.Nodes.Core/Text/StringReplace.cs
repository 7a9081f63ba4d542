using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Text;

[NodeType("StringReplace", Category = "utils/string", DisplayName = "Replace", Description = "Replaces every occurrence of find with replace.")]
public sealed class StringReplace : Node<StringReplace.In, StringReplace.Out>
{
    public sealed record In(
        [Text("", Multiline = true)] string String,
        [Text("")] string Find,
        [Text("")] string Replace);

    public sealed record Out(string String);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(inputs.Find.Length == 0 ? inputs.String : inputs.String.Replace(inputs.Find, inputs.Replace, StringComparison.Ordinal)));
}
