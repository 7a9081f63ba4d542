namespace NodeDiffusion.Graph.Nodes;

/// <summary>The untyped face of a node that the engine calls. Node authors derive from <see cref="Node{TInputs, TOutputs}"/>.</summary>
public interface INode
{
    /// <summary>Runs the node on bound inputs (by input name) and returns its outputs in output order.</summary>
    ValueTask<object?[]> ExecuteAsync(IReadOnlyDictionary<string, object?> inputs, INodeContext context);

    /// <summary>
    /// A fingerprint of what the node reads besides its inputs (e.g. a file hash), folded into its cache key.
    /// Null when the inputs say everything.
    /// </summary>
    string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services);
}
