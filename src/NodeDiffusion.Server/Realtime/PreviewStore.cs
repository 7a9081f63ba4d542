using System.Collections.Concurrent;

namespace NodeDiffusion.Server.Realtime;

/// <summary>The latest preview of each recent prompt, for the editor to fetch over HTTP (the circuit carries only a counter).</summary>
public sealed class PreviewStore
{
    private const int MaxPrompts = 16;
    private readonly ConcurrentDictionary<string, EncodedPreview> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Put(EncodedPreview preview)
    {
        if (_latest.TryAdd(preview.PromptId, preview))
        {
            _order.Enqueue(preview.PromptId);
            while (_order.Count > MaxPrompts && _order.TryDequeue(out var old))
            {
                _latest.TryRemove(old, out _);
            }
        }
        else
        {
            _latest[preview.PromptId] = preview;
        }
    }

    public EncodedPreview? Latest(string promptId) => _latest.GetValueOrDefault(promptId);
}
