namespace NodeDiffusion.Server.Api;

/// <summary>
/// Refuses cross-site requests: a browser page from another origin must not be able to queue work or read files
/// from this unauthenticated server (ComfyUI's origin check, for the same reason).
/// </summary>
public sealed class SameOriginMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        // "null" is what sandboxed frames and local files send: never this server's own pages.
        if (origin.Length > 0
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
                || !string.Equals(originUri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return ApiErrors.Error(StatusCodes.Status403Forbidden, "cross_origin",
                $"Requests from the origin {origin} are refused; open the editor from this server instead.").ExecuteAsync(context);
        }
        return next(context);
    }
}
