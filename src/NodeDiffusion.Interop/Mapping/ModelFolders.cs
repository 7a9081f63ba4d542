using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Interop.Mapping;

/// <summary>Which model folder a widget input names a file in.</summary>
public static class ModelFolders
{
    /// <summary>ComfyUI's model-name inputs, for schemas (such as object_info) that do not declare an option source.</summary>
    private static readonly Dictionary<string, string> ByInputName = new(StringComparer.Ordinal)
    {
        ["ckpt_name"] = "checkpoints",
        ["lora_name"] = "loras",
        ["control_net_name"] = "controlnet",
        ["vae_name"] = "vae",
        ["hypernetwork_name"] = "hypernetworks",
        ["ipadapter_file"] = "ipadapter",
        ["clip_name"] = "clip_vision",
        ["model_name"] = "upscale_models",
        ["unet_name"] = "diffusion_models",
        ["style_model_name"] = "style_models",
        ["gligen_name"] = "gligen",
    };

    public static string? Of(InputSpec input)
    {
        if (input.OptionsSource is { } source && source.StartsWith(StorageComboOptions.ModelsPrefix, StringComparison.Ordinal))
        {
            return source[StorageComboOptions.ModelsPrefix.Length..];
        }
        return input.Type == Graph.Nodes.PortTypes.Combo ? ByInputName.GetValueOrDefault(input.Name) : null;
    }

    /// <summary>The folder of a ComfyUI model-name input known only by its name (a node type we lack).</summary>
    public static string? OfInputName(string inputName) => ByInputName.GetValueOrDefault(inputName);
}
