using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

[NodeType("KSampler", Category = "sampling", DisplayName = "KSampler",
    Description = "Uses the provided model, positive and negative conditioning to denoise the latent image.")]
public sealed class KSamplerNode : Node<KSamplerNode.In, KSamplerNode.Out>
{
    public sealed record In(
        [Input(Tooltip = "The model used for denoising the input latent.")] ModelHandle Model,
        [Seed(Tooltip = "The random seed used for creating the noise.")] ulong Seed,
        [Int(20, Min = 1, Max = 10000, Tooltip = "The number of steps used in the denoising process.")] int Steps,
        [Float(8.0, Min = 0, Max = 100, Step = 0.1, Round = 0.01, Tooltip = "Classifier-free guidance scale.")] double Cfg,
        [Combo(Source = SamplingComboOptions.Samplers, Default = "euler")] string SamplerName,
        [Combo(Source = SamplingComboOptions.Schedulers, Default = "simple")] string Scheduler,
        ConditioningList Positive,
        ConditioningList Negative,
        LatentBatch LatentImage,
        [Float(1.0, Min = 0, Max = 1, Step = 0.01, Tooltip = "The amount of denoising applied; lower keeps more of the input latent.")] double Denoise);

    public sealed record Out([Output(Tooltip = "The denoised latent.")] LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var result = SamplerRun.Run(context, inputs.Model, inputs.Positive, inputs.Negative, inputs.LatentImage, inputs.Cfg, denoise => new KSamplerRequest
        {
            Denoise = denoise,
            LatentImage = inputs.LatentImage.Samples,
            Seed = inputs.Seed,
            Steps = inputs.Steps,
            Sampler = inputs.SamplerName,
            Scheduler = inputs.Scheduler,
            DenoiseStrength = inputs.Denoise,
        });
        return ValueTask.FromResult(new Out(result));
    }
}
