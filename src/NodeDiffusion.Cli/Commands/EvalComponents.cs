using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.ControlNet;
using NodeDiffusion.Models.Architectures.Taesd;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;

namespace NodeDiffusion.Cli.Commands;

/// <summary>The components `models eval` knows, keyed by their command-line name.</summary>
internal static class EvalComponents
{
    public static IReadOnlyDictionary<string, EvalComponent> All { get; } = new[]
    {
        new EvalComponent("unet", true,
            (config, weights) => UNet2DConditionGraph.Build(UNet2DConditionConfig.Load(config!), weights),
            Map(("sample", "sample"), ("timestep", "timestep"), ("encoder_hidden_states", "encoder_hidden_states")),
            Map(("out_sample", "out_sample"))),
        new EvalComponent("text_encoder", true,
            (config, weights) => ClipTextGraph.Build(ClipTextConfig.Load(config!), weights, new ClipTextGraphOptions(HiddenStates: true)),
            Map(("input_ids", "input_ids")),
            Map()),
        new EvalComponent("vae_encoder", true,
            (config, weights) => AutoencoderKLGraph.BuildEncoder(AutoencoderKLConfig.Load(config!), weights),
            Map(("image", "sample")),
            Map(("latent_mean", "enc_mean"), ("latent_logvar", "enc_logvar"), ("latent_parameters", "enc_moments"), ("latent_std", "enc_std"))),
        new EvalComponent("vae_decoder", true,
            (config, weights) => AutoencoderKLGraph.BuildDecoder(AutoencoderKLConfig.Load(config!), weights),
            Map(("latent", "latent_sample")),
            Map(("sample", "dec_sample"))),
        new EvalComponent("controlnet", true,
            (config, weights) => ControlNetGraph.Build(ControlNetConfig.Load(config!), weights),
            Map(("sample", "sample"), ("timestep", "timestep"), ("encoder_hidden_states", "encoder_hidden_states"),
                ("controlnet_cond", "controlnet_cond"), ("conditioning_scale", "conditioning_scale")),
            new Dictionary<string, string>(Enumerable.Range(0, 12)
                .Select(i => KeyValuePair.Create($"down_block_{i}_additional_residual", $"down_res_{i}"))
                .Append(KeyValuePair.Create("mid_block_additional_residual", "mid_res")))),
        new EvalComponent("clip_vision", true,
            (config, weights) => ClipVisionGraph.Build(ClipVisionConfig.Load(config!), weights, hiddenStates: true),
            Map(("pixel_values", "pixel_values")),
            Map()),
        // TAESD checkpoints carry no config: the builder reads the latent channels off the weights.
        new EvalComponent("taesd_encoder", false,
            (_, weights) => TaesdGraph.BuildEncoder(TaesdConfig.FromEncoderWeights(weights), weights),
            Map(("image", "sample")),
            Map()),
        new EvalComponent("taesd_decoder", false,
            (_, weights) => TaesdGraph.BuildDecoder(TaesdConfig.FromDecoderWeights(weights), weights),
            Map(("latent", "latent")),
            Map(("sample", "dec_sample"))),
    }.ToDictionary(c => c.Name);

    private static Dictionary<string, string> Map(params (string From, string To)[] pairs) => pairs.ToDictionary(p => p.From, p => p.To);
}
