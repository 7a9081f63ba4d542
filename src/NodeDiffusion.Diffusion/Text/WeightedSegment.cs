namespace NodeDiffusion.Diffusion.Text;

/// <summary>A run of prompt text that carries one weight; each is tokenized on its own, as ComfyUI does.</summary>
/// <param name="Text">The text with escapes resolved.</param>
/// <param name="Weight">The emphasis multiplier (1 = neutral).</param>
/// <param name="IsBreak">An A1111 <c>BREAK</c>: no text; the current chunk ends here.</param>
public sealed record WeightedSegment(string Text, double Weight, bool IsBreak = false)
{
    public static WeightedSegment Break { get; } = new("BREAK", 1.0, IsBreak: true);
}
