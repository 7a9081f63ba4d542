using NodeDiffusion.Engine.Events;

namespace NodeDiffusion.Cli.Commands;

/// <summary>Draws per-node and per-step progress on stderr; on a terminal the step bar redraws in place.</summary>
internal sealed class ConsoleProgress(TextWriter writer, bool interactive) : IExecutionEventSink
{
    private const int BarWidth = 30;
    private readonly Lock _lock = new();
    private int _total;
    private int _done;
    private int _lastPercent = -1;

    public void Publish(ExecutionEvent executionEvent)
    {
        lock (_lock)
        {
            switch (executionEvent)
            {
                case ExecutionStarted started:
                    _total = started.NodeIds.Count;
                    _done = 0;
                    break;
                case NodeCached cached:
                    _done++;
                    writer.WriteLine($"[{_done}/{_total}] {cached.NodeType} (node {cached.NodeId}): cached");
                    break;
                case NodeStarted started:
                    writer.WriteLine($"[{_done + 1}/{_total}] {started.NodeType} (node {started.NodeId})…");
                    _lastPercent = -1;
                    break;
                case NodeProgress progress when progress.Max > 0:
                    DrawBar(progress);
                    break;
                case NodeWarning warning:
                    EndBar();
                    writer.WriteLine($"  warning (node {warning.NodeId}): {warning.Message}");
                    break;
                case NodeCompleted completed:
                    EndBar();
                    _done++;
                    writer.WriteLine($"  done in {completed.Milliseconds:F0} ms");
                    break;
                case ExecutionFailed failed:
                    EndBar();
                    writer.WriteLine($"error in node {failed.Error.NodeId} ({failed.Error.NodeType}): {failed.Error.Message}");
                    break;
                case ExecutionCancelled:
                    EndBar();
                    writer.WriteLine("cancelled");
                    break;
            }
        }
    }

    private void DrawBar(NodeProgress progress)
    {
        var percent = (int)(100L * progress.Value / progress.Max);
        if (interactive)
        {
            var filled = BarWidth * progress.Value / progress.Max;
            writer.Write($"\r  [{new string('#', filled)}{new string('.', BarWidth - filled)}] {progress.Value}/{progress.Max}");
            _lastPercent = percent;
        }
        else if (percent / 25 != _lastPercent / 25 || progress.Value == progress.Max)
        {
            writer.WriteLine($"  step {progress.Value}/{progress.Max}");
            _lastPercent = percent;
        }
    }

    private void EndBar()
    {
        if (interactive && _lastPercent >= 0)
        {
            writer.WriteLine();
        }
        _lastPercent = -1;
    }
}
