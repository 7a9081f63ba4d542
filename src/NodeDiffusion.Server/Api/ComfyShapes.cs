using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Server.Api;

/// <summary>Writes queue items, history entries and validation errors in the JSON shapes of ComfyUI's API.</summary>
public static class ComfyShapes
{
    /// <summary>ComfyUI's queue item: [number, prompt_id, prompt, extra_data, outputs_to_execute].</summary>
    public static JsonArray QueueItem(QueuedPrompt prompt) =>
    [
        prompt.Number,
        prompt.PromptId,
        ParseOrNull(prompt.WorkflowJson),
        ExtraData(prompt),
        new JsonArray((prompt.Targets ?? []).Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
    ];

    private static JsonObject ExtraData(QueuedPrompt prompt)
    {
        var extra = new JsonObject { ["client_id"] = prompt.ClientId };
        if (prompt.Options?.PreviewMethod is { } previewMethod)
        {
            extra["preview_method"] = previewMethod;
        }
        return extra;
    }

    public static JsonObject HistoryEntry(HistoryEntry entry)
    {
        var outputs = new JsonObject();
        foreach (var node in entry.Nodes.Where(n => !n.Ui.IsEmpty))
        {
            outputs[node.NodeId] = Ui(node.Ui);
        }
        var messages = new JsonArray();
        foreach (var node in entry.Nodes)
        {
            messages.Add(new JsonArray(node.Status == NodeRunStatus.Cached ? "execution_cached" : "executed",
                new JsonObject { ["node"] = node.NodeId, ["node_type"] = node.NodeType, ["status"] = node.Status.ToString().ToLowerInvariant(), ["ms"] = Math.Round(node.Milliseconds, 1) }));
        }
        var status = new JsonObject
        {
            ["status_str"] = entry.Status,
            ["completed"] = entry.Status == HistoryStatus.Success,
            ["messages"] = messages,
        };
        if (entry.Error is { } error)
        {
            status["error"] = Error(error);
        }
        if (entry.ValidationErrors.Count > 0)
        {
            status["validation_errors"] = new JsonArray(entry.ValidationErrors.Select(e => (JsonNode?)FlatError(e)).ToArray());
        }
        return new JsonObject
        {
            ["prompt"] = QueueItem(entry.Prompt),
            ["outputs"] = outputs,
            ["status"] = status,
            ["meta"] = new JsonObject(entry.Nodes.Select(n => KeyValuePair.Create(n.NodeId, (JsonNode?)new JsonObject
            {
                ["node_id"] = n.NodeId,
                ["display_node"] = n.NodeId,
            }))),
            ["started_at"] = entry.StartedAt.ToUnixTimeMilliseconds(),
            ["completed_at"] = entry.CompletedAt.ToUnixTimeMilliseconds(),
        };
    }

    public static JsonObject Ui(UiOutput ui)
    {
        var result = new JsonObject();
        foreach (var (key, items) in ui.Items)
        {
            result[key] = new JsonArray(items.Select(i => (JsonNode?)UiItem(i)).ToArray());
        }
        return result;
    }

    public static JsonNode? UiItem(UiItem item) =>
        item.Text is { } text && item.Filename is null
            ? JsonValue.Create(text)
            : new JsonObject { ["filename"] = item.Filename, ["subfolder"] = item.Subfolder ?? "", ["type"] = item.Type ?? "output" };

    public static JsonObject Error(NodeError error) => new()
    {
        ["node_id"] = error.NodeId,
        ["node_type"] = error.NodeType,
        ["exception_message"] = error.Message,
        ["exception_type"] = error.ExceptionType,
        ["input_name"] = error.InputName,
    };

    /// <summary>The 400 body of an invalid prompt: a summary, ComfyUI's per-node errors, and our flat list with codes.</summary>
    public static JsonObject InvalidPrompt(IReadOnlyList<ValidationError> errors)
    {
        var nodeErrors = new JsonObject();
        foreach (var group in errors.Where(e => e.NodeId is not null).GroupBy(e => e.NodeId!))
        {
            nodeErrors[group.Key] = new JsonObject
            {
                ["errors"] = new JsonArray(group.Select(e => (JsonNode?)new JsonObject
                {
                    ["type"] = e.Code,
                    ["message"] = e.Message,
                    ["details"] = e.InputName is null ? "" : $"{e.InputName}: {e.Message}",
                    ["extra_info"] = new JsonObject { ["input_name"] = e.InputName },
                }).ToArray()),
                ["dependent_outputs"] = new JsonArray(),
                ["class_type"] = group.First().NodeType,
            };
        }
        var general = errors.FirstOrDefault(e => e.NodeId is null);
        var body = ApiErrors.Body(
            general?.Code ?? "prompt_outputs_failed_validation",
            general?.Message ?? $"The workflow has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}; nothing was queued.",
            string.Join("\n", errors.Select(e => e.ToString())));
        body["node_errors"] = nodeErrors;
        body["errors"] = new JsonArray(errors.Select(e => (JsonNode?)FlatError(e)).ToArray());
        return body;
    }

    public static JsonObject FlatError(ValidationError error) => new()
    {
        ["code"] = error.Code,
        ["message"] = error.Message,
        ["node_id"] = error.NodeId,
        ["node_type"] = error.NodeType,
        ["input_name"] = error.InputName,
    };

    private static JsonNode? ParseOrNull(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
