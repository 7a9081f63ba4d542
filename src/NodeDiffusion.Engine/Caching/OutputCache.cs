using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Engine.Caching;

/// <summary>
/// Node results by signature, kept across runs. Least recently used entries go first when the count or the byte
/// budget is exceeded. Thread-safe.
/// </summary>
public sealed class OutputCache(int maxEntries = 512, long maxBytes = 4L * 1024 * 1024 * 1024)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, CachedOutputs Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, CachedOutputs Value)> _recency = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public bool TryGet(string signature, out CachedOutputs outputs)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(signature, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                outputs = node.Value.Value;
                return true;
            }
        }
        outputs = null!;
        return false;
    }

    public bool Contains(string signature)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(signature);
        }
    }

    public void Set(string signature, CachedOutputs outputs)
    {
        lock (_lock)
        {
            if (_entries.Remove(signature, out var existing))
            {
                _recency.Remove(existing);
                _bytes -= existing.Value.Value.ByteSize;
            }
            if (outputs.ByteSize > maxBytes)
            {
                return;
            }
            _entries[signature] = _recency.AddFirst((signature, outputs));
            _bytes += outputs.ByteSize;
            while (_entries.Count > maxEntries || _bytes > maxBytes)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Value.ByteSize;
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
            _bytes = 0;
        }
    }

    /// <summary>The bytes a set of output values occupies, as far as the values can tell.</summary>
    public static long SizeOf(IEnumerable<object?> values) => values.Sum(value => value switch
    {
        ISizedValue sized => sized.ByteSize,
        string text => 24 + (2L * text.Length),
        null => 0,
        _ => 32,
    });
}
