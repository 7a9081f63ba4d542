namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>One node's entry in ComfyUI's <c>progress_state</c> message.</summary>
public sealed record ComfyNodeState(string NodeId, int Value, int Max, string State)
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Error = "error";
}
