using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Tests.Infrastructure;
using NodeDiffusion.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;

namespace NodeDiffusion.Server.Tests.ComfyClient;

/// <summary>
/// A real third-party ComfyUI client, <c>@stable-canvas/comfyui-client</c> from npm (pinned in package-lock.json, installed
/// by test.sh with <c>npm ci</c>), drives the real server: it reads object_info, queues ComfyUI's default graph in API
/// format, follows progress over /ws and downloads the image through /view. Without Node.js or the package the test
/// fails saying so: it never passes without having run the client.
/// </summary>
public sealed class ComfyNpmClientTests : IAsyncLifetime
{
    private static readonly string ClientDirectory = Path.Combine(SharedData.RepositoryRoot, "tests", "NodeDiffusion.Server.Tests", "ComfyClient");

    private readonly ServerHost _server = new();
    private readonly TempDirectory _output = new("nd-npm-client");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _output.Dispose();
    }

    [Fact]
    public async Task The_stable_canvas_ComfyUI_client_generates_an_image_with_progress()
    {
        if (!File.Exists(Path.Combine(ClientDirectory, "node_modules", "@stable-canvas", "comfyui-client", "package.json")))
        {
            Assert.Fail($"The npm client is not installed: run `npm ci` in {ClientDirectory} (./test.sh does it; it needs Node.js ≥ 20 and npm with access to the npm registry).");
        }
        var (exitCode, stdout, stderr) = await RunNodeAsync("client.mjs", _server.BaseAddress.ToString(), _output.Path);
        Assert.True(exitCode == 0, $"node client.mjs exited with {exitCode}.\nstderr: {stderr}\nstdout: {stdout}");
        var report = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;

        Assert.True(report["connected"]!.GetValue<bool>());
        Assert.True(report["statusEvents"]!.GetValue<int>() >= 1);
        Assert.Equal(["CheckpointLoaderSimple", "CLIPTextEncode", "EmptyLatentImage", "KSampler", "VAEDecode", "SaveImage"],
            report["nodeDefs"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("nodediffusion-demo", report["checkpoints"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(report["samplers"]!.GetValue<int>() > 10);

        var sampler = report["progress"]!.AsArray().Where(p => p!["node"]!.GetValue<string>() == "3").ToList();
        Assert.Equal([1, 2, 3], sampler.Select(p => p!["value"]!.GetValue<int>()));
        Assert.All(sampler, p => Assert.Equal(3, p!["max"]!.GetValue<int>()));
        Assert.Contains("3", report["executing"]!.AsArray().Select(n => n?.GetValue<string>()));

        var image = Assert.Single(report["images"]!.AsArray())!;
        Assert.Equal("image/png", image["contentType"]!.GetValue<string>());
        Assert.Contains("/view?", image["url"]!.GetValue<string>());
        var path = image["path"]!.GetValue<string>();
        Assert.Equal(PngFormat.Instance, Image.DetectFormat(path));
        using var decoded = Image.Load(path);
        Assert.Equal(64, decoded.Width);
        Assert.Equal(64, decoded.Height);
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunNodeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ClientDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Node.js could not be started ({e.Message}): the third-party ComfyUI client test needs `node` (≥ 20) on PATH; ./test.sh installs it.");
            throw;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("node client.mjs did not finish in 5 minutes.");
            }
            return (process.ExitCode, await output, await error);
        }
    }
}
