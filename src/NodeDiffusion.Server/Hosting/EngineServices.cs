using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Server.Api;
using NodeDiffusion.Server.Files;
using NodeDiffusion.Server.Realtime;
using NodeDiffusion.Server.Realtime.Comfy;

namespace NodeDiffusion.Server.Hosting;

/// <summary>Registers the engine (host, queue, history, worker, events) and the server's own services.</summary>
public static class EngineServices
{
    public static IServiceCollection AddNodeDiffusionEngine(this IServiceCollection services)
    {
        services.AddSingleton(sp => ServerOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<ServerOptions>();
            var packs = sp.GetServices<NodePackAssembly>().Select(p => p.Assembly);
            return EngineHost.Create(EngineSettings.Under(options.BaseDirectory), packs, sp.GetRequiredService<ILoggerFactory>(), sp);
        });
        services.AddSingleton(sp => new PromptQueue(sp.GetRequiredService<EngineHost>().Settings.DataDirectory));
        services.AddSingleton(sp => new PromptHistory(sp.GetRequiredService<EngineHost>().Settings.DataDirectory));
        services.AddSingleton<EventFanOut>();
        services.AddSingleton(sp =>
        {
            var host = sp.GetRequiredService<EngineHost>();
            return new PromptWorker(sp.GetRequiredService<PromptQueue>(), sp.GetRequiredService<PromptHistory>(), host.Validator,
                host.Executor, sp.GetRequiredService<EventFanOut>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<PromptWorker>());
        });
        services.AddSingleton<PromptSubmission>();
        services.AddSingleton<ImageUploads>();
        services.AddSingleton<UserWorkflowStore>();
        services.AddSingleton<PreviewStore>();
        services.AddSingleton<HubClients>();
        services.AddHostedService<EventBridgeService>();
        services.AddSingleton<ComfySockets>();
        services.AddSingleton<ComfyEventBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<ComfyEventBridge>());
        services.AddHostedService<PromptWorkerService>();
        return services;
    }
}
