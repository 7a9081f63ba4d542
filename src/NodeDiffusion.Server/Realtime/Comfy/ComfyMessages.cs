using System.Text;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Server.Api;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>ComfyUI's WebSocket text messages, <c>{"type", "data"}</c>, with the field names its clients read.</summary>
public static class ComfyMessages
{
    public static byte[] Status(int queueRemaining, string? sid = null)
    {
        var data = new JsonObject { ["status"] = new JsonObject { ["exec_info"] = new JsonObject { ["queue_remaining"] = queueRemaining } } };
        if (sid is not null)
        {
            data["sid"] = sid;
        }
        return Message("status", data);
    }

    public static byte[] FeatureFlags(long maxUploadBytes) =>
        Message("feature_flags", Features(maxUploadBytes));

    /// <summary>What this server supports, as ComfyUI's <c>GET /features</c> and its <c>feature_flags</c> reply.</summary>
    public static JsonObject Features(long maxUploadBytes) => new()
    {
        ["supports_preview_metadata"] = true,
        ["max_upload_size"] = maxUploadBytes,
    };

    public static byte[] ExecutionStart(string promptId, long timestamp) =>
        Message("execution_start", new JsonObject { ["prompt_id"] = promptId, ["timestamp"] = timestamp });

    public static byte[] ExecutionCached(string promptId, IEnumerable<string> nodes, long timestamp) =>
        Message("execution_cached", new JsonObject { ["nodes"] = Strings(nodes), ["prompt_id"] = promptId, ["timestamp"] = timestamp });

    /// <summary><c>executing</c>: a node starts; a null node means the prompt is finished (its history is written).</summary>
    public static byte[] Executing(string promptId, string? nodeId)
    {
        var data = new JsonObject { ["node"] = nodeId };
        if (nodeId is not null)
        {
            data["display_node"] = nodeId;
        }
        data["prompt_id"] = promptId;
        return Message("executing", data);
    }

    public static byte[] Progress(string promptId, string nodeId, int value, int max) =>
        Message("progress", new JsonObject { ["value"] = value, ["max"] = max, ["prompt_id"] = promptId, ["node"] = nodeId });

    /// <summary><c>progress_state</c>: every node of the prompt that has started, with its progress and state (running, finished, error).</summary>
    public static byte[] ProgressState(string promptId, IEnumerable<ComfyNodeState> nodes)
    {
        var states = new JsonObject();
        foreach (var node in nodes)
        {
            states[node.NodeId] = new JsonObject
            {
                ["value"] = node.Value,
                ["max"] = node.Max,
                ["state"] = node.State,
                ["node_id"] = node.NodeId,
                ["prompt_id"] = promptId,
                ["display_node_id"] = node.NodeId,
                ["parent_node_id"] = null,
                ["real_node_id"] = node.NodeId,
            };
        }
        return Message("progress_state", new JsonObject { ["prompt_id"] = promptId, ["nodes"] = states });
    }

    public static byte[] Executed(string promptId, string nodeId, UiOutput ui) =>
        Message("executed", new JsonObject { ["node"] = nodeId, ["display_node"] = nodeId, ["output"] = ComfyShapes.Ui(ui), ["prompt_id"] = promptId });

    public static byte[] ExecutionSuccess(string promptId, long timestamp) =>
        Message("execution_success", new JsonObject { ["prompt_id"] = promptId, ["timestamp"] = timestamp });

    /// <summary>ComfyUI's error fields. We never send a stack trace: the traceback is the user-facing message.</summary>
    public static byte[] ExecutionError(string promptId, NodeError error, IEnumerable<string> executed, long timestamp) =>
        Message("execution_error", new JsonObject
        {
            ["prompt_id"] = promptId,
            ["node_id"] = error.NodeId,
            ["node_type"] = error.NodeType,
            ["executed"] = Strings(executed),
            ["exception_message"] = error.Message,
            ["exception_type"] = error.ExceptionType,
            ["traceback"] = new JsonArray(JsonValue.Create(error.InputName is null ? error.Message : $"{error.InputName}: {error.Message}")),
            ["current_inputs"] = new JsonObject(),
            ["current_outputs"] = new JsonArray(),
            ["input_name"] = error.InputName,
            ["timestamp"] = timestamp,
        });

    public static byte[] ExecutionInterrupted(string promptId, string? nodeId, string? nodeType, IEnumerable<string> executed, long timestamp) =>
        Message("execution_interrupted", new JsonObject
        {
            ["prompt_id"] = promptId,
            ["node_id"] = nodeId,
            ["node_type"] = nodeType,
            ["executed"] = Strings(executed),
            ["timestamp"] = timestamp,
        });

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static byte[] Message(string type, JsonObject data) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["data"] = data }.ToJsonString());
}
