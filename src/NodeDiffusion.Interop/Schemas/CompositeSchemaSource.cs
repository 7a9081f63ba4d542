using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Interop.Schemas;

/// <summary>Asks each source in turn; the first that knows the type wins.</summary>
public sealed class CompositeSchemaSource(params ISchemaSource[] sources) : ISchemaSource
{
    public NodeSchema? Find(string typeIdOrAlias)
    {
        foreach (var source in sources)
        {
            if (source.Find(typeIdOrAlias) is { } schema)
            {
                return schema;
            }
        }
        return null;
    }
}
