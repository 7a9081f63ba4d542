using NodeDiffusion.Formats.Torch;

namespace NodeDiffusion.Models.Weights;

/// <summary>Parameters from a PyTorch zip checkpoint (<c>.pth</c>/<c>.pt</c>), read without running pickle code.</summary>
public sealed class TorchCheckpointWeightSource(TorchCheckpoint checkpoint) : IWeightSource, IDisposable
{
    public static TorchCheckpointWeightSource Open(string path) => new(TorchCheckpoint.Open(path));

    public IReadOnlyCollection<string> Names { get; } = checkpoint.Tensors.Select(t => t.Name).ToArray();

    public string Description => checkpoint.Source;

    public bool Contains(string name) => checkpoint.Contains(name);

    public long[] GetShape(string name) => checkpoint.GetInfo(name).Shape;

    public WeightTensor Read(string name)
    {
        var info = checkpoint.GetInfo(name);
        return WeightTensor.FromValues(name, info.Shape, checkpoint.ReadFloat32(name));
    }

    public void Dispose() => checkpoint.Dispose();
}
