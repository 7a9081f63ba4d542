namespace NodeDiffusion.Diffusion.Text;

/// <summary>How emphasis weights are applied to the encoder's per-token outputs.</summary>
public enum TokenWeightingMethod
{
    /// <summary>ComfyUI: <c>z = (z − z_empty)·w + z_empty</c> per weighted token, z_empty being the encoded empty prompt.</summary>
    LerpFromEmpty,

    /// <summary>A1111 "Original": <c>z·w</c>, then the chunk is rescaled so that its mean equals the mean before weighting.</summary>
    MultiplyRestoringMean,

    /// <summary>A1111 "No norm": <c>z·w</c> only.</summary>
    Multiply,
}
