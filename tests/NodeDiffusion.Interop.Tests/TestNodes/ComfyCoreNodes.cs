using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Interop.Tests.TestNodes;

// The ComfyUI core nodes as ComfyUI's object_info declares them (input order, widgets, control_after_generate),
// under our type ids. Link inputs and outputs are untyped objects with explicit port types.

[NodeType("LoadCheckpoint", Category = "loaders")]
public sealed class LoadCheckpointNode : SchemaOnlyNode<LoadCheckpointNode.In, LoadCheckpointNode.Out>
{
    public sealed record In([Combo(Source = "models/checkpoints")] string CkptName);
    public sealed record Out([Output(Type = "MODEL")] object Model, [Output(Type = "CLIP")] object Clip, [Output(Type = "VAE")] object Vae);
}

[NodeType("TextEncode", Category = "conditioning")]
public sealed class TextEncodeNode : SchemaOnlyNode<TextEncodeNode.In, TextEncodeNode.Out>
{
    public sealed record In([Text(Multiline = true, DynamicPrompts = true)] string Text, [Input(Type = "CLIP")] object Clip);
    public sealed record Out([Output(Type = "CONDITIONING")] object Conditioning);
}

[NodeType("CLIPSetLastLayer", Category = "conditioning")]
public sealed class ClipSetLastLayerNode : SchemaOnlyNode<ClipSetLastLayerNode.In, ClipSetLastLayerNode.Out>
{
    public sealed record In([Input(Type = "CLIP")] object Clip, [Int(-1, Min = -24, Max = -1)] long StopAtClipLayer);
    public sealed record Out([Output(Type = "CLIP")] object Clip);
}

[NodeType("KSampler", Category = "sampling")]
public sealed class KSamplerNode : SchemaOnlyNode<KSamplerNode.In, KSamplerNode.Out>
{
    public sealed record In(
        [Input(Type = "MODEL")] object Model,
        [Seed] ulong Seed,
        [Int(20, Min = 1, Max = 10000)] long Steps,
        [Float(8.0, Min = 0, Max = 100, Step = 0.1, Round = 0.01)] double Cfg,
        [Combo("euler", "euler_ancestral", "dpmpp_2m", "dpmpp_sde", "uni_pc", "uni_pc_bh2", "ddim", "ddpm")] string SamplerName,
        [Combo("simple", "sgm_uniform", "karras", "exponential", "ddim_uniform", "beta", "normal", "linear_quadratic", "kl_optimal")] string Scheduler,
        [Input(Type = "CONDITIONING")] object Positive,
        [Input(Type = "CONDITIONING")] object Negative,
        [Input(Type = "LATENT")] object LatentImage,
        [Float(1.0, Min = 0, Max = 1)] double Denoise);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("KSamplerAdvanced", Category = "sampling")]
public sealed class KSamplerAdvancedNode : SchemaOnlyNode<KSamplerAdvancedNode.In, KSamplerAdvancedNode.Out>
{
    public sealed record In(
        [Input(Type = "MODEL")] object Model,
        [Combo("enable", "disable")] string AddNoise,
        [Seed] ulong NoiseSeed,
        [Int(20, Min = 1, Max = 10000)] long Steps,
        [Float(8.0, Min = 0, Max = 100)] double Cfg,
        [Combo("euler", "dpmpp_2m")] string SamplerName,
        [Combo("simple", "karras", "normal")] string Scheduler,
        [Input(Type = "CONDITIONING")] object Positive,
        [Input(Type = "CONDITIONING")] object Negative,
        [Input(Type = "LATENT")] object LatentImage,
        [Int(0, Min = 0, Max = 10000)] long StartAtStep,
        [Int(10000, Min = 0, Max = 10000)] long EndAtStep,
        [Combo("disable", "enable")] string ReturnWithLeftoverNoise);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("VAEDecode", Category = "latent")]
public sealed class VaeDecodeNode : SchemaOnlyNode<VaeDecodeNode.In, VaeDecodeNode.Out>
{
    public sealed record In([Input(Type = "LATENT")] object Samples, [Input(Type = "VAE")] object Vae);
    public sealed record Out([Output(Type = "IMAGE")] object Image);
}

[NodeType("VAEEncode", Category = "latent")]
public sealed class VaeEncodeNode : SchemaOnlyNode<VaeEncodeNode.In, VaeEncodeNode.Out>
{
    public sealed record In([Input(Type = "IMAGE")] object Pixels, [Input(Type = "VAE")] object Vae);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("VAEEncodeForInpaint", Category = "latent/inpaint")]
