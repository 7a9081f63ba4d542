using System.Text.Json;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Interop.Json;

namespace NodeDiffusion.Interop.Schemas;

/// <summary>
/// Node schemas read from a <c>/object_info</c> document (ComfyUI's or ours), so that workflows can be imported
/// for node types this process does not have, and so that ComfyUI classes without a twin here still get named widgets.
/// </summary>
public sealed class ObjectInfoSchemaSource : ISchemaSource
{
    public const int MaxClasses = 20_000;
    private const int MaxInputsPerClass = 1_000;

    private readonly Dictionary<string, NodeSchema> _schemas = new(StringComparer.Ordinal);

    private ObjectInfoSchemaSource()
    {
    }

    public IReadOnlyCollection<NodeSchema> Schemas => _schemas.Values;

    public NodeSchema? Find(string typeIdOrAlias) => _schemas.GetValueOrDefault(typeIdOrAlias);

    public static ObjectInfoSchemaSource Parse(string json)
    {
        using var document = LenientJson.Parse(json);
        return Read(document.RootElement);
    }

    public static ObjectInfoSchemaSource Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InteropFormatException("object_info must be a JSON object of node classes.");
        }
        var source = new ObjectInfoSchemaSource();
        foreach (var entry in root.EnumerateObject())
        {
            if (source._schemas.Count >= MaxClasses)
            {
                throw new InteropFormatException($"object_info lists more than {MaxClasses:N0} classes.");
            }
            if (entry.Value.ValueKind == JsonValueKind.Object)
            {
                source._schemas[entry.Name] = ReadClass(entry.Name, entry.Value);
            }
        }
        return source;
    }

    private static NodeSchema ReadClass(string name, JsonElement info)
    {
        var inputs = new List<InputSpec>();
        if (info.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object)
        {
            info.TryGetProperty("input_order", out var order);
            foreach (var section in (string[])["required", "optional"])
            {
                if (!input.TryGetProperty(section, out var entries) || entries.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                foreach (var inputName in InputNames(entries, order, section).Take(MaxInputsPerClass))
                {
                    if (entries.TryGetProperty(inputName, out var spec))
                    {
                        inputs.Add(ReadInput(inputName, spec, section == "optional"));
                    }
                }
            }
        }
        var outputs = new List<OutputSpec>();
        if (info.TryGetProperty("output", out var outputTypes) && outputTypes.ValueKind == JsonValueKind.Array)
        {
            info.TryGetProperty("output_name", out var outputNames);
            var index = 0;
            foreach (var type in outputTypes.EnumerateArray().Take(MaxInputsPerClass))
            {
                var typeName = type.ValueKind == JsonValueKind.String ? type.GetString()! : PortTypes.Combo;
                var outputName = outputNames.ValueKind == JsonValueKind.Array && index < outputNames.GetArrayLength()
                    && outputNames[index].ValueKind == JsonValueKind.String ? outputNames[index].GetString()! : typeName;
                outputs.Add(new OutputSpec(outputName, typeName, typeof(object)));
                index++;
            }
        }
        return new NodeSchema(
            name,
            StringProperty(info, "display_name") ?? name,
            StringProperty(info, "category") ?? "",
            StringProperty(info, "description") ?? "",
            1,
            info.TryGetProperty("output_node", out var isOutput) && isOutput.ValueKind == JsonValueKind.True,
            false,
            inputs,
            outputs,
            []);
    }

    private static IEnumerable<string> InputNames(JsonElement entries, JsonElement order, string section)
    {
        if (order.ValueKind == JsonValueKind.Object && order.TryGetProperty(section, out var names) && names.ValueKind == JsonValueKind.Array)
        {
            return names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList();
        }
        return entries.EnumerateObject().Select(p => p.Name).ToList();
    }

    private static InputSpec ReadInput(string name, JsonElement spec, bool optional)
    {
        if (spec.ValueKind != JsonValueKind.Array || spec.GetArrayLength() == 0)
        {
            return new InputSpec(name, PortTypes.Any, false, optional, typeof(object));
        }
        var typeElement = spec[0];
        var options = spec.GetArrayLength() > 1 && spec[1].ValueKind == JsonValueKind.Object ? spec[1] : default;
        IReadOnlyList<string>? comboOptions = null;
        string type;
        if (typeElement.ValueKind == JsonValueKind.Array)
        {
            type = PortTypes.Combo;
            comboOptions = [.. typeElement.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String ? o.GetString()! : o.GetRawText())];
        }
        else
        {
            type = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : PortTypes.Any;
            if (type == PortTypes.Combo && options.ValueKind == JsonValueKind.Object && options.TryGetProperty("options", out var listed)
                && listed.ValueKind == JsonValueKind.Array)
            {
                comboOptions = [.. listed.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String ? o.GetString()! : o.GetRawText())];
            }
        }
        var forceInput = Flag(options, "forceInput");
        var isWidget = PortTypes.IsWidgetType(type) && !forceInput;
        // Frontends before control_after_generate was declared added the control to every INT called seed or noise_seed.
        var control = Flag(options, "control_after_generate") || (type == PortTypes.Int && name is "seed" or "noise_seed");
        return new InputSpec(
            name,
            type,
            isWidget,
            optional,
            typeof(object),
            Default: options.ValueKind == JsonValueKind.Object && options.TryGetProperty("default", out var def) ? def.Clone() : null,
            ControlAfterGenerate: isWidget && control,
            Options: comboOptions,
            ImageUpload: Flag(options, "image_upload"));
    }

    private static bool Flag(JsonElement options, string name) =>
        options.ValueKind == JsonValueKind.Object && options.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
