using NodeDiffusion.Server.Realtime;
using NodeDiffusion.Server.Realtime.Comfy;

namespace NodeDiffusion.Server.Api;

/// <summary>Maps every API route twice, as ComfyUI does: at the root and under /api.</summary>
public static class ApiRoutes
{
    public static void MapNodeDiffusionApi(this WebApplication app)
    {
        foreach (var routes in new IEndpointRouteBuilder[] { app, app.MapGroup("/api") })
        {
            PromptEndpoints.Map(routes);
            QueueEndpoints.Map(routes);
            FileEndpoints.Map(routes);
            InfoEndpoints.Map(routes);
            WorkflowEndpoints.Map(routes);
            SettingsEndpoints.Map(routes);
            ComfyWsEndpoint.Map(routes);
        }
        app.MapGet("/api/preview/{promptId}", PreviewEndpoint.Get);
    }
}
