using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Hypernetworks;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

/// <summary>
/// ComfyUI's HypernetworkLoader: an A1111 hypernetwork (<c>.pt</c> read by the restricted unpickler, or
/// <c>.safetensors</c>) compiled into the model's attentions, k ← k + strength·mlp_k(k) and v ← v + strength·mlp_v(v)
/// wherever the K/V input width has a module. Chain several to stack them; they apply in order.
/// </summary>
[NodeType("LoadHypernetwork", Category = "loaders", DisplayName = "Load Hypernetwork", Aliases = ["HypernetworkLoader"],
    Description = "Applies an A1111 hypernetwork to the model's attention keys and values.")]
public sealed class LoadHypernetwork : Node<LoadHypernetwork.In, LoadHypernetwork.Out>
{
    public const string Folder = "hypernetworks";

    public sealed record In(
        [Input(Tooltip = "The model the hypernetwork is applied to.")] ModelHandle Model,
        [Combo(Source = "models/hypernetworks", Tooltip = "A hypernetwork in models/hypernetworks (.pt or .safetensors).")] string HypernetworkName,
        [Float(1.0, Min = -10, Max = 10, Step = 0.01, Tooltip = "How strongly the hypernetwork changes the keys and values; 0 leaves the model unchanged.")] double Strength);

    public sealed record Out([Output(Tooltip = "The modified model.")] ModelHandle Model);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        if (inputs.Strength == 0)
        {
            return ValueTask.FromResult(new Out(inputs.Model));
        }
        var models = context.Models();
        var patch = Resolve(models.Roots, inputs.HypernetworkName) with { Strength = inputs.Strength };
        Hypernetwork network;
        try
        {
            network = HypernetworkFile.Read(patch.Path);
        }
        catch (Exception e) when (e is TorchFormatException or SafetensorsFormatException or InvalidDataException or IOException or WeightBindingException or FormatException or InvalidCastException or OverflowException)
        {
            throw new NodeException($"Cannot load hypernetwork \"{inputs.HypernetworkName}\": {e.Message}", e, "hypernetwork_name");
        }
        var unet = models.Open(inputs.Model.Checkpoint).Unet;
        var widths = unet.DownBlockTypes
            .Select((type, i) => (type, width: (long)unet.BlockOutChannels[i]))
            .Where(b => b.type == "CrossAttnDownBlock2D")
            .Select(b => b.width)
            .Append(unet.BlockOutChannels[^1])
            .Append(unet.CrossAttentionDim)
            .ToHashSet();
        var used = network.Modules.Where(m => widths.Contains(m.Dim)).Select(m => m.Dim).ToList();
        if (used.Count == 0)
        {
            context.Warn($"Hypernetwork \"{inputs.HypernetworkName}\" has modules for widths {string.Join(", ", network.Modules.Select(m => m.Dim))}, but the attentions of {inputs.Model.Checkpoint.Name} take {string.Join(", ", widths.Order())}; it changes nothing.");
        }
        return ValueTask.FromResult(new Out(inputs.Model with { Hypernetworks = inputs.Model.Hypernetworks.Add(patch) }));
    }

    /// <summary>Replacing the file under the same name must not serve results of the old one.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        (services.GetService(typeof(DiffusionModels)) as DiffusionModels) is { } models
            ? Resolve(models.Roots, (string)widgetValues["hypernetwork_name"]!).Fingerprint
            : null;

    private static HypernetworkPatch Resolve(StorageRoots roots, string name)
    {
        var file = ModelFile.Resolve(roots, Folder, name, "hypernetwork_name", "hypernetwork");
        return new HypernetworkPatch(name, file.Path, file.Fingerprint, 1.0);
    }
}
