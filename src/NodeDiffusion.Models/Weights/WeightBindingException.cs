namespace NodeDiffusion.Models.Weights;

/// <summary>Weights that do not fit an architecture: missing, unexpected or wrongly shaped parameters, named one by one.</summary>
public sealed class WeightBindingException(string message) : Exception(message);
