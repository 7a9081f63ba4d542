using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodeDiffusion.Server.Hosting;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Infrastructure;

/// <summary>The real server on Kestrel at 127.0.0.1 with a free port, over a fresh base folder, plus the test node pack.</summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    public ServerHost(long? maxUploadBytes = null)
    {
        Directory = new TempDirectory("nd-server");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("base-dir", Directory.Path);
            builder.UseSetting("urls", "http://127.0.0.1:0");
            // The browser tests are written against the small image workflow, which runs in milliseconds.
            builder.UseSetting("default-workflow", "image-basics.json");
            if (maxUploadBytes is { } limit)
            {
                builder.UseSetting("max-upload-bytes", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            builder.ConfigureServices(services => services.AddSingleton(new NodePackAssembly(typeof(TestSlowSteps).Assembly)));
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TempDirectory Directory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public string PathOf(params string[] parts) => Directory.Combine(parts);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        Directory.Dispose();
    }
}
