using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Interop.Schemas;

/// <summary>Node schemas by type id or alias: our registry, or an <c>object_info</c> document.</summary>
public interface ISchemaSource
{
    NodeSchema? Find(string typeIdOrAlias);
}
