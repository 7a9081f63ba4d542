using NodeDiffusion.Formats.Safetensors;

namespace NodeDiffusion.Models.Weights;

/// <summary>
/// The union of one or more safetensors files (e.g. a ControlNet's own tensors plus the UNet tensors it shares).
/// A name present in two files is an error, since either choice could silently be the wrong one.
/// </summary>
public sealed class SafetensorsWeightSource : IWeightSource, IDisposable
{
    private readonly List<SafetensorsFile> _files = [];
    private readonly Dictionary<string, SafetensorsFile> _owner = new(StringComparer.Ordinal);
    private readonly bool _ownsFiles;

    public SafetensorsWeightSource(IEnumerable<SafetensorsFile> files, bool ownsFiles = false)
    {
        _ownsFiles = ownsFiles;
        foreach (var file in files)
        {
            _files.Add(file);
            foreach (var info in file.Tensors)
            {
                if (_owner.TryGetValue(info.Name, out var other))
                {
                    throw new WeightBindingException($"tensor '{info.Name}' is in both {other.Source} and {file.Source}");
                }
                _owner.Add(info.Name, file);
            }
        }
    }

    public static SafetensorsWeightSource Open(params string[] paths)
    {
        var files = new List<SafetensorsFile>();
        try
        {
            foreach (var path in paths)
            {
                files.Add(SafetensorsFile.Open(path));
            }
            return new SafetensorsWeightSource(files, ownsFiles: true);
        }
        catch
        {
            files.ForEach(f => f.Dispose());
            throw;
        }
    }

    public IReadOnlyCollection<string> Names => _owner.Keys;

    public string Description => string.Join(" + ", _files.Select(f => f.Source));

    public bool Contains(string name) => _owner.ContainsKey(name);

    public long[] GetShape(string name) => Owner(name).GetInfo(name).Shape;

    public WeightTensor Read(string name)
    {
        var file = Owner(name);
        var info = file.GetInfo(name);
        var bytes = new byte[checked(info.ElementCount * sizeof(float))];
        file.ConvertToFloat32(info, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        return new WeightTensor(name, info.Shape, bytes);
    }

    public void Dispose()
    {
        if (_ownsFiles)
        {
            _files.ForEach(f => f.Dispose());
        }
    }

    private SafetensorsFile Owner(string name) =>
        _owner.TryGetValue(name, out var file)
            ? file
            : throw new WeightBindingException($"missing weight '{name}' in {Description}");
}
