using System.Reflection;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Graph.Registry;

/// <summary>The node types known to this process, discovered in node-pack assemblies.</summary>
public sealed class NodeRegistry
{
    private readonly Dictionary<string, NodeDefinition> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeDefinition> _byAlias = new(StringComparer.Ordinal);

    private readonly List<INodePackInitializer> _initializers = [];

    /// <summary>A registry holds the virtual built-ins (Reroute) from the start; node packs add the rest.</summary>
    public NodeRegistry() => Add(typeof(Reroute));

    public IReadOnlyCollection<NodeDefinition> Definitions => _byId.Values;

    /// <summary>The service hooks of the registered node packs, in discovery order.</summary>
    public IReadOnlyList<INodePackInitializer> Initializers => _initializers;

    /// <summary>The file name pattern of the built-in and third-party node packs beside the application.</summary>
    public const string NodePackPattern = "NodeDiffusion.Nodes.*.dll";

    /// <summary>Registers every node type found in the node-pack assemblies in <paramref name="directory"/>.</summary>
    public static NodeRegistry FromDirectory(string directory)
    {
        var registry = new NodeRegistry();
        foreach (var path in Directory.EnumerateFiles(directory, NodePackPattern).Order(StringComparer.Ordinal))
        {
            registry.AddAssembly(Assembly.LoadFrom(path));
        }
        return registry;
    }

    public static NodeRegistry FromAssemblies(params Assembly[] assemblies)
    {
        var registry = new NodeRegistry();
        foreach (var assembly in assemblies)
        {
            registry.AddAssembly(assembly);
        }
        return registry;
    }

    public void AddAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetExportedTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(INodePackInitializer).IsAssignableFrom(t))
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            _initializers.Add((INodePackInitializer)Activator.CreateInstance(type)!);
        }
        foreach (var type in assembly.GetExportedTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(INode).IsAssignableFrom(t)
                                 && t.GetCustomAttribute<NodeTypeAttribute>() is not null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            Add(type);
        }
    }

    public NodeDefinition Add(Type nodeType)
    {
        var schema = NodeSchemaReader.Read(nodeType);
        var instance = (INode)(Activator.CreateInstance(nodeType)
            ?? throw new InvalidOperationException($"Cannot create {nodeType.FullName}."));
        var definition = new NodeDefinition(schema, instance, nodeType);
        if (_byId.TryGetValue(schema.TypeId, out var existing) && existing.NodeClrType != nodeType)
        {
            throw new InvalidOperationException(
                $"Node type id '{schema.TypeId}' is declared by both {existing.NodeClrType.FullName} and {nodeType.FullName}.");
        }
        _byId[schema.TypeId] = definition;
        foreach (var alias in schema.Aliases)
        {
            _byAlias[alias] = definition;
        }
        return definition;
    }

    /// <summary>Finds a node type by its id or by one of its aliases (such as a ComfyUI class name).</summary>
    public NodeDefinition? Find(string typeIdOrAlias) =>
        _byId.TryGetValue(typeIdOrAlias, out var definition) ? definition
        : _byAlias.TryGetValue(typeIdOrAlias, out definition) ? definition
        : null;
}
