using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.IpAdapter;

/// <summary>A base folder with the diffusion model service, for calling loader nodes directly.</summary>
internal sealed class NodeTestContext : INodeContext, IDisposable
{
    private readonly TempDirectory _directory = new("nd-ipadapter");

    public NodeTestContext()
    {
        Roots = StorageRoots.Under(_directory.Path);
        Directory.CreateDirectory(Roots.Models);
        Models = new DiffusionModels(Roots, NullLoggerFactory.Instance);
        Services = new NodeServices().Add(Models);
    }

    public StorageRoots Roots { get; }
    public DiffusionModels Models { get; }
    public string NodeId => "test";
    public CancellationToken CancellationToken => CancellationToken.None;
    public ILogger Logger => NullLogger.Instance;
    public IServiceProvider Services { get; }
    public WorkflowSnapshot Workflow => WorkflowSnapshot.None;

    /// <summary>Copies <paramref name="source"/> into models/<paramref name="folder"/> (a temporary folder) as <paramref name="name"/>.</summary>
    public string Place(string folder, string name, string source)
    {
        var path = Path.Combine(Roots.Models, folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path, overwrite: true);
        return path;
    }

    public void ReportProgress(int value, int max) { }
    public void Preview(PreviewFrame frame) { }
    public void Warn(string message) { }
    public void AddUiOutput(string key, UiItem item) { }

    public void Dispose()
    {
        Models.Dispose();
        _directory.Dispose();
    }
}
