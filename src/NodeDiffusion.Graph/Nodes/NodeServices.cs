using System.Collections.Concurrent;

namespace NodeDiffusion.Graph.Nodes;

/// <summary>
/// The services nodes can reach through <see cref="INodeContext.Services"/>: storage roots, model managers and the like.
/// Node packs add theirs through an <see cref="INodePackInitializer"/>; the host may add more.
/// </summary>
public sealed class NodeServices(IServiceProvider? fallback = null) : IServiceProvider
{
    private readonly ConcurrentDictionary<Type, object> _services = new();

    /// <summary>Dynamic COMBO sources that node packs contribute (e.g. "samplers"), asked after the storage folders.</summary>
    public List<IComboOptionsProvider> ComboProviders { get; } = [];

    public NodeServices Add<T>(T service)
        where T : class
    {
        _services[typeof(T)] = service;
        return this;
    }

    public T GetOrAdd<T>(Func<T> create)
        where T : class => (T)_services.GetOrAdd(typeof(T), _ => create());

    public T Get<T>()
        where T : class => (T?)GetService(typeof(T))
        ?? throw new InvalidOperationException($"The service {typeof(T).Name} is not registered.");

    public object? GetService(Type serviceType) =>
        _services.TryGetValue(serviceType, out var service) ? service : fallback?.GetService(serviceType);
}

/// <summary>A node pack's hook to register the services its nodes need, run once when the host starts.</summary>
public interface INodePackInitializer
{
    void Initialize(NodeServices services);
}
