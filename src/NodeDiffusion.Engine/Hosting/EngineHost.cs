using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Engine.Hosting;

/// <summary>The engine's parts wired together for one process: registry, services, validator, cache and executor.</summary>
public sealed class EngineHost
{
    private EngineHost(EngineSettings settings, NodeRegistry registry, NodeServices services, ILoggerFactory loggers)
    {
        Settings = settings;
        Registry = registry;
        Services = services;
        ComboOptions = new CompositeComboOptions([new StorageComboOptions(settings.Roots), .. services.ComboProviders]);
        Validator = new WorkflowValidator(registry, ComboOptions);
        Cache = new OutputCache(settings.CacheEntries, settings.CacheBytes);
        Executor = new WorkflowExecutor(Cache, services, loggers.CreateLogger("NodeDiffusion.Engine"),
            new ExecutionOptions { MaxParallelism = settings.MaxParallelism });
        Loggers = loggers;
    }

    public EngineSettings Settings { get; }
    public NodeRegistry Registry { get; }
    public NodeServices Services { get; }
    public IComboOptionsProvider ComboOptions { get; }
    public WorkflowValidator Validator { get; }
    public OutputCache Cache { get; }
    public WorkflowExecutor Executor { get; }
    public ILoggerFactory Loggers { get; }

    /// <summary>
    /// Builds the host with the node packs found beside the application (NodeDiffusion.Nodes.*.dll) plus any given
    /// assemblies, creates the storage folders, and lets each pack register its services.
    /// </summary>
    public static EngineHost Create(EngineSettings settings, IEnumerable<Assembly>? extraPacks = null, ILoggerFactory? loggers = null, IServiceProvider? fallback = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        var registry = NodeRegistry.FromDirectory(AppContext.BaseDirectory);
        foreach (var assembly in extraPacks ?? [])
        {
            registry.AddAssembly(assembly);
        }
        var roots = settings.Roots;
        foreach (var directory in new[] { roots.Input, roots.Output, roots.Temp, roots.Models, roots.UserData, settings.DataDirectory })
        {
            Directory.CreateDirectory(directory);
        }
        var services = new NodeServices(fallback);
        services.Add(roots);
        services.Add(loggers);
        services.Add(new DataFolder(settings.DataDirectory));
        foreach (var initializer in registry.Initializers)
        {
            initializer.Initialize(services);
        }
        return new EngineHost(settings, registry, services, loggers);
    }
}
