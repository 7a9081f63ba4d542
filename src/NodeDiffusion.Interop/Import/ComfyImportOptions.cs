using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Schemas;

namespace NodeDiffusion.Interop.Import;

/// <summary>
/// What the importer maps onto. <see cref="Schemas"/> are our node types (the registry, or our object_info);
/// <see cref="ComfySchemas"/> optionally describe ComfyUI classes we have no twin for, so their widget values keep their names.
/// </summary>
public sealed record ComfyImportOptions(ISchemaSource Schemas)
{
    public ComfyImportOptions(NodeRegistry registry) : this(new RegistrySchemaSource(registry))
    {
    }

    public ComfyClassMap ClassMap { get; init; } = ComfyClassMap.Default;
    public ISchemaSource? ComfySchemas { get; init; }
    public ModelNameMap? ModelNames { get; init; }
    /// <summary>How many reroutes or bypassed nodes a link may pass through before it is considered a cycle.</summary>
    public int MaxLinkHops { get; init; } = 256;
    /// <summary>
    /// Keep the editor's Reroute nodes as our Reroute nodes (when <see cref="Schemas"/> knows the type), instead of
    /// resolving them away. Link reroutes of schema 1 (points on a link, no node) are always resolved away.
    /// </summary>
    public bool KeepReroutes { get; init; } = true;
}