public sealed class VaeEncodeForInpaintNode : SchemaOnlyNode<VaeEncodeForInpaintNode.In, VaeEncodeForInpaintNode.Out>
{
    public sealed record In([Input(Type = "IMAGE")] object Pixels, [Input(Type = "VAE")] object Vae, [Input(Type = "MASK")] object Mask,
        [Int(6, Min = 0, Max = 64)] long GrowMaskBy);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("VAELoader", Category = "loaders")]
public sealed class VaeLoaderNode : SchemaOnlyNode<VaeLoaderNode.In, VaeLoaderNode.Out>
{
    public sealed record In([Combo(Source = "models/vae")] string VaeName);
    public sealed record Out([Output(Type = "VAE")] object Vae);
}

[NodeType("EmptyLatentImage", Category = "latent")]
public sealed class EmptyLatentImageNode : SchemaOnlyNode<EmptyLatentImageNode.In, EmptyLatentImageNode.Out>
{
    public sealed record In([Int(512, Min = 16, Max = 16384, Step = 8)] long Width, [Int(512, Min = 16, Max = 16384, Step = 8)] long Height,
        [Int(1, Min = 1, Max = 4096)] long BatchSize);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("LatentUpscale", Category = "latent")]
public sealed class LatentUpscaleNode : SchemaOnlyNode<LatentUpscaleNode.In, LatentUpscaleNode.Out>
{
    public sealed record In([Input(Type = "LATENT")] object Samples,
        [Combo("nearest-exact", "bilinear", "area", "bicubic", "bislerp")] string UpscaleMethod,
        [Int(512, Min = 0, Max = 16384, Step = 8)] long Width, [Int(512, Min = 0, Max = 16384, Step = 8)] long Height,
        [Combo("disabled", "center")] string Crop);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("LoadLora", Category = "loaders")]
public sealed class LoadLoraNode : SchemaOnlyNode<LoadLoraNode.In, LoadLoraNode.Out>
{
    public sealed record In([Input(Type = "MODEL")] object Model, [Input(Type = "CLIP")] object Clip,
        [Combo(Source = "models/loras")] string LoraName,
        [Float(1.0, Min = -100, Max = 100)] double StrengthModel, [Float(1.0, Min = -100, Max = 100)] double StrengthClip);
    public sealed record Out([Output(Type = "MODEL")] object Model, [Output(Type = "CLIP")] object Clip);
}

[NodeType("LoadLoraModelOnly", Category = "loaders")]
public sealed class LoadLoraModelOnlyNode : SchemaOnlyNode<LoadLoraModelOnlyNode.In, LoadLoraModelOnlyNode.Out>
{
    public sealed record In([Input(Type = "MODEL")] object Model, [Combo(Source = "models/loras")] string LoraName,
        [Float(1.0, Min = -100, Max = 100)] double StrengthModel);
    public sealed record Out([Output(Type = "MODEL")] object Model);
}

[NodeType("LoadHypernetwork", Category = "loaders")]
public sealed class LoadHypernetworkNode : SchemaOnlyNode<LoadHypernetworkNode.In, LoadHypernetworkNode.Out>
{
    public sealed record In([Input(Type = "MODEL")] object Model, [Combo(Source = "models/hypernetworks")] string HypernetworkName,
        [Float(1.0, Min = -10, Max = 10)] double Strength);
    public sealed record Out([Output(Type = "MODEL")] object Model);
}

[NodeType("LoadControlNet", Category = "loaders")]
public sealed class LoadControlNetNode : SchemaOnlyNode<LoadControlNetNode.In, LoadControlNetNode.Out>
{
    public sealed record In([Combo(Source = "models/controlnet")] string ControlNetName);
    public sealed record Out([Output(Type = "CONTROL_NET")] object ControlNet);
}

[NodeType("ApplyControlNet", Category = "conditioning/controlnet")]
public sealed class ApplyControlNetNode : SchemaOnlyNode<ApplyControlNetNode.In, ApplyControlNetNode.Out>
{
    public sealed record In(
        [Input(Type = "CONDITIONING")] object Positive,
        [Input(Type = "CONDITIONING")] object Negative,
        [Input(Type = "CONTROL_NET")] object ControlNet,
        [Input(Type = "IMAGE")] object Image,
        [Float(1.0, Min = 0, Max = 10)] double Strength,
        [Float(0.0, Min = 0, Max = 1, Step = 0.001)] double StartPercent,
        [Float(1.0, Min = 0, Max = 1, Step = 0.001)] double EndPercent,
        [Input(Type = "VAE", Optional = true)] object? Vae);
    public sealed record Out([Output(Name = "positive", Type = "CONDITIONING")] object Positive, [Output(Name = "negative", Type = "CONDITIONING")] object Negative);
}

