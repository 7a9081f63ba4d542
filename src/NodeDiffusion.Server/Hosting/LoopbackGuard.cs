using System.Net;

namespace NodeDiffusion.Server.Hosting;

/// <summary>
/// The server has no authentication, so it refuses to listen beyond this machine unless told to with
/// <c>--allow-remote true</c> (ComfyUI's <c>--listen</c> exposes everything; users have been bitten by that).
/// </summary>
public static class LoopbackGuard
{
    /// <summary>The configured URLs that are not loopback; empty when all are safe.</summary>
    public static IReadOnlyList<string> NonLoopback(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return [];
        }
        return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(url => !IsLoopback(url))
            .ToList();
    }

    private static bool IsLoopback(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var host = rest.Split('/')[0];
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']')];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
