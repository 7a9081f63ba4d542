namespace NodeDiffusion.Server.Settings;

/// <summary>The editor's colour theme, from ComfyUI's Comfy.ColorPalette setting ("dark" or "light").</summary>
public enum EditorTheme
{
    Dark,
    Light,
}

public static class EditorThemes
{
    /// <summary>The value stored in Comfy.ColorPalette and written on the page as <c>data-theme</c>.</summary>
    public static string Name(this EditorTheme theme) => theme == EditorTheme.Light ? "light" : "dark";

    /// <summary>ComfyUI's palette id: "light" is light; "dark", custom palettes and anything else stay dark.</summary>
    public static EditorTheme FromPalette(string? palette) =>
        string.Equals(palette, "light", StringComparison.OrdinalIgnoreCase) ? EditorTheme.Light : EditorTheme.Dark;
}
