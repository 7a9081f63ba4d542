namespace NodeDiffusion.Interop.Schemas;

/// <summary>One position of a UI node's <c>widgets_values</c>: a widget input, or a frontend-only widget that follows one.</summary>
public sealed record WidgetSlot(string InputName, WidgetSlotKind Kind);

public enum WidgetSlotKind
{
    /// <summary>The value of the widget input itself.</summary>
    Value,
    /// <summary>The control_after_generate choice ("fixed", "randomize", … or true in old files) after a seed.</summary>
    ControlAfterGenerate,
    /// <summary>The image upload button's value ("image") after LoadImage's file name.</summary>
    Upload,
}
