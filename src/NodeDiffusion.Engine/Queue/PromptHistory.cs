namespace NodeDiffusion.Engine.Queue;

/// <summary>Finished prompts, newest last, persisted one file each and bounded in count.</summary>
public sealed class PromptHistory
{
    private readonly string _directory;
    private readonly int _maxEntries;
    private readonly List<HistoryEntry> _entries = [];
    private readonly Lock _lock = new();

    public PromptHistory(string dataDirectory, int maxEntries = 10_000)
    {
        _directory = Path.Combine(dataDirectory, "history");
        _maxEntries = maxEntries;
        Directory.CreateDirectory(_directory);
        foreach (var file in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (JsonFiles.Read<HistoryEntry>(file) is { } entry)
            {
                _entries.Add(entry);
            }
        }
        _entries.Sort((a, b) => a.CompletedAt.CompareTo(b.CompletedAt));
    }

    public event Action<HistoryEntry>? Added;

    public void Add(HistoryEntry entry)
    {
        lock (_lock)
        {
            _entries.RemoveAll(e => e.Prompt.PromptId == entry.Prompt.PromptId);
            _entries.Add(entry);
            JsonFiles.Write(PathOf(entry.Prompt.PromptId), entry);
            while (_entries.Count > _maxEntries)
            {
                File.Delete(PathOf(_entries[0].Prompt.PromptId));
                _entries.RemoveAt(0);
            }
        }
        Added?.Invoke(entry);
    }

    public HistoryEntry? Find(string promptId)
    {
        lock (_lock)
        {
            return _entries.FirstOrDefault(e => e.Prompt.PromptId == promptId);
        }
    }

    /// <summary>Entries newest first, paged.</summary>
    public IReadOnlyList<HistoryEntry> List(int offset = 0, int max = int.MaxValue)
    {
        lock (_lock)
        {
            return Enumerable.Reverse(_entries).Skip(Math.Max(0, offset)).Take(Math.Max(0, max)).ToList();
        }
    }

    public void Delete(IEnumerable<string> promptIds)
    {
        lock (_lock)
        {
            foreach (var id in promptIds)
            {
                if (_entries.RemoveAll(e => e.Prompt.PromptId == id) > 0)
                {
                    File.Delete(PathOf(id));
                }
            }
        }
    }

    public void Clear() => Delete(List().Select(e => e.Prompt.PromptId).ToList());

    private string PathOf(string promptId) =>
        Path.Combine(_directory, string.Concat(promptId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')) + ".json");
}
