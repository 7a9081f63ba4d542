using System.Reflection;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Graph.Schema;

/// <summary>Reads a node type's schema from its attributes and its input and output records.</summary>
public static class NodeSchemaReader
{
    public static NodeSchema Read(Type nodeType)
    {
        var declaration = nodeType.GetCustomAttribute<NodeTypeAttribute>()
            ?? throw new InvalidOperationException($"{nodeType.FullName} has no [NodeType] attribute.");
        var (inputsType, outputsType) = RecordTypes(nodeType);
        var inputs = RecordShape.PrimaryConstructor(inputsType).GetParameters().Select(p => ReadInput(nodeType, p)).ToList();
        var outputs = RecordShape.PrimaryConstructor(outputsType).GetParameters().Select(ReadOutput).ToList();
        var duplicate = inputs.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{nodeType.Name} declares the input '{duplicate.Key}' twice.");
        }
        return new NodeSchema(
            declaration.Id,
            declaration.DisplayName ?? declaration.Id,
            declaration.Category,
            declaration.Description,
            declaration.Version,
            declaration.IsOutput,
            declaration.NotIdempotent,
            inputs,
            outputs,
            declaration.Aliases);
    }

    private static (Type Inputs, Type Outputs) RecordTypes(Type nodeType)
    {
        for (var type = nodeType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Node<,>))
            {
                var arguments = type.GetGenericArguments();
                return (arguments[0], arguments[1]);
            }
        }
        throw new InvalidOperationException($"{nodeType.FullName} must derive from Node<TInputs, TOutputs>.");
    }

    private static InputSpec ReadInput(Type nodeType, ParameterInfo parameter)
    {
        var name = NodeNaming.InputName(parameter);
        var attribute = parameter.GetCustomAttribute<InputAttribute>();
        var clrType = parameter.ParameterType;
        var nullable = Nullable.GetUnderlyingType(clrType) is not null
            || new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable;
        var optional = (attribute?.Optional ?? false) || nullable;
        var tooltip = attribute?.Tooltip;
        var valueType = Nullable.GetUnderlyingType(clrType) ?? clrType;

        return attribute switch
        {
            IntAttribute a => new InputSpec(name, PortTypes.Int, true, a.Optional, valueType, Default: a.Default,
                Min: a.Min == long.MinValue ? null : a.Min, Max: a.Max == long.MaxValue ? null : a.Max, Step: a.Step, ControlAfterGenerate: a.ControlAfterGenerate, Display: a.Display, Tooltip: tooltip),
            SeedAttribute a => new InputSpec(name, PortTypes.Int, true, a.Optional, valueType, Default: a.Default,
                Min: 0, Max: ulong.MaxValue, Step: 1, ControlAfterGenerate: true, Tooltip: tooltip),
            FloatAttribute a => new InputSpec(name, PortTypes.Float, true, a.Optional, valueType, Default: a.Default,
                Min: Bound(a.Min), Max: Bound(a.Max), Step: Bound(a.Step),
                Round: Bound(a.Round), Display: a.Display, Tooltip: tooltip),
            TextAttribute a => new InputSpec(name, PortTypes.String, true, a.Optional, valueType, Default: a.Default,
                Multiline: a.Multiline, DynamicPrompts: a.DynamicPrompts, Tooltip: tooltip),
            BooleanAttribute a => new InputSpec(name, PortTypes.Boolean, true, a.Optional, valueType, Default: a.Default,
                LabelOn: a.LabelOn, LabelOff: a.LabelOff, Tooltip: tooltip),
            ComboAttribute a => new InputSpec(name, PortTypes.Combo, true, a.Optional, valueType,
                Default: a.Default ?? (a.Options.Length > 0 ? a.Options[0] : null),
                Options: a.Options.Length > 0 ? a.Options : null, OptionsSource: a.Source, ImageUpload: a.ImageUpload, Tooltip: tooltip),
            _ => new InputSpec(name, attribute?.Type ?? PortTypeOf(valueType, $"{nodeType.Name} input '{name}'"), false, optional, valueType,
                Tooltip: tooltip),
        };
    }

    private static OutputSpec ReadOutput(ParameterInfo parameter)
    {
        var attribute = parameter.GetCustomAttribute<OutputAttribute>();
        var type = attribute?.Type ?? PortTypeOf(parameter.ParameterType, $"output '{parameter.Name}'");
        return new OutputSpec(attribute?.Name ?? type, type, parameter.ParameterType, attribute?.Tooltip);
    }

    /// <summary>The port type of a CLR type: its [PortType], or the widget type of a primitive.</summary>
    public static string PortTypeOf(Type clrType, string where)
    {
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        var declared = type.GetCustomAttribute<PortTypeAttribute>(inherit: true)
            ?? type.GetInterfaces().Select(i => i.GetCustomAttribute<PortTypeAttribute>()).FirstOrDefault(a => a is not null);
        if (declared is not null)
        {
            return declared.Name;
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(ulong))
        {
            return PortTypes.Int;
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return PortTypes.Float;
        }
        if (type == typeof(string))
        {
            return PortTypes.String;
        }
        if (type == typeof(bool))
        {
            return PortTypes.Boolean;
        }
        if (type == typeof(object))
        {
            return PortTypes.Any;
        }
        throw new InvalidOperationException($"{where}: {type.Name} has no [PortType] and is not a widget type.");
    }

    /// <summary>A float limit as an exact decimal; NaN and the extremes of double mean "no limit".</summary>
    private static decimal? Bound(double value) =>
        double.IsNaN(value) || value <= (double)decimal.MinValue || value >= (double)decimal.MaxValue ? null : (decimal)value;
}
