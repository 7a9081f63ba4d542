using System.Text.Json.Nodes;
using NodeDiffusion.Server.Files;
using NodeDiffusion.Server.Hosting;

namespace NodeDiffusion.Server.Api;

/// <summary>GET/POST /userdata/workflows/{name}: the user's saved workflows, as ComfyUI stores them.</summary>
public static class WorkflowEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/userdata/workflows", (UserWorkflowStore store) =>
            Results.Json(new JsonArray(store.List().Select(n => (JsonNode?)JsonValue.Create(n)).ToArray())));
        routes.MapGet("/userdata/workflows/{name}", (string name, UserWorkflowStore store) =>
        {
            try
            {
                return store.Load(name) is { } json
                    ? Results.Text(json, "application/json")
                    : ApiErrors.NotFound($"There is no saved workflow \"{name}\".");
            }
            catch (ArgumentException e)
            {
                return ApiErrors.BadRequest("invalid_path", e.Message);
            }
        });
        routes.MapPost("/userdata/workflows/{name}", async (string name, HttpRequest request, UserWorkflowStore store, ServerOptions options) =>
        {
            var (document, error) = await RequestJson.ReadAsync(request, options.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }
            using (document)
            {
                try
                {
                    store.Save(name, document!.RootElement.GetRawText());
                    return Results.Json(new JsonObject { ["name"] = name });
                }
                catch (ArgumentException e)
                {
                    return ApiErrors.BadRequest("invalid_path", e.Message);
                }
            }
        });
    }
}
