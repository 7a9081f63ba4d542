namespace NodeDiffusion.Graph.Nodes;

/// <summary>Port and widget type names, spelled as ComfyUI spells them so that workflows map one to one.</summary>
public static class PortTypes
{
    public const string Model = "MODEL";
    public const string Clip = "CLIP";
    public const string Vae = "VAE";
    public const string Conditioning = "CONDITIONING";
    public const string Latent = "LATENT";
    public const string Image = "IMAGE";
    public const string Mask = "MASK";
    public const string ControlNet = "CONTROL_NET";
    public const string ClipVision = "CLIP_VISION";
    public const string ClipVisionOutput = "CLIP_VISION_OUTPUT";
    public const string IpAdapter = "IPADAPTER";
    public const string Int = "INT";
    public const string Float = "FLOAT";
    public const string String = "STRING";
    public const string Boolean = "BOOLEAN";
    public const string Combo = "COMBO";
    public const string Any = "*";

    public static bool IsWidgetType(string type) =>
        type is Int or Float or String or Boolean or Combo;

    /// <summary>ComfyUI's rule: "*" matches anything, otherwise the comma-separated type sets must intersect.</summary>
    public static bool AreCompatible(string outputType, string inputType)
    {
        if (outputType == Any || inputType == Any)
        {
            return true;
        }
        if (outputType == inputType)
        {
            return true;
        }
        var outputs = outputType.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var inputs = inputType.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // A COMBO input accepts a STRING link (a primitive feeding a list), as ComfyUI's frontend allows.
        return outputs.Intersect(inputs).Any() || (inputType == Combo && outputs.Contains(String));
    }
}
