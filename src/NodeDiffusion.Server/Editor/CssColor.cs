using System.Text.RegularExpressions;

namespace NodeDiffusion.Server.Editor;

/// <summary>Colours from a workflow file end up in a style attribute, so only plain hex and rgb(a) colours are used.</summary>
public static partial class CssColor
{
    /// <summary>ComfyUI's colour palette (LGraphCanvas.node_colors): name, node title colour, node body colour, group colour.</summary>
    public static readonly IReadOnlyList<PaletteColor> Palette =
    [
        new("red", "#322", "#533", "#A88"),
        new("brown", "#332922", "#593930", "#b06634"),
        new("green", "#232", "#353", "#8A8"),
        new("blue", "#223", "#335", "#88A"),
        new("pale_blue", "#2a363b", "#3f5159", "#3f789e"),
        new("cyan", "#233", "#355", "#8AA"),
        new("purple", "#323", "#535", "#a1309b"),
        new("yellow", "#432", "#653", "#b58b2a"),
        new("black", "#222", "#000", "#444"),
    ];

    public static bool IsSafe(string color) => SafeColor().IsMatch(color);

    [GeneratedRegex(@"^(#[0-9a-fA-F]{3,8}|rgba?\(\s*[0-9.,\s%]+\))$")]
    private static partial Regex SafeColor();
}

/// <summary>One named colour of the palette, for a node (title and body) and for a group.</summary>
public sealed record PaletteColor(string Name, string Color, string Background, string Group);
