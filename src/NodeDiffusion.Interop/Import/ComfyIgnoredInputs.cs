namespace NodeDiffusion.Interop.Import;

/// <summary>Inputs that ComfyUI files carry but no node reads (the old LoadImage upload widget, the executor's is_changed); dropped silently.</summary>
public static class ComfyIgnoredInputs
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(["choose file to upload", "is_changed", "upload"], StringComparer.Ordinal);
}
