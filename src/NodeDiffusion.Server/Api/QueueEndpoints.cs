using System.Globalization;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Server.Hosting;

namespace NodeDiffusion.Server.Api;

/// <summary>GET/POST /queue and GET/POST /history.</summary>
public static class QueueEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue", (PromptQueue queue) => Results.Json(new JsonObject
        {
            ["queue_running"] = new JsonArray(queue.Running is { } running ? [ComfyShapes.QueueItem(running)] : []),
            ["queue_pending"] = new JsonArray(queue.Pending.Select(p => (JsonNode?)ComfyShapes.QueueItem(p)).ToArray()),
        }));
        routes.MapPost("/queue", async (HttpRequest request, PromptQueue queue, ServerOptions options) =>
        {
            var (document, error) = await RequestJson.ReadAsync(request, options.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }
            using (document)
            {
                var root = document!.RootElement;
                var delete = RequestJson.GetStrings(root, "delete");
                var clear = RequestJson.IsTrue(root, "clear");
                if (!clear && delete is null)
                {
                    return ApiErrors.BadRequest("invalid_request", "Send {\"clear\": true} and/or {\"delete\": [prompt ids]}.");
                }
                var removed = (clear ? queue.Clear() : 0) + (delete is null ? 0 : queue.Cancel(delete));
                return Results.Json(new JsonObject { ["removed"] = removed });
            }
        });
        routes.MapGet("/history", (HttpRequest request, PromptHistory history) =>
        {
            if (!TryReadInt(request, "max_items", int.MaxValue, out var max, out var problem)
                || !TryReadInt(request, "offset", 0, out var offset, out problem))
            {
                return problem!;
            }
            return Results.Json(new JsonObject(history.List(offset, max)
                .Select(e => KeyValuePair.Create(e.Prompt.PromptId, (JsonNode?)ComfyShapes.HistoryEntry(e)))));
        });
        routes.MapGet("/history/{promptId}", (string promptId, PromptHistory history) =>
            Results.Json(history.Find(promptId) is { } entry
                ? new JsonObject { [promptId] = ComfyShapes.HistoryEntry(entry) }
                : new JsonObject()));
        routes.MapPost("/history", async (HttpRequest request, PromptHistory history, ServerOptions options) =>
        {
            var (document, error) = await RequestJson.ReadAsync(request, options.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }
            using (document)
            {
                var root = document!.RootElement;
                var delete = RequestJson.GetStrings(root, "delete");
                var clear = RequestJson.IsTrue(root, "clear");
                if (!clear && delete is null)
                {
                    return ApiErrors.BadRequest("invalid_request", "Send {\"clear\": true} and/or {\"delete\": [prompt ids]}.");
                }
                if (clear)
                {
                    history.Clear();
                }
                if (delete is not null)
                {
                    history.Delete(delete);
                }
                return Results.Json(new JsonObject());
            }
        });
    }

    private static bool TryReadInt(HttpRequest request, string name, int fallback, out int value, out IResult? problem)
    {
        problem = null;
        value = fallback;
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= 0)
        {
            return true;
        }
        problem = ApiErrors.BadRequest("invalid_request", $"Query parameter '{name}' must be a whole number ≥ 0, but was \"{text}\".");
        return false;
    }
}
