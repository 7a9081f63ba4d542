namespace NodeDiffusion.Graph.Nodes;

/// <summary>
/// ComfyUI's Reroute: a virtual node that only tidies links. Validation resolves a link from a reroute to the reroute's
/// own source (see <c>LinkResolver</c>), so it never runs and never enters a cache key. It is a built-in of every
/// registry because that resolution is graph semantics, not a node pack's business.
/// </summary>
[NodeType(TypeId, Category = "utils", DisplayName = "Reroute",
    Description = "Passes one link through unchanged, to route wires tidily. It is resolved away before a run.")]
public sealed class Reroute : Node<Reroute.In, Reroute.Out>
{
    public const string TypeId = "Reroute";
    public const string InputName = "input";

    public sealed record In([Input(Type = PortTypes.Any)] object Input);

    public sealed record Out([Output(Type = PortTypes.Any, Name = "*")] object Output);

    public static bool Is(string type) => type == TypeId;

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        throw new InvalidOperationException("A Reroute is resolved during validation and never runs.");
}
