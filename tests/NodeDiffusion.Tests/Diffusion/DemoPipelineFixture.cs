using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>One base folder with the demo checkpoint, written once for the tests that sample with it.</summary>
public sealed class DemoPipelineFixture : IDisposable
{
    public TempDirectory Directory { get; } = new("nd-demo");

    public EngineSettings Settings => EngineSettings.Under(Directory.Path);

    /// <summary>A fresh host (fresh caches) over the shared folder; the first one writes the demo checkpoint.</summary>
    public EngineHost NewHost() => EngineHost.Create(Settings);

    public void Dispose() => Directory.Dispose();
}
