using NodeDiffusion.Models.Weights.Ldm;

namespace NodeDiffusion.Models.Checkpoints.SingleFile;

/// <summary>What a single-file checkpoint holds, told from its tensor names and shapes alone (no data is read).</summary>
/// <param name="Name">How a user would call it ("SD1.x", "SDXL", "SD1.x inpainting", "a LoRA" ...).</param>
/// <param name="IsSd1">An SD1.x-family txt2img checkpoint with UNet, CLIP text model and VAE: what NodeDiffusion runs.</param>
public sealed record CheckpointArchitecture(string Name, bool IsSd1)
{
    private const string Unet = LdmKeyMap.UnetPrefix;
    private const string CrossAttentionKey = "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight";

    public static CheckpointArchitecture Detect(IReadOnlyDictionary<string, long[]> shapes)
    {
        bool Any(string prefix) => shapes.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        bool AnyContains(string part) => shapes.Keys.Any(k => k.Contains(part, StringComparison.Ordinal));

        if (shapes.Count == 0)
        {
            return new("an empty file", false);
        }
        if (Any("lora_unet_") || Any("lora_te") || AnyContains(".lora_down.") || AnyContains(".lora_A."))
        {
            return new("a LoRA (it belongs in models/loras)", false);
        }
        if (AnyContains("double_blocks.") && AnyContains("single_blocks."))
        {
            return new("a Flux checkpoint", false);
        }
        if (AnyContains("joint_blocks."))
        {
            return new("an SD3 checkpoint", false);
        }
        if (Any("control_model.") || AnyContains("input_hint_block."))
        {
            return new("a ControlNet (it belongs in models/controlnet)", false);
        }
        if (Any("conditioner.embedders.") || Any(Unet + "label_emb."))
        {
            var context = ContextDim(shapes);
            return new(context == 1280 ? "an SDXL refiner checkpoint" : "an SDXL checkpoint", false);
        }
        if (!Any(Unet))
        {
            if (Any("down_blocks.") && Any("time_embedding."))
            {
                return new("a diffusers-layout UNet file, not a whole checkpoint (use the diffusers folder)", false);
            }
            if (Any("first_stage_model.") || Any("encoder.down.") || Any("encoder.down_blocks."))
            {
                return new("a VAE (it belongs in models/vae)", false);
            }
            if (Any("string_to_param") || shapes.ContainsKey("emb_params"))
            {
                return new("a textual-inversion embedding (it belongs in models/embeddings)", false);
            }
            return new("no Stable Diffusion checkpoint (no model.diffusion_model.* tensors)", false);
        }
        if (Any("cond_stage_model.model.") || ContextDim(shapes) == 1024)
        {
            return new("an SD2.x checkpoint", false);
        }
        var inChannels = shapes.TryGetValue(Unet + "input_blocks.0.0.weight", out var convIn) && convIn.Length == 4 ? convIn[1] : -1;
        if (inChannels == 9)
        {
            return new("an SD1.x inpainting checkpoint (9 input channels)", false);
        }
        if (inChannels == 8)
        {
            return new("an InstructPix2Pix checkpoint (8 input channels)", false);
        }
        if (inChannels != 4)
        {
            return new($"a UNet with {inChannels} input channels", false);
        }
        if (!Any(LdmKeyMap.TextPrefix))
        {
            return new("an SD1.x UNet without its CLIP text model (no cond_stage_model.transformer.* tensors)", false);
        }
        if (!Any(LdmKeyMap.VaePrefix))
        {
            return new("an SD1.x checkpoint without its VAE (no first_stage_model.* tensors)", false);
        }
        return new("an SD1.x checkpoint", true);
    }

    /// <summary>The cross-attention context width (768 SD1, 1024 SD2, 2048 SDXL), or -1 when there is none.</summary>
    public static long ContextDim(IReadOnlyDictionary<string, long[]> shapes)
    {
        if (shapes.TryGetValue(Unet + CrossAttentionKey, out var shape) && shape.Length == 2)
        {
            return shape[1];
        }
        var any = shapes.FirstOrDefault(p => p.Key.StartsWith(Unet, StringComparison.Ordinal) && p.Key.EndsWith(".attn2.to_k.weight", StringComparison.Ordinal) && p.Value.Length == 2);
        return any.Value is { } s ? s[1] : -1;
    }
}
