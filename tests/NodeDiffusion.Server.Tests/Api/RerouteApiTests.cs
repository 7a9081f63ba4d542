using System.Net;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class RerouteApiTests : IAsyncDisposable
{
    private readonly ServerHost _server = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Object_info_leaves_the_frontend_only_reroute_out_as_ComfyUI_does()
    {
        var (status, all) = await _server.Client.GetJsonAsync("/object_info");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(all!.AsObject().ContainsKey("Reroute"));
        Assert.True(all.AsObject().ContainsKey("ImageBlend"));

        var (oneStatus, _) = await _server.Client.GetJsonAsync("/object_info/Reroute");
        Assert.Equal(HttpStatusCode.NotFound, oneStatus);
    }
}
