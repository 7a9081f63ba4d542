using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NodeDiffusion.Testing;

/// <summary>
/// Writes small PyTorch zip files (<c>archive/data.pkl</c> + <c>archive/data/N</c>) the way <c>torch.save</c> lays them
/// out, with a protocol-2 pickle of nested dicts, tuples, strings, ints, floats, bools and float32 tensors — enough to
/// test our restricted unpickler on A1111-style files without Python. <see cref="Raw"/> injects arbitrary pickle bytes.
/// </summary>
public sealed class TorchZipWriter
{
    private readonly MemoryStream _pickle = new();
    private readonly List<float[]> _storages = [];

    /// <summary>A float32 tensor value.</summary>
    public sealed record Tensor(long[] Shape, float[] Values);

    /// <summary>Pickle bytes written as they are (e.g. a GLOBAL of a forbidden callable).</summary>
    public sealed record Raw(byte[] Bytes);

    /// <summary>A tuple value (A1111 stores each width's (key, value) state dicts as a tuple).</summary>
    public sealed record Tuple(params object[] Items);

    public static void Write(string path, IReadOnlyList<KeyValuePair<object, object>> root)
    {
        var writer = new TorchZipWriter();
        writer.Op(0x80, 2);
        writer.Value(root);
        writer.Op((byte)'.');
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Entry(zip, "archive/data.pkl", writer._pickle.ToArray());
        Entry(zip, "archive/version", Encoding.ASCII.GetBytes("3\n"));
        for (var i = 0; i < writer._storages.Count; i++)
        {
            var bytes = new byte[writer._storages[i].Length * 4];
            Buffer.BlockCopy(writer._storages[i], 0, bytes, 0, bytes.Length);
            Entry(zip, $"archive/data/{i}", bytes);
        }
    }

    /// <summary>Pickle bytes that call <c>module.name(argument)</c> through GLOBAL + REDUCE, as a malicious file would.</summary>
    public static Raw Call(string module, string name, string argument)
    {
        var w = new TorchZipWriter();
        w.Op((byte)'c');
        w._pickle.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        w.Op((byte)'(');
        w.Value(argument);
        w.Op((byte)'t', (byte)'R');
        return new Raw(w._pickle.ToArray());
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private void Op(params byte[] bytes) => _pickle.Write(bytes);

    private void Value(object? value)
    {
        switch (value)
        {
            case null: Op((byte)'N'); break;
            case bool b: Op(b ? (byte)0x88 : (byte)0x89); break;
            case int i: Int(i); break;
            case long l: Int(checked((int)l)); break;
            case double d:
                {
                    var bytes = new byte[9];
                    bytes[0] = (byte)'G';
                    BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(1), d);
                    Op(bytes);
                    break;
                }
            case string s:
                {
                    var utf8 = Encoding.UTF8.GetBytes(s);
                    var header = new byte[5];
                    header[0] = (byte)'X';
                    BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(1), (uint)utf8.Length);
                    Op(header);
                    Op(utf8);
                    break;
                }
            case Raw raw: Op(raw.Bytes); break;
            case Tensor t: TensorValue(t); break;
            case Tuple t:
                Op((byte)'(');
                foreach (var item in t.Items)
                {
                    Value(item);
                }
                Op((byte)'t');
                break;
            case IReadOnlyList<KeyValuePair<object, object>> dict:
                // An OrderedDict, as state_dict() returns: GLOBAL collections.OrderedDict, () , REDUCE, then SETITEMS.
                Op((byte)'c');
                _pickle.Write(Encoding.ASCII.GetBytes("collections\nOrderedDict\n"));
                Op((byte)')', (byte)'R', (byte)'(');
                foreach (var (k, v) in dict)
                {
                    Value(k);
                    Value(v);
                }
                Op((byte)'u');
                break;
            default:
                throw new ArgumentException($"cannot pickle {value.GetType()}");
        }
    }

    private void Int(int i)
    {
        var bytes = new byte[5];
        bytes[0] = (byte)'J';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), i);
        Op(bytes);
    }

    private void TensorValue(Tensor t)
    {
        var key = _storages.Count;
        _storages.Add(t.Values);
        Op((byte)'c');
        _pickle.Write(Encoding.ASCII.GetBytes("torch._utils\n_rebuild_tensor_v2\n"));
        Op((byte)'(');
        // Persistent id ('storage', torch.FloatStorage, key, 'cpu', numel) → BINPERSID.
        Op((byte)'(');
        Value("storage");
        Op((byte)'c');
        _pickle.Write(Encoding.ASCII.GetBytes("torch\nFloatStorage\n"));
        Value(key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Value("cpu");
        Int(t.Values.Length);
        Op((byte)'t', (byte)'Q');
        Int(0);
        Op((byte)'(');
        foreach (var d in t.Shape)
        {
            Int(checked((int)d));
        }
        Op((byte)'t', (byte)'(');
        var stride = 1L;
        var strides = new long[t.Shape.Length];
        for (var d = t.Shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= t.Shape[d];
        }
        foreach (var s in strides)
        {
            Int(checked((int)s));
        }
        Op((byte)'t', 0x89);
        Op((byte)'c');
        _pickle.Write(Encoding.ASCII.GetBytes("collections\nOrderedDict\n"));
        Op((byte)')', (byte)'R', (byte)'t', (byte)'R');
    }
}
