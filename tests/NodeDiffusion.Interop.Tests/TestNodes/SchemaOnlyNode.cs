using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Interop.Tests.TestNodes;

/// <summary>A node that only declares a schema (ComfyUI's, input for input), for import and export tests; it never runs.</summary>
public abstract class SchemaOnlyNode<TIn, TOut> : Node<TIn, TOut>
    where TIn : class
    where TOut : class
{
    public override ValueTask<TOut> ExecuteAsync(TIn inputs, INodeContext context) =>
        throw new InvalidOperationException($"{GetType().Name} exists to declare a schema in tests; it does not execute.");
}
