using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

[NodeType("LoadLoraModelOnly", Category = "loaders", DisplayName = "Load LoRA (model only)", Aliases = ["LoraLoaderModelOnly"],
    Description = "Applies a LoRA to the diffusion model only.")]
public sealed class LoadLoraModelOnly : Node<LoadLoraModelOnly.In, LoadLoraModelOnly.Out>
{
    public sealed record In(
        [Input(Tooltip = "The model the LoRA is applied to.")] ModelHandle Model,
        [Combo(Source = "models/loras", Tooltip = "A LoRA in models/loras.")] string LoraName,
        [Float(1.0, Min = -100, Max = 100, Step = 0.01, Tooltip = "How strongly to modify the diffusion model; 0 leaves it unchanged.")] double StrengthModel);

    public sealed record Out([Output(Tooltip = "The modified model.")] ModelHandle Model);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        if (inputs.StrengthModel == 0)
        {
            return ValueTask.FromResult(new Out(inputs.Model));
        }
        var lora = LoraPatching.Resolve(context, inputs.Model.Checkpoint, inputs.LoraName);
        return ValueTask.FromResult(new Out(inputs.Model with { Loras = inputs.Model.Loras.Add(lora with { Strength = inputs.StrengthModel }) }));
    }

    /// <summary>Replacing the LoRA file under the same name must not serve results of the old one.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        (services.GetService(typeof(DiffusionModels)) as DiffusionModels)?.ResolveLora((string)widgetValues["lora_name"]!).Fingerprint;
}
