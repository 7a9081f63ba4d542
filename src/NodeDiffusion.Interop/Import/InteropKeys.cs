namespace NodeDiffusion.Interop.Import;

/// <summary>Keys under which imported ComfyUI details are kept in <c>Extra</c>, so export can restore them.</summary>
public static class InteropKeys
{
    /// <summary>The ComfyUI class of a node when it differs from our type id.</summary>
    public const string ClassType = "comfyui.class_type";
    /// <summary>A seed's control_after_generate choice.</summary>
    public const string ControlAfterGenerate = "comfyui.control_after_generate";
    /// <summary>Positional widget values that no schema could name (a placeholder node).</summary>
    public const string WidgetsValues = "comfyui.widgets_values";
    /// <summary>Values of inputs our type does not have, by ComfyUI input name.</summary>
    public const string UnknownInputs = "comfyui.unknown_inputs";
    /// <summary>The litegraph node properties.</summary>
    public const string Properties = "comfyui.properties";
    /// <summary>Workflow level: the editor's note nodes, as they were.</summary>
    public const string Notes = "comfyui.notes";
}
