using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Interop.Mapping;

namespace NodeDiffusion.Server.Api;

/// <summary>GET /object_info, /models, /embeddings and /system_stats.</summary>
public static class InfoEndpoints
{
    /// <summary>ComfyUI's model folder names.</summary>
    public static readonly string[] ModelFolders =
        ["checkpoints", "loras", "embeddings", "hypernetworks", "controlnet", "ipadapter", "clip_vision", "vae", "vae_approx", "upscale_models"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/object_info", (EngineHost host) => Results.Json(ComfyObjectInfo.Write(host.Registry, host.ComboOptions, ComfyClassMap.Default)));
        routes.MapGet("/object_info/{type}", (string type, EngineHost host) =>
            ComfyObjectInfo.WriteOne(host.Registry, host.ComboOptions, ComfyClassMap.Default, type) is { } definition
                ? Results.Json(new JsonObject { [type] = definition })
                : ApiErrors.NotFound($"There is no node type \"{type}\"."));
        routes.MapGet("/models", () => Results.Json(new JsonArray(ModelFolders.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray())));
        routes.MapGet("/models/{folder}", (string folder, EngineHost host) =>
        {
            if (!ModelFolders.Contains(folder))
            {
                return ApiErrors.NotFound($"There is no model folder \"{folder}\"; known folders: {string.Join(", ", ModelFolders)}.");
            }
            var files = host.ComboOptions.GetOptions(StorageComboOptions.ModelsPrefix + folder) ?? [];
            return Results.Json(new JsonArray(files.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()));
        });
        routes.MapGet("/embeddings", (EngineHost host) =>
        {
            var files = host.ComboOptions.GetOptions(StorageComboOptions.ModelsPrefix + "embeddings") ?? [];
            return Results.Json(new JsonArray(files.Select(f => (JsonNode?)JsonValue.Create(Path.ChangeExtension(f, null))).ToArray()));
        });
        routes.MapGet("/system_stats", () =>
        {
            var memory = GC.GetGCMemoryInfo();
            return Results.Json(new JsonObject
            {
                ["system"] = new JsonObject
                {
                    ["os"] = RuntimeInformation.OSDescription,
                    ["ram_total"] = memory.TotalAvailableMemoryBytes,
                    ["ram_free"] = Math.Max(0, memory.TotalAvailableMemoryBytes - memory.MemoryLoadBytes),
                    ["nodediffusion_version"] = typeof(InfoEndpoints).Assembly.GetName().Version?.ToString(),
                    ["runtime_version"] = RuntimeInformation.FrameworkDescription,
                    ["processor_count"] = Environment.ProcessorCount,
                },
                ["devices"] = new JsonArray(new JsonObject { ["name"] = "cpu", ["type"] = "cpu", ["index"] = 0 }),
            });
        });
    }
}
