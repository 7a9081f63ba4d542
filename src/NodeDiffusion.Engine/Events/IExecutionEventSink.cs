namespace NodeDiffusion.Engine.Events;

/// <summary>Receives execution events. Implementations must return quickly; slow consumers buffer latest-wins themselves.</summary>
public interface IExecutionEventSink
{
    void Publish(ExecutionEvent executionEvent);
}

/// <summary>Fans events out to several sinks; a failing sink does not stop the others or the run.</summary>
public sealed class EventFanOut : IExecutionEventSink
{
    private readonly List<IExecutionEventSink> _sinks = [];
    private readonly Lock _lock = new();

    public IDisposable Subscribe(IExecutionEventSink sink)
    {
        lock (_lock)
        {
            _sinks.Add(sink);
        }
        return new Subscription(() =>
        {
            lock (_lock)
            {
                _sinks.Remove(sink);
            }
        });
    }

    public IDisposable Subscribe(Action<ExecutionEvent> handler) => Subscribe(new DelegateSink(handler));

    public void Publish(ExecutionEvent executionEvent)
    {
        IExecutionEventSink[] sinks;
        lock (_lock)
        {
            sinks = [.. _sinks];
        }
        foreach (var sink in sinks)
        {
            try
            {
                sink.Publish(executionEvent);
            }
            catch (Exception)
            {
                // A broken subscriber must never break a run.
            }
        }
    }

    private sealed class DelegateSink(Action<ExecutionEvent> handler) : IExecutionEventSink
    {
        public void Publish(ExecutionEvent executionEvent) => handler(executionEvent);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
