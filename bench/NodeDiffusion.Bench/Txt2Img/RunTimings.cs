using System.Diagnostics;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>
/// One txt2img run split by the engine's own events: node durations from the result, and the sampler loop from the
/// KSampler's start to its last step's progress event (stamped as the events arrive; the engine publishes them inline).
/// </summary>
internal sealed record RunTimings(
    double TextEncodeMs,
    double SamplerNodeMs,
    double SamplerLoopMs,
    double SteadyStepMs,
    double VaeDecodeMs,
    double TotalMs,
    int Steps,
    int Previews)
{
    public static RunTimings From(IReadOnlyList<StampedEvent> events, ExecutionResult result)
    {
        if (result.Status != ExecutionStatus.Success)
        {
            throw new InvalidOperationException($"The txt2img run did not succeed: {result.Error?.Message}");
        }
        double Node(string type) => result.Nodes.Where(n => n.NodeType == type).Sum(n => n.Milliseconds);
        var sampler = result.Nodes.Single(n => n.NodeType == "KSampler").NodeId;
        var start = events.Single(e => e.Event is NodeStarted s && s.NodeId == sampler).Ticks;
        var steps = events.Where(e => e.Event is NodeProgress p && p.NodeId == sampler).ToList();
        var first = steps[0].Ticks;
        var last = steps[^1].Ticks;
        return new RunTimings(
            Node("TextEncode"),
            Node("KSampler"),
            Milliseconds(last - start),
            steps.Count > 1 ? Milliseconds(last - first) / (steps.Count - 1) : double.NaN,
            Node("VAEDecode"),
            result.Milliseconds,
            steps.Count,
            events.Count(e => e.Event is NodePreview));
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>An engine event with the <see cref="Stopwatch"/> timestamp of its arrival.</summary>
internal readonly record struct StampedEvent(long Ticks, ExecutionEvent Event);
