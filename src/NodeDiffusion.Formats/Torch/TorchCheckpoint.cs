using System.IO.Compression;
using NodeDiffusion.Formats.Safetensors;

namespace NodeDiffusion.Formats.Torch;

/// <summary>
/// A PyTorch zip checkpoint (<c>torch.save</c> of a state dict, e.g. TAESD's <c>.pth</c>) read without executing pickle code.
/// Nested dicts, tuples and lists are flattened with '.' (items by index); top-level plain values (strings, numbers,
/// booleans) are kept in <see cref="Metadata"/>, other non-tensor values are skipped.
/// </summary>
public sealed class TorchCheckpoint : IDisposable
{
    /// <summary>A state dict's pickle holds names, shapes and storage keys only; real ones are a few megabytes at most.</summary>
    public const long MaxPickleBytes = 64L << 20;

    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly Dictionary<string, TorchTensorInfo> _tensors;

    private TorchCheckpoint(string source, ZipArchive zip, string prefix, Dictionary<string, TorchTensorInfo> tensors, Dictionary<string, object> metadata)
    {
        Metadata = metadata;
        Source = source;
        _zip = zip;
        _prefix = prefix;
        _tensors = tensors;
    }

    public string Source { get; }

    public IReadOnlyCollection<TorchTensorInfo> Tensors => _tensors.Values;

    /// <summary>Top-level entries that are plain values (string, long, double or bool), e.g. an A1111 hypernetwork's options.</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }

    public static TorchCheckpoint Open(string path)
    {
        var full = Path.GetFullPath(path);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(full);
        }
        catch (InvalidDataException e)
        {
            throw new TorchFormatException(full, "not a torch zip checkpoint (legacy non-zip torch.save files are not supported): " + e.Message);
        }
        try
        {
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new TorchFormatException(full, "no */data.pkl entry");
            var prefix = pickle.FullName[..^"data.pkl".Length];
            var root = new PickleReader(ReadEntry(full, pickle, MaxPickleBytes, pickle.FullName), full).Load();
            var tensors = new Dictionary<string, TorchTensorInfo>(StringComparer.Ordinal);
            Flatten(full, "", root, tensors);
            return new TorchCheckpoint(full, zip, prefix, tensors, TopLevelValues(root));
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public TorchTensorInfo GetInfo(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new TorchFormatException(Source, $"no tensor named '{name}'");

    /// <summary>The tensor as float32 in row-major order (strided storage is gathered).</summary>
    public float[] ReadFloat32(string name)
    {
        var info = GetInfo(name);
        var size = SafetensorsDTypes.SizeOf(info.DType);
        var entry = _zip.GetEntry(_prefix + "data/" + info.StorageKey)
            ?? throw new TorchFormatException(Source, $"tensor '{name}': storage entry data/{info.StorageKey} is missing");
        var expected = info.StorageElements * size;
        if (entry.Length != expected || info.StorageElements > Array.MaxLength)
        {
            throw new TorchFormatException(Source, $"tensor '{name}': storage data/{info.StorageKey} has {entry.Length} bytes, expected {expected}");
        }
        var bytes = ReadEntry(Source, entry, expected, "data/" + info.StorageKey);
        var storage = new float[info.StorageElements];
        TensorConversion.ToFloat32(info.DType, bytes, storage, Source, name);

        var result = new float[info.ElementCount];
        var index = new long[info.Shape.Length];
        for (long i = 0; i < result.LongLength; i++)
        {
            var offset = info.Offset;
            for (var d = 0; d < index.Length; d++)
            {
                offset += index[d] * info.Stride[d];
            }
            if (offset < 0 || offset >= storage.LongLength)
            {
                throw new TorchFormatException(Source, $"tensor '{name}': element {i} lies outside its storage");
            }
            result[i] = storage[offset];
            for (var d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < info.Shape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }

    public void Dispose() => _zip.Dispose();

    private static void Flatten(string source, string prefix, object? value, Dictionary<string, TorchTensorInfo> tensors)
    {
        switch (value)
        {
            case PickleReader.PickleDict dict:
                foreach (var (key, item) in dict)
                {
                    var name = key as string ?? Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)!;
                    Flatten(source, prefix.Length == 0 ? name : prefix + "." + name, item, tensors);
                }
                break;
            case object?[] items:
                FlattenItems(source, prefix, items, tensors);
                break;
            case List<object?> items:
                FlattenItems(source, prefix, items, tensors);
                break;
            case PickleReader.TensorRef t:
                tensors[prefix] = new TorchTensorInfo(prefix, t.Storage.DType, t.Storage.Key, t.Storage.Elements, t.Offset, t.Shape, t.Stride);
                break;
        }
    }

    private static void FlattenItems(string source, string prefix, IReadOnlyList<object?> items, Dictionary<string, TorchTensorInfo> tensors)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Flatten(source, prefix.Length == 0 ? index : prefix + "." + index, items[i], tensors);
        }
    }

    private static Dictionary<string, object> TopLevelValues(object? root)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (root is PickleReader.PickleDict dict)
        {
            foreach (var (key, item) in dict)
            {
                if (key is string name && item is string or long or double or bool)
                {
                    values[name] = item;
                }
            }
        }
        return values;
    }

    /// <summary>
    /// Reads a whole entry, refusing one whose declared size is over <paramref name="maxBytes"/> before allocating anything,
    /// and one whose data ends before its declared size.
    /// </summary>
    private static byte[] ReadEntry(string source, ZipArchiveEntry entry, long maxBytes, string what)
    {
        if (entry.Length > maxBytes || entry.Length > Array.MaxLength)
        {
            throw new TorchFormatException(source, $"entry {what} declares {entry.Length} bytes, more than the {Math.Min(maxBytes, Array.MaxLength)} allowed");
        }
        var bytes = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new TorchFormatException(source, $"entry {what} is truncated or corrupt: {e.Message}");
        }
        return bytes;
    }
}
