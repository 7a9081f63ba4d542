using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

[NodeType("KSamplerAdvanced", Category = "sampling", DisplayName = "KSampler (Advanced)",
    Description = "KSampler with control over the noise and the range of steps, for multi-pass sampling.")]
public sealed class KSamplerAdvancedNode : Node<KSamplerAdvancedNode.In, KSamplerAdvancedNode.Out>
{
    public sealed record In(
        ModelHandle Model,
        [Combo("enable", "disable")] string AddNoise,
        [Seed] ulong NoiseSeed,
        [Int(20, Min = 1, Max = 10000)] int Steps,
        [Float(8.0, Min = 0, Max = 100, Step = 0.1, Round = 0.01)] double Cfg,
        [Combo(Source = SamplingComboOptions.Samplers, Default = "euler")] string SamplerName,
        [Combo(Source = SamplingComboOptions.Schedulers, Default = "simple")] string Scheduler,
        ConditioningList Positive,
        ConditioningList Negative,
        LatentBatch LatentImage,
        [Int(0, Min = 0, Max = 10000)] int StartAtStep,
        [Int(10000, Min = 0, Max = 10000)] int EndAtStep,
        [Combo("disable", "enable")] string ReturnWithLeftoverNoise);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var result = SamplerRun.Run(context, inputs.Model, inputs.Positive, inputs.Negative, inputs.LatentImage, inputs.Cfg, denoise => new KSamplerRequest
        {
            Denoise = denoise,
            LatentImage = inputs.LatentImage.Samples,
            Seed = inputs.NoiseSeed,
            Steps = inputs.Steps,
            Sampler = inputs.SamplerName,
            Scheduler = inputs.Scheduler,
            AddNoise = inputs.AddNoise == "enable",
            StartStep = inputs.StartAtStep,
            EndStep = inputs.EndAtStep,
            ReturnWithLeftoverNoise = inputs.ReturnWithLeftoverNoise == "enable",
        });
        return ValueTask.FromResult(new Out(result));
    }
}
