using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Engine;

/// <summary>A prompt's own options (ComfyUI's extra_data) are part of the queued prompt, so a restart keeps them.</summary>
public sealed class PromptOptionsQueueTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void PendingPromptsKeepTheirOptionsAcrossARestart()
    {
        var queue = new PromptQueue(_data.Path);
        queue.Enqueue(new QueuedPrompt("quiet", 0, "{}", Options: new PromptOptions("none")));
        queue.Enqueue(new QueuedPrompt("plain", 0, "{}"));

        var restarted = new PromptQueue(_data.Path);
        Assert.Equal([new PromptOptions("none"), null], restarted.Pending.Select(p => p.Options));
    }
}
