namespace NodeDiffusion.Engine.Queue;

/// <summary>
/// FIFO of prompts with "front", cancel and interrupt. Every pending prompt is a file under the data directory, and
/// the running one is marked, so a restart finds the queue as it was and records an interrupted run.
/// </summary>
public sealed class PromptQueue
{
    private readonly string _queueDirectory;
    private readonly string _runningMarker;
    private readonly List<QueuedPrompt> _pending = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _available = new(0);
    private double _counter;
    private QueuedPrompt? _running;
    private CancellationTokenSource? _runningCancellation;

    public PromptQueue(string dataDirectory)
    {
        _queueDirectory = Path.Combine(dataDirectory, "queue");
        _runningMarker = Path.Combine(dataDirectory, "running.json");
        Directory.CreateDirectory(_queueDirectory);
        foreach (var file in Directory.EnumerateFiles(_queueDirectory, "*.json"))
        {
            if (JsonFiles.Read<QueuedPrompt>(file) is { } prompt)
            {
                _pending.Add(prompt);
            }
        }
        _pending.Sort((a, b) => a.Number.CompareTo(b.Number));
        _counter = _pending.Count == 0 ? 0 : Math.Max(0, _pending.Max(p => p.Number)) + 1;
        InterruptedByRestart = JsonFiles.Read<QueuedPrompt>(_runningMarker);
        if (InterruptedByRestart is not null)
        {
            File.Delete(_runningMarker);
        }
        if (_pending.Count > 0)
        {
            _available.Release(_pending.Count); // Release(0) throws.
        }
    }

    /// <summary>The prompt that was running when the process last stopped, if any.</summary>
    public QueuedPrompt? InterruptedByRestart { get; }

    public QueuedPrompt? Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    public IReadOnlyList<QueuedPrompt> Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.ToList();
            }
        }
    }

    public int Remaining
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count + (_running is null ? 0 : 1);
            }
        }
    }

    public event Action? Changed;

    /// <summary>Adds a prompt; "front" puts it before everything pending. Returns it with its queue number.</summary>
    public QueuedPrompt Enqueue(QueuedPrompt prompt, bool front = false)
    {
        QueuedPrompt numbered;
        lock (_lock)
        {
            var number = front ? -(_counter++) : _counter++;
            numbered = prompt with { Number = number, SubmittedAt = prompt.SubmittedAt ?? DateTimeOffset.UtcNow };
            JsonFiles.Write(PathOf(numbered.PromptId), numbered);
            var index = _pending.FindIndex(p => p.Number > number);
            _pending.Insert(index < 0 ? _pending.Count : index, numbered);
        }
        _available.Release();
        Changed?.Invoke();
        return numbered;
    }

    /// <summary>Waits for the next prompt and marks it running, with a token that <see cref="Interrupt"/> cancels.</summary>
    public async Task<(QueuedPrompt Prompt, CancellationToken Interrupt)> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    continue; // A cancelled prompt left its permit behind.
                }
                var prompt = _pending[0];
                _pending.RemoveAt(0);
                _running = prompt;
                _runningCancellation = new CancellationTokenSource();
                JsonFiles.Write(_runningMarker, prompt);
                File.Delete(PathOf(prompt.PromptId));
                Changed?.Invoke();
                return (prompt, _runningCancellation.Token);
            }
        }
    }

    /// <summary>Marks the running prompt finished; the caller has written its history first.</summary>
    public void Complete(QueuedPrompt prompt)
    {
        lock (_lock)
        {
            if (_running?.PromptId == prompt.PromptId)
            {
                _running = null;
                _runningCancellation?.Dispose();
                _runningCancellation = null;
                File.Delete(_runningMarker);
            }
        }
        Changed?.Invoke();
    }

    /// <summary>Removes pending prompts by id; returns how many were removed.</summary>
    public int Cancel(IEnumerable<string> promptIds)
    {
        var ids = promptIds.ToHashSet(StringComparer.Ordinal);
        int removed;
        lock (_lock)
        {
            removed = _pending.RemoveAll(p => ids.Contains(p.PromptId));
            foreach (var id in ids)
            {
                File.Delete(PathOf(id));
            }
        }
        if (removed > 0)
        {
            Changed?.Invoke();
        }
        return removed;
    }

    public int Clear()
    {
        List<string> ids;
        lock (_lock)
        {
            ids = _pending.Select(p => p.PromptId).ToList();
        }
        return Cancel(ids);
    }

    /// <summary>Interrupts the running prompt (only if it is <paramref name="promptId"/>, when given).</summary>
    public bool Interrupt(string? promptId = null)
    {
        lock (_lock)
        {
            if (_running is null || (promptId is not null && _running.PromptId != promptId))
            {
                return false;
            }
            _runningCancellation?.Cancel();
            return true;
        }
    }

    private string PathOf(string promptId) => Path.Combine(_queueDirectory, SafeFileName(promptId) + ".json");

    private static string SafeFileName(string promptId) =>
        string.Concat(promptId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
