using System.Buffers.Binary;
using System.Text;
using NodeDiffusion.Formats.Safetensors;

namespace NodeDiffusion.Formats.Torch;

/// <summary>
/// A restricted unpickler for torch state dicts. It knows only the handful of globals a state dict needs
/// (OrderedDict, tensor rebuild functions, storage classes) and refuses every other global, so a checkpoint can never run code.
/// </summary>
internal sealed class PickleReader(byte[] data, string source)
{
    private readonly Dictionary<long, object?> _memo = [];
    private readonly Stack<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private int _position;

    internal sealed record Global(string Module, string Name);

    internal sealed record Storage(SafetensorsDType DType, string Key, long Elements);

    internal sealed record TensorRef(Storage Storage, long Offset, long[] Shape, long[] Stride);

    internal sealed class PickleDict : List<KeyValuePair<object, object?>>;

    private static readonly Dictionary<string, SafetensorsDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = SafetensorsDType.F32,
        ["HalfStorage"] = SafetensorsDType.F16,
        ["BFloat16Storage"] = SafetensorsDType.BF16,
        ["DoubleStorage"] = SafetensorsDType.F64,
        ["LongStorage"] = SafetensorsDType.I64,
        ["IntStorage"] = SafetensorsDType.I32,
        ["ShortStorage"] = SafetensorsDType.I16,
        ["CharStorage"] = SafetensorsDType.I8,
        ["ByteStorage"] = SafetensorsDType.U8,
        ["BoolStorage"] = SafetensorsDType.BOOL,
    };

    public object? Load()
    {
        while (true)
        {
            var op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                                   // PROTO
                case 0x95: Skip(8); break;                                      // FRAME
                case (byte)'.': return _stack.Pop();                           // STOP
                case (byte)'}': _stack.Push(new PickleDict()); break;          // EMPTY_DICT
                case (byte)']': _stack.Push(new List<object?>()); break;       // EMPTY_LIST
                case (byte)')': _stack.Push(Array.Empty<object?>()); break;    // EMPTY_TUPLE
                case (byte)'(': _marks.Push(_stack.Count); break;              // MARK
                case (byte)'N': _stack.Push(null); break;
                case 0x88: _stack.Push(true); break;
                case 0x89: _stack.Push(false); break;
                case (byte)'K': _stack.Push((long)ReadByte()); break;          // BININT1
                case (byte)'M': _stack.Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case (byte)'J': _stack.Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case 0x8a: _stack.Push(ReadLong1()); break;                     // LONG1
                case (byte)'G': _stack.Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': _stack.Push(Encoding.UTF8.GetString(Take(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break;
                case 0x8c: _stack.Push(Encoding.UTF8.GetString(Take(ReadByte()))); break;
                case 0x8d: _stack.Push(Encoding.UTF8.GetString(Take(checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))))); break;
                case (byte)'U': _stack.Push(Encoding.Latin1.GetString(Take(ReadByte()))); break;
                case (byte)'T': _stack.Push(Encoding.Latin1.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break;
                case (byte)'q': _memo[ReadByte()] = _stack.Peek(); break;      // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = _stack.Peek(); break;
                case 0x94: _memo[_memo.Count] = _stack.Peek(); break;          // MEMOIZE
                case (byte)'h': _stack.Push(Memo(ReadByte())); break;          // BINGET
                case (byte)'j': _stack.Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case (byte)'c': _stack.Push(MakeGlobal(ReadLine(), ReadLine())); break;
                case 0x93:                                                      // STACK_GLOBAL
                    {
                        var name = (string)_stack.Pop()!;
                        _stack.Push(MakeGlobal((string)_stack.Pop()!, name));
                        break;
                    }
                case (byte)'t': _stack.Push(PopMark().ToArray()); break;       // TUPLE
                case 0x85: _stack.Push(new[] { _stack.Pop() }); break;
                case 0x86: { var b = _stack.Pop(); var a = _stack.Pop(); _stack.Push(new[] { a, b }); break; }
                case 0x87: { var c = _stack.Pop(); var b = _stack.Pop(); var a = _stack.Pop(); _stack.Push(new[] { a, b, c }); break; }
                case (byte)'Q': _stack.Push(PersistentLoad(_stack.Pop())); break;   // BINPERSID
                case (byte)'R':                                                        // REDUCE
                    {
                        var args = (object?[])_stack.Pop()!;
                        _stack.Push(Reduce(_stack.Pop(), args));
                        break;
                    }
                case (byte)'s': { var v = _stack.Pop(); var k = _stack.Pop(); AsDict(_stack.Peek()).Add(new(k!, v)); break; }
                case (byte)'u':                                                        // SETITEMS
                    {
                        var items = PopMark();
                        var dict = AsDict(_stack.Peek());
                        for (var i = 0; i < items.Count; i += 2)
                        {
                            dict.Add(new(items[i]!, items[i + 1]));
                        }
                        break;
                    }
                case (byte)'a': { var v = _stack.Pop(); AsList(_stack.Peek()).Add(v); break; }
                case (byte)'e': { var items = PopMark(); AsList(_stack.Peek()).AddRange(items); break; }
                case (byte)'b': _stack.Pop(); break;                           // BUILD: state dict metadata (_metadata) is not needed
                default:
                    throw new TorchFormatException(source, $"unsupported pickle opcode 0x{op:x2} at byte {_position - 1}");
            }
        }
    }

    private object MakeGlobal(string module, string name)
    {
        var allowed = (module, name) switch
        {
            ("collections", "OrderedDict") => true,
            ("torch._utils", "_rebuild_tensor_v2") => true,
            ("torch._utils", "_rebuild_parameter") => true,
            ("torch", _) when StorageTypes.ContainsKey(name) => true,
            _ => false,
        };
        return allowed ? new Global(module, name) : throw new TorchFormatException(source, $"refusing pickle global {module}.{name}: only plain state dicts of tensors are loaded");
    }

    private object? Reduce(object? callable, object?[] args)
    {
        if (callable is not Global g)
        {
            throw new TorchFormatException(source, "pickle REDUCE on something that is not a known global");
        }
        switch (g.Name)
        {
            case "OrderedDict":
                return new PickleDict();
            case "_rebuild_tensor_v2":
                return new TensorRef((Storage)args[0]!, (long)args[1]!, ToLongs(args[2]), ToLongs(args[3]));
            case "_rebuild_parameter":
                return args[0];
            default:
                throw new TorchFormatException(source, $"cannot call {g.Module}.{g.Name}");
        }
    }

    private object PersistentLoad(object? pid)
    {
        if (pid is object?[] { Length: 5 } t && t[0] as string == "storage" && t[1] is Global storageType && StorageTypes.TryGetValue(storageType.Name, out var dtype))
        {
            return new Storage(dtype, Convert.ToString(t[2], System.Globalization.CultureInfo.InvariantCulture)!, (long)t[4]!);
        }
        throw new TorchFormatException(source, "unsupported persistent id in pickle (expected a torch storage)");
    }

    private static long[] ToLongs(object? tuple) => ((object?[])tuple!).Select(x => (long)x!).ToArray();

    private PickleDict AsDict(object? o) => o as PickleDict ?? throw new TorchFormatException(source, "pickle SETITEM(S) on something that is not a dict");

    private List<object?> AsList(object? o) => o as List<object?> ?? throw new TorchFormatException(source, "pickle APPEND(S) on something that is not a list");

    private object? Memo(long key) => _memo.TryGetValue(key, out var v) ? v : throw new TorchFormatException(source, $"pickle memo {key} is unset");

    private List<object?> PopMark()
    {
        var mark = _marks.Pop();
        var items = new List<object?>();
        while (_stack.Count > mark)
        {
            items.Add(_stack.Pop());
        }
        items.Reverse();
        return items;
    }

    private long ReadLong1()
    {
        var n = ReadByte();
        var bytes = Take(n);
        long value = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }
        if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0)
        {
            value -= 1L << (8 * n);
        }
        return value;
    }

    private string ReadLine()
    {
        var end = Array.IndexOf(data, (byte)'\n', _position);
        if (end < 0)
        {
            throw new TorchFormatException(source, "truncated pickle");
        }
        var s = Encoding.ASCII.GetString(data, _position, end - _position);
        _position = end + 1;
        return s;
    }

    private byte ReadByte() => _position < data.Length ? data[_position++] : throw new TorchFormatException(source, "truncated pickle");

    private void Skip(int n) => Take(n);

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _position + n > data.Length)
        {
            throw new TorchFormatException(source, "truncated pickle");
        }
        var span = data.AsSpan(_position, n);
        _position += n;
        return span;
    }
}
