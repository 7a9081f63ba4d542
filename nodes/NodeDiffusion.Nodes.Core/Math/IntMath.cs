using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Core.Math;

[NodeType("IntMath", Category = "utils/math", DisplayName = "Int Math", Description = "a (op) b on whole numbers. Division and modulo by zero are errors.")]
public sealed class IntMath : Node<IntMath.In, IntMath.Out>
{
    public sealed record In(
        [Int(0)] long A,
        [Int(0)] long B,
        [Combo("add", "subtract", "multiply", "divide", "modulo", "min", "max", "power")] string Operation);

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var (a, b) = (inputs.A, inputs.B);
        if (inputs.Operation is "divide" or "modulo" && b == 0)
        {
            throw new NodeException($"Cannot {inputs.Operation} {a} by zero.", "b");
        }
        long result;
        try
        {
            result = inputs.Operation switch
            {
                "add" => checked(a + b),
                "subtract" => checked(a - b),
                "multiply" => checked(a * b),
                "divide" => a / b,
                "modulo" => a % b,
                "min" => System.Math.Min(a, b),
                "max" => System.Math.Max(a, b),
                "power" => Power(a, b),
                _ => throw new NodeException($"Unknown operation \"{inputs.Operation}\".", "operation"),
            };
        }
        catch (OverflowException)
        {
            throw new NodeException($"{a} {inputs.Operation} {b} does not fit in a 64-bit integer.");
        }
        return ValueTask.FromResult(new Out(result));
    }

    private static long Power(long a, long b)
    {
        if (b < 0)
        {
            throw new NodeException("A negative exponent does not give a whole number.", "b");
        }
        long result = 1;
        for (var i = 0L; i < b; i++)
        {
            result = checked(result * a);
        }
        return result;
    }
}
