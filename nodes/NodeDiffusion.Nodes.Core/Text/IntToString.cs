using System.Globalization;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Text;

[NodeType("ToString", Category = "utils/string", DisplayName = "To String", Description = "Formats any number, boolean or text as a string.")]
public sealed class ValueToString : Node<ValueToString.In, ValueToString.Out>
{
    public sealed record In([Input(Type = PortTypes.Any)] object Value);

    public sealed record Out(string String);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Value switch
    {
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => inputs.Value.ToString() ?? "",
    }));
}
