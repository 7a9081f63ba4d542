namespace NodeDiffusion.Models.Weights;

/// <summary>Named float parameters (diffusers/transformers names), e.g. one or more safetensors files.</summary>
public interface IWeightSource
{
    IReadOnlyCollection<string> Names { get; }

    bool Contains(string name);

    long[] GetShape(string name);

    /// <summary>The parameter as float32, converted from whatever the file stores.</summary>
    WeightTensor Read(string name);

    /// <summary>Where the parameters come from, for error messages.</summary>
    string Description { get; }
}
