using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Nodes.Diffusion.Services;

/// <summary>
/// Registers the diffusion services. When models/checkpoints holds no model at all, it writes the demo checkpoint
/// first, so every workflow runs on a fresh machine.
/// </summary>
public sealed class DiffusionPack : INodePackInitializer
{
    public void Initialize(NodeServices services)
    {
        var roots = services.Get<StorageRoots>();
        var loggers = services.GetService(typeof(ILoggerFactory)) as ILoggerFactory ?? NullLoggerFactory.Instance;
        var checkpoints = Path.Combine(roots.Models, DiffusionModels.CheckpointsFolder);
        if (StorageComboOptions.ListFiles(checkpoints, StorageComboOptions.ModelExtensions, includeModelFolders: true).Count == 0)
        {
            loggers.CreateLogger("NodeDiffusion").LogInformation("No checkpoint in {Folder}; writing the demo checkpoint", checkpoints);
            DemoCheckpoint.EnsureExists(roots.Models);
        }
        var models = new DiffusionModels(roots, loggers, services.GetService(typeof(DataFolder)) is DataFolder data ? data.CompiledModels : null);
        services.Add(models);
        // A host's default (the server's --preview-method) may come from its fallback container.
        services.Add(services.GetService(typeof(PreviewOptions)) as PreviewOptions ?? new PreviewOptions());
        // One thread for preview decoding: on CPU a TAESD decode on every core competed with the UNet and doubled the
        // sampler loop (bench txt2img); previews are latest-wins, so a slower preview costs nothing but staleness.
        var previewFactory = new SessionFactory(models.Compiled.Factory.Spec with { IntraOpThreads = 1 }, loggers.CreateLogger("NodeDiffusion.Previews"));
        services.Add(new TaesdPreviewDecoders(roots, previewFactory));
        services.ComboProviders.Add(new SamplingComboOptions());
    }
}
