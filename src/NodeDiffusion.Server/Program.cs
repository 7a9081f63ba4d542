using Microsoft.AspNetCore.Server.Kestrel.Core;
using MudBlazor.Services;
using NodeDiffusion.Server.Api;
using NodeDiffusion.Server.Components;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Server.Hosting;
using NodeDiffusion.Server.Realtime;
using NodeDiffusion.Server.Settings;

var builder = WebApplication.CreateBuilder(args);

var urls = builder.Configuration["urls"];
if (string.IsNullOrWhiteSpace(urls) && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls(ServerOptions.DefaultUrl);
}
else if (LoopbackGuard.NonLoopback(urls) is { Count: > 0 } exposed && builder.Configuration["allow-remote"] != "true")
{
    Console.Error.WriteLine($"Refusing to listen on {string.Join(", ", exposed)}: this server has no authentication. " +
        "Use a loopback address (127.0.0.1, [::1], localhost), or pass --allow-remote true to expose it knowingly.");
    return 2;
}

if (SettingsServices.PreviewMethodProblem(builder.Configuration) is { } previewProblem)
{
    Console.Error.WriteLine(previewProblem);
    return 2;
}

var limits = ServerOptions.From(builder.Configuration);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxUploadBytes, limits.MaxJsonBytes) + (1 << 20));
builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);

builder.Services.AddNodeDiffusionEngine();
builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 64 * 1024)
    .AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
builder.Services.AddEditorServices();
builder.Services.AddUserSettings();

var app = builder.Build();

app.UseMiddleware<JsonErrorMiddleware>();
app.UseMiddleware<SameOriginMiddleware>();
app.UseAntiforgery();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
app.MapStaticAssets();
app.MapNodeDiffusionApi();
app.MapHub<ExecutionHub>("/hubs/execution");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;
