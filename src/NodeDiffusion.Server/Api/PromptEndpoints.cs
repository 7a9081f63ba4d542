using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Server.Hosting;

namespace NodeDiffusion.Server.Api;

/// <summary>POST/GET /prompt and POST /interrupt.</summary>
public static class PromptEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/prompt", SubmitAsync);
        routes.MapGet("/prompt", (PromptQueue queue) => Results.Json(new JsonObject
        {
            ["exec_info"] = new JsonObject { ["queue_remaining"] = queue.Remaining },
        }));
        routes.MapPost("/interrupt", InterruptAsync);
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, PromptSubmission submission, PromptQueue queue, PromptHistory history, ServerOptions options)
    {
        var (document, error) = await RequestJson.ReadAsync(request, options.MaxJsonBytes);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var root = document!.RootElement;
            var hasWorkflow = root.TryGetProperty("workflow", out var workflow);
            var hasComfyPrompt = root.TryGetProperty("prompt", out var comfyPrompt);
            if (!hasWorkflow && !hasComfyPrompt)
            {
                return ApiErrors.BadRequest("no_prompt", "The request has no \"workflow\" (native) or \"prompt\" (ComfyUI API format); send {\"workflow\": {...}, \"client_id\"?: string, \"front\"?: bool}.");
            }
            if (!hasWorkflow && comfyPrompt.ValueKind != JsonValueKind.Object)
            {
                return ApiErrors.BadRequest("invalid_prompt", "\"prompt\" must be a ComfyUI API-format object of nodes by id.");
            }
            if (root.TryGetProperty("client_id", out var clientId) && clientId.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return ApiErrors.BadRequest("invalid_request", "\"client_id\" must be a string.");
            }
            if (root.TryGetProperty("front", out var front) && front.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                return ApiErrors.BadRequest("invalid_request", "\"front\" must be true or false.");
            }
            Guid? promptId = null;
            if (RequestJson.GetString(root, "prompt_id") is { } requestedId)
            {
                if (!Guid.TryParse(requestedId, out var parsedId))
                {
                    return ApiErrors.BadRequest("invalid_request", "\"prompt_id\" must be a UUID.");
                }
                if (queue.Pending.Any(p => p.PromptId == parsedId.ToString()) || queue.Running?.PromptId == parsedId.ToString() || history.Find(parsedId.ToString()) is not null)
                {
                    return ApiErrors.BadRequest("invalid_request", $"A prompt with the id {parsedId} already exists.");
                }
                promptId = parsedId;
            }
            if (!PromptExtraData.TryRead(root, out var promptOptions, out var extraError))
            {
                return extraError!;
            }
            var targets = RequestJson.GetStrings(root, "partial_execution_targets");
            var result = hasWorkflow
                ? submission.Submit(workflow, RequestJson.GetString(root, "client_id"), RequestJson.IsTrue(root, "front"), targets, promptId, promptOptions)
                : submission.SubmitComfyPrompt(comfyPrompt, RequestJson.GetString(root, "client_id"), RequestJson.IsTrue(root, "front"), targets, promptId, promptOptions);
            if (!result.Accepted)
            {
                return Results.Json(ComfyShapes.InvalidPrompt(result.Errors), statusCode: StatusCodes.Status400BadRequest);
            }
            return Results.Json(new JsonObject
            {
                ["prompt_id"] = result.Prompt!.PromptId,
                ["number"] = result.Prompt.Number,
                ["node_errors"] = new JsonObject(),
            });
        }
    }

    private static async Task<IResult> InterruptAsync(HttpRequest request, PromptQueue queue, ServerOptions options)
    {
        var (document, error) = await RequestJson.ReadAsync(request, options.MaxJsonBytes, allowEmpty: true);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var promptId = document is null ? null : RequestJson.GetString(document.RootElement, "prompt_id");
            return Results.Json(new JsonObject { ["interrupted"] = queue.Interrupt(promptId) });
        }
    }
}
