using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Schemas;

namespace NodeDiffusion.Interop.Export;

/// <summary>The schemas of our node types (for widget order and port types) and the class-name table to write ComfyUI names.</summary>
public sealed record ComfyExportOptions(ISchemaSource Schemas)
{
    public ComfyExportOptions(NodeRegistry registry) : this(new RegistrySchemaSource(registry))
    {
    }

    public ComfyClassMap ClassMap { get; init; } = ComfyClassMap.Default;
    /// <summary>ComfyUI's object_info, when at hand, for the widget order of classes we only know as placeholders.</summary>
    public ISchemaSource? ComfySchemas { get; init; }
    public int MaxBypassHops { get; init; } = 256;
}
