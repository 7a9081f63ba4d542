namespace NodeDiffusion.Graph.Nodes;

/// <summary>
/// A node: <typeparamref name="TInputs"/> is a record whose constructor parameters are the inputs in order;
/// <typeparamref name="TOutputs"/> is a record whose constructor parameters are the outputs in order.
/// </summary>
public abstract class Node<TInputs, TOutputs> : INode
    where TInputs : class
    where TOutputs : class
{
    private static readonly RecordShape InputShape = RecordShape.Of(typeof(TInputs));
    private static readonly RecordShape OutputShape = RecordShape.Of(typeof(TOutputs));

    public abstract ValueTask<TOutputs> ExecuteAsync(TInputs inputs, INodeContext context);

    /// <inheritdoc cref="INode.Fingerprint"/>
    public virtual string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) => null;

    async ValueTask<object?[]> INode.ExecuteAsync(IReadOnlyDictionary<string, object?> inputs, INodeContext context)
    {
        var typedInputs = (TInputs)InputShape.Construct(inputs);
        var outputs = await ExecuteAsync(typedInputs, context).ConfigureAwait(false);
        return OutputShape.Deconstruct(outputs);
    }
}

/// <summary>The outputs of a node that has none (an output node such as SaveImage).</summary>
public sealed record NoOutputs
{
    public static NoOutputs Instance { get; } = new();
}
