using NodeDiffusion.Engine.Events;
using NodeDiffusion.Server.Api;

namespace NodeDiffusion.Server.Realtime;

/// <summary>Translates engine events into hub messages (method name and payload). Previews are handled apart.</summary>
public static class EventMessages
{
    public static (string Method, object Payload)? From(ExecutionEvent e)
    {
        var time = e.Timestamp.ToUnixTimeMilliseconds();
        return e switch
        {
            ExecutionStarted s => (HubMethods.ExecutionStarted, new ExecutionStartedMessage(s.PromptId, s.NodeIds, time)),
            NodeStarted s => (HubMethods.NodeStarted, new NodeMessage(s.PromptId, s.NodeId, s.NodeType, time)),
            NodeCached c => (HubMethods.NodeCached, new NodeOutputMessage(c.PromptId, c.NodeId, c.NodeType, ComfyShapes.Ui(c.Ui), 0, time)),
            NodeProgress p => (HubMethods.Progress, new ProgressMessage(p.PromptId, p.NodeId, p.Value, p.Max)),
            NodeCompleted c => (HubMethods.NodeCompleted, new NodeOutputMessage(c.PromptId, c.NodeId, c.NodeType, ComfyShapes.Ui(c.Ui), c.Milliseconds, time)),
            NodeWarning w => (HubMethods.NodeWarning, new NodeWarningMessage(w.PromptId, w.NodeId, w.Message)),
            ExecutionCompleted c => (HubMethods.ExecutionSucceeded, new ExecutionSucceededMessage(c.PromptId, c.Result.Milliseconds, time)),
            ExecutionFailed f => (HubMethods.ExecutionFailed, new ExecutionFailedMessage(f.PromptId, f.Error.NodeId, f.Error.NodeType,
                f.Error.Message, f.Error.ExceptionType, f.Error.InputName, time)),
            ExecutionCancelled c => (HubMethods.ExecutionInterrupted, new ExecutionInterruptedMessage(c.PromptId, c.NodeId, time)),
            _ => null,
        };
    }
}
