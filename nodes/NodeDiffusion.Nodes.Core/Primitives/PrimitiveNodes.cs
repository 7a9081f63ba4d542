using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Primitives;

[NodeType("PrimitiveInt", Category = "utils/primitive", DisplayName = "Int", Description = "A whole number to feed into other nodes.")]
public sealed class PrimitiveInt : Node<PrimitiveInt.In, PrimitiveInt.Out>
{
    public sealed record In([Int(0, ControlAfterGenerate = true)] long Value);

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Value));
}

[NodeType("PrimitiveFloat", Category = "utils/primitive", DisplayName = "Float", Description = "A number to feed into other nodes.")]
public sealed class PrimitiveFloat : Node<PrimitiveFloat.In, PrimitiveFloat.Out>
{
    public sealed record In([Float(0, Step = 0.01)] double Value);

    public sealed record Out(double Float);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Value));
}

[NodeType("PrimitiveString", Category = "utils/primitive", DisplayName = "String", Description = "A line of text.")]
public sealed class PrimitiveString : Node<PrimitiveString.In, PrimitiveString.Out>
{
    public sealed record In([Text("")] string Value);

    public sealed record Out(string String);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Value));
}

[NodeType("PrimitiveStringMultiline", Category = "utils/primitive", DisplayName = "String (Multiline)", Description = "A block of text.")]
public sealed class PrimitiveStringMultiline : Node<PrimitiveStringMultiline.In, PrimitiveStringMultiline.Out>
{
    public sealed record In([Text("", Multiline = true)] string Value);

    public sealed record Out(string String);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Value));
}

[NodeType("PrimitiveBoolean", Category = "utils/primitive", DisplayName = "Boolean", Description = "A true/false switch.")]
public sealed class PrimitiveBoolean : Node<PrimitiveBoolean.In, PrimitiveBoolean.Out>
{
    public sealed record In([Boolean(false)] bool Value);

    public sealed record Out(bool Boolean);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Value));
}
