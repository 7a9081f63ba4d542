using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Utility;

[NodeType("ShowText", Category = "utils", DisplayName = "Show Text", IsOutput = true,
    Description = "Shows a string on the node and in the run's outputs.", Aliases = ["PreviewAny"])]
public sealed class ShowText : Node<ShowText.In, NoOutputs>
{
    public sealed record In([Input(Type = PortTypes.Any)] object Source);

    public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
    {
        var text = inputs.Source switch
        {
            IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => inputs.Source.ToString() ?? "",
        };
        context.AddUiOutput("text", new UiItem(Text: text));
        return ValueTask.FromResult(NoOutputs.Instance);
    }
}
