using System.Text.Json;
using System.Text.RegularExpressions;

namespace NodeDiffusion.Cli.Commands;

/// <summary>Tells what a model file is from its key names and shapes (the way ComfyUI and A1111 detect them).</summary>
internal static partial class ModelClassifier
{
    private static readonly string[] LycorisMarkers = ["hada_w1", "lokr_w1", ".oft_", "oft_blocks", ".b1.weight", "lokr_t2"];

    public static ModelIdentity Identify(ModelFile file)
    {
        if (file.Format == ModelFile.DiffusersFolder)
        {
            return IdentifyFolder(file);
        }
        var names = file.Tensors.Select(t => t.Name).ToList();
        bool Any(Func<string, bool> test) => names.Any(test);
        bool Prefixed(string prefix) => Any(n => n.StartsWith(prefix, StringComparison.Ordinal));

        if (Prefixed("lora_unet_") || Prefixed("lora_te"))
        {
            var family = Prefixed("lora_te2_") || Prefixed("lora_unet_input_blocks") ? "SDXL" : "SD1.x/SD2";
            return Any(n => LycorisMarkers.Any(m => n.Contains(m, StringComparison.Ordinal)))
                ? new ModelIdentity("lora", "LyCORIS", $"kohya module names with LyCORIS factors ({family})")
                : new ModelIdentity("lora", "kohya", $"lora_unet_*/lora_te*_* .lora_down/.lora_up ({family})");
        }
        if (Any(n => CloneofsimoKey().IsMatch(n)))
        {
            return new ModelIdentity("lora", "cloneofsimo", "safeloras <component>:<index>:up/down with ranks in metadata");
        }
        if (Any(n => n.Contains(".lora_A.", StringComparison.Ordinal) || n.Contains(".lora_B.", StringComparison.Ordinal)))
        {
            return new ModelIdentity("lora", "diffusers-PEFT", "diffusers module names with .lora_A/.lora_B");
        }
        if (Any(n => n.Contains("_lora.down.", StringComparison.Ordinal) || n.Contains(".lora.down.", StringComparison.Ordinal)
            || n.Contains(".lora_linear_layer.", StringComparison.Ordinal)))
        {
            return new ModelIdentity("lora", "diffusers-PEFT", "diffusers attention-processor LoRA (.to_q_lora.down/up)");
        }
        if (Prefixed("image_proj.") && Prefixed("ip_adapter."))
        {
            return new ModelIdentity("ip_adapter", Prefixed("image_proj.proj_in") || Prefixed("image_proj.latents") ? "plus" : "base",
                "image_proj.* + ip_adapter.<id>.to_k_ip/to_v_ip");
        }
        if (Prefixed("control_model."))
        {
            return new ModelIdentity("controlnet", "ldm", "control_model.* (single file, ldm names)");
        }
        if (Prefixed("controlnet_cond_embedding.") || Prefixed("input_hint_block."))
        {
            return new ModelIdentity("controlnet", Prefixed("input_hint_block.") ? "ldm" : "diffusers",
                Prefixed("input_hint_block.") ? "input_hint_block.* + zero_convs.* (ldm names)" : "controlnet_cond_embedding.* + controlnet_down_blocks.*");
        }
        if (Prefixed("model.diffusion_model."))
        {
            var variant = Prefixed("conditioner.embedders.1.") || Prefixed("model.diffusion_model.label_emb.") ? "SDXL"
                : Prefixed("cond_stage_model.model.") ? "SD2.x" : "SD1.x";
            return new ModelIdentity("checkpoint", variant, "ldm single file (model.diffusion_model.*, first_stage_model.*, cond_stage_model.*)");
        }
        if (Prefixed("down_blocks.") && Prefixed("conv_in.") && Prefixed("time_embedding."))
        {
            return new ModelIdentity("unet", CrossAttentionVariant(file), "diffusers UNet2DConditionModel");
        }
        if (Prefixed("vision_model."))
        {
            return new ModelIdentity("clip_vision", "transformers CLIPVisionModel", "vision_model.* (+ visual_projection)");
        }
        if (Prefixed("text_model."))
        {
            return new ModelIdentity("text_encoder", "transformers CLIPTextModel", "text_model.*");
        }
        if (Prefixed("encoder.") && Prefixed("decoder."))
        {
            return new ModelIdentity("vae", "AutoencoderKL", Prefixed("encoder.down_blocks.") ? "diffusers names" : "ldm names (encoder.down.*, decoder.up.*)");
        }
        if (names.Count > 0 && names.All(n => TaesdKey().IsMatch(n)))
        {
            return new ModelIdentity("taesd", names.Contains("0.weight") ? "encoder" : "decoder", "madebyollin/taesd nn.Sequential indices");
        }
        if (names.Any(n => n is "emb_params" || n.StartsWith("string_to_param.", StringComparison.Ordinal)))
        {
            return new ModelIdentity("embedding", "A1111 textual inversion", names.Contains("emb_params") ? "emb_params" : "string_to_param.*");
        }
        if (names.Count is 1 or 2 && names.All(n => n is "clip_l" or "clip_g"))
        {
            return new ModelIdentity("embedding", "SDXL textual inversion", "clip_l/clip_g");
        }
        if (file.Tensors.Count == 1 && file.Tensors[0].Shape.Length is 1 or 2)
        {
            return new ModelIdentity("embedding", "diffusers textual inversion", "{\"<token>\": vector}");
        }
        if (names.Count > 0 && names.All(n => HypernetworkKey().IsMatch(n)))
        {
            return new ModelIdentity("hypernetwork", "A1111", "<attention dim>.<0|1>.linear.<i>.weight/bias");
        }
        return new ModelIdentity("unknown", "", "unrecognised key layout");
    }

    private static string CrossAttentionVariant(ModelFile file)
    {
        var key = file.Tensors.FirstOrDefault(t => t.Name.EndsWith("attn2.to_k.weight", StringComparison.Ordinal));
        return key?.Shape is [_, var context] ? context switch { 768 => "SD1.x", 1024 => "SD2.x", 2048 => "SDXL", _ => $"context {context}" } : "no cross-attention";
    }

    private static ModelIdentity IdentifyFolder(ModelFile file)
    {
        using var index = JsonDocument.Parse(file.Metadata["model_index.json"]);
        var pipeline = index.RootElement.TryGetProperty("_class_name", out var c) ? c.GetString() ?? "" : "";
        var context = file.Tensors.FirstOrDefault(t => t.Name.StartsWith("unet/", StringComparison.Ordinal)
            && t.Name.EndsWith("attn2.to_k.weight", StringComparison.Ordinal))?.Shape[^1];
        var variant = pipeline.Contains("XL", StringComparison.Ordinal) || index.RootElement.TryGetProperty("text_encoder_2", out _) || context == 2048 ? "SDXL"
            : context == 1024 ? "SD2.x" : "SD1.x";
        return new ModelIdentity("checkpoint", variant, $"diffusers folder ({(pipeline.Length > 0 ? pipeline : "pipeline")}: unet/, vae/, text_encoder/ ...)");
    }

    [GeneratedRegex(@"^(unet|text_encoder|text_encoder_2):\d+:(up|down)$")]
    private static partial Regex CloneofsimoKey();

    [GeneratedRegex(@"^\d+(\.(conv|pool|skip|fuse))?(\.\d+)*\.(weight|bias)$")]
    private static partial Regex TaesdKey();

    [GeneratedRegex(@"^(320|640|768|1024|1280)\.\d+\.linear\.\d+\.(weight|bias)$")]
    private static partial Regex HypernetworkKey();
}
