namespace NodeDiffusion.Diffusion.Text;

/// <summary>Which emphasis syntax a prompt is written in.</summary>
public enum PromptSyntax
{
    /// <summary>
    /// ComfyUI: <c>(x)</c> ×1.1 (nesting multiplies), <c>(x:1.3)</c> sets the weight (not multiplied by outer groups),
    /// <c>\(</c> <c>\)</c> escape, <c>[x]</c> is plain text.
    /// </summary>
    ComfyUI,

    /// <summary>
    /// AUTOMATIC1111: <c>(x)</c> ×1.1, <c>[x]</c> ÷1.1, <c>(x:w)</c> multiplies by w, unclosed brackets apply to the end,
    /// <c>\</c> escapes any bracket, <c>BREAK</c> starts a new chunk.
    /// </summary>
    A1111,
}
