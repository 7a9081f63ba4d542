using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Cli.Commands;

/// <summary>
/// One model component `models eval` can compile: how to build its graph and how the reference-fixture tensor names
/// map to the graph's input and output names (unmapped graph outputs keep their own names).
/// </summary>
internal sealed record EvalComponent(
    string Name,
    bool NeedsConfig,
    Func<string?, IWeightSource, ModelProto> Build,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Outputs)
{
    /// <summary>Fixture inputs that are integer token ids rather than float tensors.</summary>
    public static bool IsTokenIds(string fixtureName) => fixtureName == "input_ids";

    public string OutputName(string graphOutput) => Outputs.TryGetValue(graphOutput, out var name) ? name : graphOutput;
}
