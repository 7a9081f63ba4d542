using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace NodeDiffusion.Formats.Safetensors;

/// <summary>
/// A validated, read-only safetensors file. Files are memory-mapped and tensor bytes are exposed as spans over the mapping;
/// conversions to float allocate only the result.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>The reference implementation's limit; a larger header is treated as corrupt rather than read.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly GCHandle _pin;
    private readonly byte* _data;
    private readonly Dictionary<string, SafetensorsTensorInfo> _tensors;
    private bool _disposed;

    private SafetensorsFile(string source, MemoryMappedFile? mapping, MemoryMappedViewAccessor? view, GCHandle pin, byte* start, long length)
    {
        Source = source;
        _mapping = mapping;
        _view = view;
        _pin = pin;
        try
        {
            var (tensors, metadata, dataOffset) = Parse(source, start, length);
            _tensors = tensors;
            Metadata = metadata;
            _data = start + dataOffset;
            DataLength = length - dataOffset;
            Tensors = tensors.Values.OrderBy(t => t.Begin).ThenBy(t => t.Name, StringComparer.Ordinal).ToArray();
        }
        catch
        {
            ReleaseBacking();
            throw;
        }
    }

    public string Source { get; }

    /// <summary>The string pairs of <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Header entries in data order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public long DataLength { get; }

    public static SafetensorsFile Open(string path)
    {
        var full = Path.GetFullPath(path);
        var length = new FileInfo(full).Length;
        if (length < 8)
        {
            throw new SafetensorsFormatException(full, SafetensorsError.HeaderTooSmall, $"the file has {length} bytes; at least 8 are needed for the header length");
        }
        var mapping = MemoryMappedFile.CreateFromFile(full, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = mapping.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new SafetensorsFile(full, mapping, view, default, pointer + view.PointerOffset, length);
        }
        catch
        {
            view?.Dispose();
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>Reads safetensors bytes held in memory; <paramref name="sourceName"/> names them in errors.</summary>
    public static SafetensorsFile FromBytes(byte[] bytes, string sourceName)
    {
        if (bytes.Length < 8)
        {
            throw new SafetensorsFormatException(sourceName, SafetensorsError.HeaderTooSmall, $"the data has {bytes.Length} bytes; at least 8 are needed for the header length");
        }
        var pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        return new SafetensorsFile(sourceName, null, null, pin, (byte*)pin.AddrOfPinnedObject(), bytes.Length);
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public SafetensorsTensorInfo GetInfo(string name) =>
        _tensors.TryGetValue(name, out var info)
            ? info
            : throw new SafetensorsFormatException(Source, SafetensorsError.TensorNotFound, $"no tensor named '{name}'");

    /// <summary>The raw little-endian bytes of a tensor, straight from the mapping.</summary>
    public ReadOnlySpan<byte> GetBytes(string name) => GetBytes(GetInfo(name));

    public ReadOnlySpan<byte> GetBytes(SafetensorsTensorInfo info)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (info.ByteLength > int.MaxValue)
        {
            throw new NotSupportedException($"{Source}: tensor '{info.Name}' has {info.ByteLength} bytes; spans are limited to 2 GiB");
        }
        return new ReadOnlySpan<byte>(_data + info.Begin, (int)info.ByteLength);
    }

    /// <summary>The tensor converted to float32 (floating and integer dtypes).</summary>
    public float[] ReadFloat32(string name)
    {
        var info = GetInfo(name);
        var result = new float[checked((int)info.ElementCount)];
        ConvertToFloat32(info, result);
        return result;
    }

    public void ConvertToFloat32(SafetensorsTensorInfo info, Span<float> destination)
    {
        var bytes = GetBytes(info);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException($"destination holds {destination.Length} values but '{info.Name}' has {info.ElementCount}", nameof(destination));
        }
        TensorConversion.ToFloat32(info.DType, bytes, destination, Source, info.Name);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        ReleaseBacking();
    }

    private void ReleaseBacking()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _mapping?.Dispose();
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }

    private static (Dictionary<string, SafetensorsTensorInfo>, IReadOnlyDictionary<string, string>, long) Parse(string source, byte* start, long length)
    {
        var headerLength = *(ulong*)start;
        if (!BitConverter.IsLittleEndian)
        {
            headerLength = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(headerLength);
        }
        if (headerLength > MaxHeaderLength)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.HeaderTooLarge, $"declared header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes");
        }
        if (8 + (long)headerLength > length)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeaderLength, $"declared header length {headerLength} runs past the end of the {length}-byte file");
        }
        var headerBytes = new ReadOnlySpan<byte>(start + 8, (int)headerLength);
        string headerText;
        try
        {
            headerText = new UTF8Encoding(false, true).GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeader, "the header is not valid UTF-8: " + e.Message);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerText, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeaderDeserialization, "the header is not valid JSON: " + e.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeaderDeserialization, $"the header must be a JSON object, not {document.RootElement.ValueKind}");
            }
            var dataOffset = 8 + (long)headerLength;
            var dataLength = length - dataOffset;
            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(source, property.Value, metadata);
                    continue;
                }
                if (tensors.ContainsKey(property.Name))
                {
                    throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeaderDeserialization, $"tensor '{property.Name}' appears twice in the header");
                }
                tensors.Add(property.Name, ReadTensorInfo(source, property.Name, property.Value));
            }
            ValidateLayout(source, tensors.Values, dataLength);
            return (tensors, metadata, dataOffset);
        }
    }

    private static void ReadMetadata(string source, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeaderDeserialization, "__metadata__ must be an object of strings");
        }
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(source, SafetensorsError.InvalidHeaderDeserialization, $"__metadata__ value '{entry.Name}' is {entry.Value.ValueKind}, not a string");
            }
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensorInfo(string source, string name, JsonElement element)
    {
        SafetensorsFormatException Bad(string what) => new(source, SafetensorsError.InvalidHeaderDeserialization, $"tensor '{name}': {what}");

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Bad("the entry must be an object with dtype, shape and data_offsets");
        }
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Bad("missing string 'dtype'");
        }
        var dtypeText = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeText, out var dtype))
        {
            throw new SafetensorsFormatException(source, SafetensorsError.UnknownDType, $"tensor '{name}': unknown dtype '{dtypeText}'");
        }
        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad("missing array 'shape'");
        }
        if (!element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw Bad("missing 'data_offsets' [begin, end]");
        }

        var dims = new List<ulong>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetUInt64(out var value))
            {
                throw Bad($"shape entry {d.GetRawText()} is not a non-negative integer");
            }
            dims.Add(value);
        }
        var offsets = new ulong[2];
        var i = 0;
        foreach (var o in offsetsElement.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetUInt64(out offsets[i]))
            {
                throw Bad($"data offset {o.GetRawText()} is not a non-negative integer");
            }
            i++;
        }

        ulong byteCount;
        try
        {
            ulong elements = 1;
            foreach (var d in dims)
            {
                elements = checked(elements * d);
            }
            byteCount = checked(elements * (ulong)SafetensorsDTypes.SizeOf(dtype));
            if (byteCount > long.MaxValue || offsets[1] > long.MaxValue || dims.Any(d => d > long.MaxValue))
            {
                throw new OverflowException();
            }
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.ValidationOverflow,
                $"tensor '{name}': shape [{string.Join(", ", dims)}] of {dtype} overflows 64-bit byte counts");
        }
        if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != byteCount)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.TensorInvalidInfo,
                $"tensor '{name}': data_offsets [{offsets[0]}, {offsets[1]}] span {(long)(offsets[1] - offsets[0])} bytes but shape [{string.Join(", ", dims)}] of {dtype} needs {byteCount}");
        }
        return new SafetensorsTensorInfo(name, dtype, dims.Select(d => (long)d).ToArray(), (long)offsets[0], (long)offsets[1]);
    }

    private static void ValidateLayout(string source, IEnumerable<SafetensorsTensorInfo> tensors, long dataLength)
    {
        long expectedBegin = 0;
        string? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin != expectedBegin)
            {
                var relation = t.Begin < expectedBegin ? "overlaps" : "leaves a gap after";
                throw new SafetensorsFormatException(source, SafetensorsError.InvalidOffset,
                    $"tensor '{t.Name}' starts at {t.Begin} and {relation} {(previous is null ? "the start of the data" : $"tensor '{previous}'")} (expected {expectedBegin})");
            }
            expectedBegin = t.End;
            previous = t.Name;
        }
        if (expectedBegin != dataLength)
        {
            throw new SafetensorsFormatException(source, SafetensorsError.MetadataIncompleteBuffer,
                $"the tensors cover {expectedBegin} bytes but the data section has {dataLength}");
        }
    }
}
