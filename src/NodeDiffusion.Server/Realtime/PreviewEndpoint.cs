using NodeDiffusion.Server.Api;

namespace NodeDiffusion.Server.Realtime;

/// <summary>GET /api/preview/{promptId}: the latest preview image of a prompt as JPEG.</summary>
public static class PreviewEndpoint
{
    public static IResult Get(string promptId, PreviewStore store, HttpContext context)
    {
        if (store.Latest(promptId)?.Message is not { } preview)
        {
            return ApiErrors.NotFound($"There is no preview for prompt \"{promptId}\".");
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(preview.Image, preview.MimeType);
    }
}
