using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Interop.Export;
using NodeDiffusion.Interop.Import;

namespace NodeDiffusion.Interop.Tests.TestNodes;

/// <summary>The registry of the test nodes: ComfyUI's core node schemas under our type ids.</summary>
public static class TestRegistry
{
    private static readonly Lazy<NodeRegistry> Instance = new(() => NodeRegistry.FromAssemblies(typeof(TestRegistry).Assembly));

    public static NodeRegistry Registry => Instance.Value;

    public static ComfyImportOptions Options => new(Registry);

    public static ComfyImporter Importer => new(Options);

    public static ComfyExporter Exporter => new(new ComfyExportOptions(Registry));
}
