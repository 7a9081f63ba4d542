namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// An ε-prediction network (the SD1.5 UNet with its conditioning bound): predicts the noise for the already c_in-scaled
/// input at the given timestep (an integer-valued float, as ComfyUI passes it).
/// </summary>
public delegate void EpsilonModel(ReadOnlySpan<float> scaledInput, float timestep, Span<float> eps);
