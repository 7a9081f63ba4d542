namespace NodeDiffusion.Server.Editor;

/// <summary>One entry of a right-click menu. Items with a <see cref="Swatch"/> are drawn as a row of colour buttons.</summary>
public sealed record EditorMenuItem(string Action, string Label, string? Shortcut = null, string? Swatch = null, bool Checked = false);
