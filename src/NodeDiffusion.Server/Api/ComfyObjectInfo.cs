using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Interop.Mapping;

namespace NodeDiffusion.Server.Api;

/// <summary>
/// <c>/object_info</c> for ComfyUI clients: every node under its type id, and also under the ComfyUI class names it
/// answers to (its aliases, and the classes of <see cref="ComfyClassMap"/> that our type is written back as), with
/// ComfyUI's input names, so a client that reads object_info finds CheckpointLoaderSimple, CLIPTextEncode, LoraLoader...
/// Legacy classes that map onto a newer node with other inputs (CheckpointLoader, ControlNetApply) are not listed:
/// their inputs are not ours, so describing them with our schema would mislead; prompts using them are still imported.
/// </summary>
public static class ComfyObjectInfo
{
    public static JsonObject Write(NodeRegistry registry, IComboOptionsProvider? options, ComfyClassMap classMap)
    {
        var result = ObjectInfoWriter.Write(registry, options, includeAliases: true);
        foreach (var mapping in classMap.Mappings.Where(m => m.IsExportName).OrderBy(m => m.ComfyClass, StringComparer.Ordinal))
        {
            if (!result.ContainsKey(mapping.ComfyClass) && registry.Find(mapping.TypeId) is { } definition)
            {
                result[mapping.ComfyClass] = Entry(definition.Schema, options, mapping.ComfyClass, mapping);
            }
        }
        return result;
    }

    /// <summary>One node by type id, alias or mapped ComfyUI class name, under the name it was asked for; null when unknown.</summary>
    public static JsonObject? WriteOne(NodeRegistry registry, IComboOptionsProvider? options, ComfyClassMap classMap, string name)
    {
        if (Reroute.Is(name))
        {
            return null; // frontend-only in ComfyUI, as in the full list
        }
        if (registry.Find(name) is { } definition)
        {
            return Entry(definition.Schema, options, name, null);
        }
        return classMap.FindByClass(name) is { IsExportName: true } mapping && registry.Find(mapping.TypeId) is { } mapped
            ? Entry(mapped.Schema, options, name, mapping)
            : null;
    }

    private static JsonObject Entry(NodeSchema schema, IComboOptionsProvider? options, string name, ClassMapping? mapping)
    {
        var entry = ObjectInfoWriter.Write(schema, options);
        entry["name"] = name;
        if (mapping?.InputRenames is { Count: > 0 })
        {
            foreach (var section in new[] { "required", "optional" })
            {
                if (entry["input"]?[section] is JsonObject inputs)
                {
                    entry["input"]![section] = Rename(inputs, mapping);
                }
                if (entry["input_order"]?[section] is JsonArray order)
                {
                    entry["input_order"]![section] = new JsonArray(order.Select(n => (JsonNode?)JsonValue.Create(mapping.ToComfyInput(n!.GetValue<string>()))).ToArray());
                }
            }
        }
        return entry;
    }

    private static JsonObject Rename(JsonObject inputs, ClassMapping mapping)
    {
        var renamed = new JsonObject();
        foreach (var (key, value) in inputs.ToList())
        {
            inputs.Remove(key);
            renamed[mapping.ToComfyInput(key)] = value;
        }
        return renamed;
    }
}
