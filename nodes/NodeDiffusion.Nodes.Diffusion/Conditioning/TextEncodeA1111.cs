using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("TextEncodeA1111", Category = "conditioning", DisplayName = "CLIP Text Encode (A1111 weighting)",
    Description = "Encodes a prompt the AUTOMATIC1111 way: (word) ×1.1, [word] ÷1.1, (word:1.2), nesting multiplies, BREAK starts a chunk; weights multiply the token outputs and, by default, the chunk's mean is restored.")]
public sealed class TextEncodeA1111 : Node<TextEncodeA1111.In, TextEncode.Out>
{
    public sealed record In(
        [Text("", Multiline = true, DynamicPrompts = true, Tooltip = "The prompt, in A1111 syntax.")] string Text,
        ClipHandle Clip,
        [Combo("mean restored", "no norm", Tooltip = "A1111's emphasis: \"mean restored\" is its default (Original); \"no norm\" only multiplies.")] string Emphasis);

    public override ValueTask<TextEncode.Out> ExecuteAsync(In inputs, INodeContext context) =>
        TextEncode.Encode(new TextEncode.In(inputs.Text, inputs.Clip), context, PromptTokenizerOptions.A1111(restoreMean: inputs.Emphasis != "no norm"));

    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        new TextEncode().Fingerprint(widgetValues, services);
}
