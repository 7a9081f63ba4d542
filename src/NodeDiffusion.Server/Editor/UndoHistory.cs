namespace NodeDiffusion.Server.Editor;

/// <summary>
/// Undo and redo over whole-workflow snapshots. Each edit (add, delete, move, link, widget) is one step, and a bulk
/// edit such as a paste or a load is a single step too.
/// </summary>
public sealed class UndoHistory(int capacity = 200)
{
    private readonly LinkedList<string> _undo = new();
    private readonly Stack<string> _redo = new();

    public string? Current => _undo.Last?.Value;

    public bool CanUndo => _undo.Count > 1;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>Records a new state; returns false when nothing changed.</summary>
    public bool Record(string snapshot)
    {
        if (Current == snapshot)
        {
            return false;
        }
        _undo.AddLast(snapshot);
        _redo.Clear();
        while (_undo.Count > capacity)
        {
            _undo.RemoveFirst();
        }
        return true;
    }

    /// <summary>Starts over from <paramref name="snapshot"/>, e.g. after restoring an autosave.</summary>
    public void Reset(string snapshot)
    {
        _undo.Clear();
        _redo.Clear();
        _undo.AddLast(snapshot);
    }

    public string? Undo()
    {
        if (!CanUndo)
        {
            return null;
        }
        _redo.Push(_undo.Last!.Value);
        _undo.RemoveLast();
        return Current;
    }

    public string? Redo()
    {
        if (!CanRedo)
        {
            return null;
        }
        _undo.AddLast(_redo.Pop());
        return Current;
    }
}