[NodeType("LoadClipVision", Category = "loaders")]
public sealed class LoadClipVisionNode : SchemaOnlyNode<LoadClipVisionNode.In, LoadClipVisionNode.Out>
{
    public sealed record In([Combo(Source = "models/clip_vision")] string ClipName);
    public sealed record Out([Output(Type = "CLIP_VISION")] object ClipVision);
}

[NodeType("LoadIpAdapter", Category = "ipadapter")]
public sealed class LoadIpAdapterNode : SchemaOnlyNode<LoadIpAdapterNode.In, LoadIpAdapterNode.Out>
{
    public sealed record In([Combo(Source = "models/ipadapter")] string IpadapterFile);
    public sealed record Out([Output(Type = "IPADAPTER")] object Ipadapter);
}

[NodeType("IpAdapterApply", Category = "ipadapter")]
public sealed class IpAdapterApplyNode : SchemaOnlyNode<IpAdapterApplyNode.In, IpAdapterApplyNode.Out>
{
    public sealed record In(
        [Input(Type = "MODEL")] object Model,
        [Input(Type = "IPADAPTER")] object Ipadapter,
        [Input(Type = "IMAGE")] object Image,
        [Float(1.0, Min = -1, Max = 5, Step = 0.05)] double Weight,
        [Combo("linear", "ease in", "ease out", "ease in-out", "reverse in-out", "weak input", "weak output", "weak middle", "strong middle", "style transfer", "composition")] string WeightType,
        [Combo("concat", "add", "subtract", "average", "norm average")] string CombineEmbeds,
        [Float(0.0, Min = 0, Max = 1, Step = 0.001)] double StartAt,
        [Float(1.0, Min = 0, Max = 1, Step = 0.001)] double EndAt,
        [Combo("V only", "K+V", "K+V w/ C penalty", "K+mean(V) w/ C penalty")] string EmbedsScaling,
        [Input(Type = "IMAGE", Optional = true)] object? ImageNegative,
        [Input(Type = "MASK", Optional = true)] object? AttnMask,
        [Input(Type = "CLIP_VISION", Optional = true)] object? ClipVision);
    public sealed record Out([Output(Type = "MODEL")] object Model);
}

[NodeType("LoadImage", Category = "image")]
public sealed class LoadImageNode : SchemaOnlyNode<LoadImageNode.In, LoadImageNode.Out>
{
    public sealed record In([Combo(Source = "input/images", ImageUpload = true)] string Image);
    public sealed record Out([Output(Type = "IMAGE")] object Image, [Output(Type = "MASK")] object Mask);
}

[NodeType("SaveImage", Category = "image", IsOutput = true)]
public sealed class SaveImageNode : SchemaOnlyNode<SaveImageNode.In, NoOutputs>
{
    public sealed record In([Input(Type = "IMAGE")] object Images, [Text("ComfyUI")] string FilenamePrefix);
}

[NodeType("PreviewImage", Category = "image", IsOutput = true)]
public sealed class PreviewImageNode : SchemaOnlyNode<PreviewImageNode.In, NoOutputs>
{
    public sealed record In([Input(Type = "IMAGE")] object Images);
}

[NodeType("PrimitiveInt", Category = "utils/primitive")]
public sealed class PrimitiveIntNode : SchemaOnlyNode<PrimitiveIntNode.In, PrimitiveIntNode.Out>
{
    public sealed record In([Int(0)] long Value);
    public sealed record Out([Output(Type = "INT")] long Int);
}

[NodeType("LatentUpscaleBy", Category = "latent")]
public sealed class LatentUpscaleByNode : SchemaOnlyNode<LatentUpscaleByNode.In, LatentUpscaleByNode.Out>
{
    public sealed record In([Input(Type = "LATENT")] object Samples,
        [Combo("nearest-exact", "bilinear", "area", "bicubic", "bislerp")] string UpscaleMethod,
        [Float(1.5, Min = 0.01, Max = 8)] double ScaleBy);
    public sealed record Out([Output(Type = "LATENT")] object Latent);
}

[NodeType("ScaleImageBy", Category = "image/upscaling", Aliases = ["ImageScaleBy"])]
public sealed class ScaleImageByNode : SchemaOnlyNode<ScaleImageByNode.In, ScaleImageByNode.Out>
{
    public sealed record In([Input(Type = "IMAGE")] object Image,
        [Combo("nearest-exact", "bilinear", "area", "bicubic", "lanczos")] string UpscaleMethod,
        [Float(1.0, Min = 0.01, Max = 8)] double ScaleBy);
    public sealed record Out([Output(Type = "IMAGE")] object Image);
}
