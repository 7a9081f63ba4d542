using NodeDiffusion.Engine.Queue;

namespace NodeDiffusion.Server.Hosting;

/// <summary>Runs the engine's prompt worker for the lifetime of the server.</summary>
public sealed class PromptWorkerService(PromptWorker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => worker.RunAsync(stoppingToken), CancellationToken.None);
}
