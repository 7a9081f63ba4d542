namespace NodeDiffusion.Server.Settings;

/// <summary>The settings the editor acts on, under ComfyUI frontend's ids so that one settings file serves both.</summary>
public static class SettingIds
{
    /// <summary>"dark" or "light" (ComfyUI also stores custom palette ids here; those show as dark).</summary>
    public const string ColorPalette = "Comfy.ColorPalette";

    /// <summary>"default" (the server's --preview-method), "auto", "latent2rgb", "taesd" or "none"; sent with every queued prompt.</summary>
    public const string PreviewMethod = "Comfy.Execution.PreviewMethod";
}
