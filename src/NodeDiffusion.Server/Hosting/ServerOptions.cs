using Microsoft.Extensions.Configuration;

namespace NodeDiffusion.Server.Hosting;

/// <summary>Where the server keeps its files and how big requests may be. Read from configuration, e.g. <c>--base-dir</c>.</summary>
public sealed record ServerOptions(string BaseDirectory, long MaxUploadBytes, long MaxJsonBytes, bool AllowRemote)
{
    public const string DefaultUrl = "http://127.0.0.1:8188";
    public const long DefaultMaxUploadBytes = 100L * 1024 * 1024;
    public const long DefaultMaxJsonBytes = 32L * 1024 * 1024;

    public static ServerOptions From(IConfiguration configuration)
    {
        var baseDirectory = configuration["base-dir"] ?? configuration["NodeDiffusion:BaseDirectory"] ?? Directory.GetCurrentDirectory();
        return new ServerOptions(
            Path.GetFullPath(baseDirectory),
            ReadBytes(configuration, "max-upload-bytes", DefaultMaxUploadBytes),
            ReadBytes(configuration, "max-json-bytes", DefaultMaxJsonBytes),
            bool.TryParse(configuration["allow-remote"], out var allow) && allow);
    }

    private static long ReadBytes(IConfiguration configuration, string key, long fallback) =>
        long.TryParse(configuration[key] ?? configuration["NodeDiffusion:" + key], out var value) && value > 0 ? value : fallback;
}
