namespace NodeDiffusion.Server.Editor;

/// <summary>Socket and link colours by port type, as ComfyUI users know them.</summary>
public static class PortColors
{
    public static string Of(string type) => type switch
    {
        "MODEL" => "#b39ddb",
        "CLIP" => "#ffd500",
        "VAE" => "#ff6e6e",
        "CONDITIONING" => "#ffa931",
        "LATENT" => "#ff9cf9",
        "IMAGE" => "#64b5f6",
        "MASK" => "#81c784",
        "CONTROL_NET" => "#00d78d",
        "INT" => "#29b6f6",
        "FLOAT" => "#aed581",
        "STRING" => "#8bc34a",
        "BOOLEAN" => "#f06292",
        "COMBO" => "#9575cd",
        _ => "#bdbdbd",
    };

    /// <summary>A CSS class fragment for a type (for styling and for tests to find sockets).</summary>
    public static string ClassOf(string type) => "t-" + new string(type.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
