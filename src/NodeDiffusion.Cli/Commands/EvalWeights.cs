using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Cli.Commands;

/// <summary>
/// The union of the --weights files: safetensors files as one source (duplicate names are an error), torch zip
/// checkpoints (TAESD ships .pth) each as their own source.
/// </summary>
internal sealed class EvalWeights : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public EvalWeights(IEnumerable<string> paths)
    {
        var all = paths.ToList();
        var torch = all.Where(IsTorchZip).ToList();
        var safetensors = all.Except(torch).ToArray();
        var sources = new List<IWeightSource>();
        try
        {
            if (safetensors.Length > 0)
            {
                sources.Add(Own(SafetensorsWeightSource.Open(safetensors)));
            }
            sources.AddRange(torch.Select(p => Own(TorchCheckpointWeightSource.Open(p))));
        }
        catch
        {
            Dispose();
            throw;
        }
        Source = sources.Count == 1 ? sources[0] : new UnionWeightSource([.. sources]);
    }

    public IWeightSource Source { get; }

    public void Dispose() => _owned.ForEach(o => o.Dispose());

    private T Own<T>(T source) where T : IDisposable
    {
        _owned.Add(source);
        return source;
    }

    private static bool IsTorchZip(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 'P' && stream.ReadByte() == 'K';
    }
}
