using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

[NodeType("LoadLora", Category = "loaders", DisplayName = "Load LoRA", Aliases = ["LoraLoader"],
    Description = "Applies a LoRA to the model and the text encoder; chain several to stack them.")]
public sealed class LoadLora : Node<LoadLora.In, LoadLora.Out>
{
    public sealed record In(
        [Input(Tooltip = "The model the LoRA is applied to.")] ModelHandle Model,
        [Input(Tooltip = "The text encoder the LoRA is applied to.")] ClipHandle Clip,
        [Combo(Source = "models/loras", Tooltip = "A LoRA in models/loras.")] string LoraName,
        [Float(1.0, Min = -100, Max = 100, Step = 0.01, Tooltip = "How strongly to modify the diffusion model; 0 leaves it unchanged.")] double StrengthModel,
        [Float(1.0, Min = -100, Max = 100, Step = 0.01, Tooltip = "How strongly to modify the text encoder; 0 leaves it unchanged.")] double StrengthClip);

    public sealed record Out(
        [Output(Tooltip = "The modified model.")] ModelHandle Model,
        [Output(Tooltip = "The modified text encoder.")] ClipHandle Clip);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        if (inputs.StrengthModel == 0 && inputs.StrengthClip == 0)
        {
            return ValueTask.FromResult(new Out(inputs.Model, inputs.Clip));
        }
        var lora = LoraPatching.Resolve(context, inputs.Model.Checkpoint, inputs.LoraName);
        var model = inputs.StrengthModel == 0 ? inputs.Model : inputs.Model with { Loras = inputs.Model.Loras.Add(lora with { Strength = inputs.StrengthModel }) };
        var clip = inputs.StrengthClip == 0 ? inputs.Clip : inputs.Clip with { Loras = inputs.Clip.Loras.Add(lora with { Strength = inputs.StrengthClip }) };
        return ValueTask.FromResult(new Out(model, clip));
    }

    /// <summary>Replacing the LoRA file under the same name must not serve results of the old one.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        (services.GetService(typeof(DiffusionModels)) as DiffusionModels)?.ResolveLora((string)widgetValues["lora_name"]!).Fingerprint;
}
