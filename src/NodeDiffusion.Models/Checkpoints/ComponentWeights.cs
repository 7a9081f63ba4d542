using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>One component's weights under diffusers names, owning the file(s) they are read from.</summary>
public sealed class ComponentWeights(IWeightSource weights, IDisposable owner) : IWeightSource, IDisposable
{
    public IReadOnlyCollection<string> Names => weights.Names;

    public string Description => weights.Description;

    public bool Contains(string name) => weights.Contains(name);

    public long[] GetShape(string name) => weights.GetShape(name);

    public WeightTensor Read(string name) => weights.Read(name);

    public void Dispose() => owner.Dispose();

    /// <summary>The weights of one safetensors file already under diffusers names.</summary>
    public static ComponentWeights FromSafetensors(string path)
    {
        var file = SafetensorsWeightSource.Open(path);
        return new ComponentWeights(file, file);
    }
}
