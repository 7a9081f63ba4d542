using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Graph.Registry;

/// <summary>Writes node schemas in the shape of ComfyUI's <c>/object_info</c>, so its clients can build UIs from ours.</summary>
public static class ObjectInfoWriter
{
    public static JsonObject Write(NodeRegistry registry, IComboOptionsProvider? options = null, bool includeAliases = false)
    {
        var result = new JsonObject();
        // Reroute is frontend-only in ComfyUI: its clients register their own, so listing ours would clash.
        foreach (var definition in registry.Definitions.Where(d => !Reroute.Is(d.Schema.TypeId)).OrderBy(d => d.Schema.TypeId, StringComparer.Ordinal))
        {
            result[definition.Schema.TypeId] = Write(definition.Schema, options);
            if (includeAliases)
            {
                foreach (var alias in definition.Schema.Aliases)
                {
                    var aliased = Write(definition.Schema, options);
                    aliased["name"] = alias;
                    result[alias] = aliased;
                }
            }
        }
        return result;
    }

    public static JsonObject Write(NodeSchema schema, IComboOptionsProvider? options = null)
    {
        var required = new JsonObject();
        var optional = new JsonObject();
        var requiredOrder = new JsonArray();
        var optionalOrder = new JsonArray();
        foreach (var input in schema.Inputs)
        {
            (input.Optional ? optional : required)[input.Name] = WriteInput(input, options);
            (input.Optional ? optionalOrder : requiredOrder).Add(input.Name);
        }
        var inputObject = new JsonObject { ["required"] = required };
        var orderObject = new JsonObject { ["required"] = requiredOrder };
        if (optional.Count > 0)
        {
            inputObject["optional"] = optional;
            orderObject["optional"] = optionalOrder;
        }
        return new JsonObject
        {
            ["input"] = inputObject,
            ["input_order"] = orderObject,
            ["output"] = new JsonArray(schema.Outputs.Select(o => (JsonNode?)JsonValue.Create(o.Type)).ToArray()),
            ["output_is_list"] = new JsonArray(schema.Outputs.Select(_ => (JsonNode?)JsonValue.Create(false)).ToArray()),
            ["output_name"] = new JsonArray(schema.Outputs.Select(o => (JsonNode?)JsonValue.Create(o.Name)).ToArray()),
            ["output_tooltips"] = new JsonArray(schema.Outputs.Select(o => (JsonNode?)JsonValue.Create(o.Tooltip ?? "")).ToArray()),
            ["name"] = schema.TypeId,
            ["display_name"] = schema.DisplayName,
            ["description"] = schema.Description,
            ["python_module"] = "nodediffusion",
            ["category"] = schema.Category,
            ["output_node"] = schema.IsOutput,
            ["version"] = schema.Version,
        };
    }

    private static JsonArray WriteInput(InputSpec input, IComboOptionsProvider? provider)
    {
        var config = new JsonObject();
        if (input.Default is not null)
        {
            config["default"] = JsonValue.Create(input.Default);
        }
        var isFloat = input.Type == PortTypes.Float;
        AddNumber(config, "min", input.Min, isFloat);
        AddNumber(config, "max", input.Max, isFloat);
        if (input.Type is PortTypes.Int or PortTypes.Float)
        {
            AddNumber(config, "step", input.Step, isFloat);
        }
        AddNumber(config, "round", input.Round, isFloat);
        if (input.Multiline)
        {
            config["multiline"] = true;
        }
        if (input.DynamicPrompts)
        {
            config["dynamicPrompts"] = true;
        }
        if (input.ControlAfterGenerate)
        {
            config["control_after_generate"] = true;
        }
        if (input.ImageUpload)
        {
            config["image_upload"] = true;
        }
        if (input.Display is not null)
        {
            config["display"] = input.Display;
        }
        if (input.LabelOn is not null)
        {
            config["label_on"] = input.LabelOn;
        }
        if (input.LabelOff is not null)
        {
            config["label_off"] = input.LabelOff;
        }
        if (input.Tooltip is not null)
        {
            config["tooltip"] = input.Tooltip;
        }
        if (input.Type == PortTypes.Combo)
        {
            var options = ComboOptions.Resolve(input, provider);
            return new JsonArray(new JsonArray(options.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray()), config);
        }
        return new JsonArray(input.Type, config);
    }

    private static void AddNumber(JsonObject config, string key, decimal? value, bool isFloat)
    {
        if (value is { } real && isFloat)
        {
            config[key] = JsonValue.Create((double)real);
        }
        else if (value is { } number)
        {
            // Whole numbers are written without a fraction so u64 limits keep every digit.
            config[key] = number == decimal.Truncate(number) && number is >= 0 and <= ulong.MaxValue ? JsonValue.Create((ulong)number)
                : number == decimal.Truncate(number) && number is >= long.MinValue and < 0 ? JsonValue.Create((long)number)
                : JsonValue.Create((double)number);
        }
    }
}
