using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Math;

[NodeType("FloatMath", Category = "utils/math", DisplayName = "Float Math", Description = "a (op) b on numbers.")]
public sealed class FloatMath : Node<FloatMath.In, FloatMath.Out>
{
    public sealed record In(
        [Float(0)] double A,
        [Float(0)] double B,
        [Combo("add", "subtract", "multiply", "divide", "min", "max", "power")] string Operation);

    public sealed record Out(double Float);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var (a, b) = (inputs.A, inputs.B);
        var result = inputs.Operation switch
        {
            "add" => a + b,
            "subtract" => a - b,
            "multiply" => a * b,
            "divide" when b == 0 => throw new NodeException($"Cannot divide {a} by zero.", "b"),
            "divide" => a / b,
            "min" => System.Math.Min(a, b),
            "max" => System.Math.Max(a, b),
            "power" => System.Math.Pow(a, b),
            _ => throw new NodeException($"Unknown operation \"{inputs.Operation}\".", "operation"),
        };
        if (!double.IsFinite(result))
        {
            throw new NodeException($"{a} {inputs.Operation} {b} is not a finite number.");
        }
        return ValueTask.FromResult(new Out(result));
    }
}
