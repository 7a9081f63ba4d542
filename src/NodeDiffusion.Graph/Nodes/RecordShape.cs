using System.Reflection;

namespace NodeDiffusion.Graph.Nodes;

/// <summary>Builds and takes apart the input and output records of a node through their primary constructor.</summary>
internal sealed class RecordShape
{
    private readonly ConstructorInfo _constructor;
    private readonly PropertyInfo[] _properties;

    private RecordShape(Type type)
    {
        _constructor = PrimaryConstructor(type);
        Parameters = _constructor.GetParameters();
        _properties = Parameters
            .Select(p => type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{type.Name}: constructor parameter '{p.Name}' has no matching property."))
            .ToArray();
    }

    public ParameterInfo[] Parameters { get; }

    private static readonly Dictionary<Type, RecordShape> Shapes = [];

    public static RecordShape Of(Type type)
    {
        lock (Shapes)
        {
            if (!Shapes.TryGetValue(type, out var shape))
            {
                shape = new RecordShape(type);
                Shapes[type] = shape;
            }
            return shape;
        }
    }

    public static ConstructorInfo PrimaryConstructor(Type type) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
        ?? throw new InvalidOperationException($"{type.Name} needs a public constructor.");

    public object Construct(IReadOnlyDictionary<string, object?> valuesByInputName)
    {
        var args = new object?[Parameters.Length];
        for (var i = 0; i < Parameters.Length; i++)
        {
            var name = NodeNaming.InputName(Parameters[i]);
            args[i] = valuesByInputName.TryGetValue(name, out var value) ? value : null;
        }
        return _constructor.Invoke(args);
    }

    public object?[] Deconstruct(object record)
    {
        var values = new object?[_properties.Length];
        for (var i = 0; i < _properties.Length; i++)
        {
            values[i] = _properties[i].GetValue(record);
        }
        return values;
    }
}
