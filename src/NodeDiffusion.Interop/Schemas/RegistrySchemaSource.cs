using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Interop.Schemas;

/// <summary>The schemas of the node types registered in this process.</summary>
public sealed class RegistrySchemaSource(NodeRegistry registry) : ISchemaSource
{
    public NodeSchema? Find(string typeIdOrAlias) => registry.Find(typeIdOrAlias)?.Schema;
}
