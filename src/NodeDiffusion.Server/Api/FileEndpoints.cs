using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Server.Files;
using NodeDiffusion.Server.Hosting;

namespace NodeDiffusion.Server.Api;

/// <summary>GET /view and POST /upload/image: files confined to the input, output and temp folders.</summary>
public static class FileEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Only these are served as what they are; anything else (html, js, svg...) is an opaque download.</summary>
    private static readonly HashSet<string> SafeContentTypes =
        ["image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp", "application/json", "text/plain"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/view", View);
        routes.MapPost("/upload/image", UploadAsync).DisableAntiforgery();
    }

    private static IResult View(HttpContext context, EngineHost host)
    {
        var query = context.Request.Query;
        var file = new ViewFile(query["filename"].ToString(), query["subfolder"].ToString(), query["type"].ToString()).Normalized();
        if (!file.TryResolve(host.Settings.Roots, out var path, out var problem, out var pathRefused))
        {
            return ApiErrors.BadRequest(pathRefused ? "invalid_path" : "invalid_request", problem);
        }
        var relative = file.Relative;
        var type = file.Type;
        if (!File.Exists(path))
        {
            return ApiErrors.NotFound($"There is no file \"{relative}\" in the {(string.IsNullOrEmpty(type) ? "output" : type)} folder.");
        }
        if (!ContentTypes.TryGetContentType(path, out var contentType) || !SafeContentTypes.Contains(contentType))
        {
            contentType = "application/octet-stream";
        }
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-cache";
        // download=1: saved under its own name instead of shown (the gallery's Download).
        var download = query["download"].ToString() is "1" or "true";
        return Results.File(path, contentType, fileDownloadName: download ? Path.GetFileName(path) : null, enableRangeProcessing: true);
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ImageUploads uploads, ServerOptions options)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return ApiErrors.BadRequest("invalid_request", "Expected a multipart/form-data body with the file in the field \"image\".");
        }
        if (request.ContentLength > options.MaxUploadBytes + 64 * 1024)
        {
            return ApiErrors.TooLarge($"The upload is {request.ContentLength:N0} bytes; at most {options.MaxUploadBytes:N0} bytes are accepted.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = options.MaxUploadBytes + 64 * 1024;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxUploadBytes + 64 * 1024 }, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiErrors.TooLarge($"The upload exceeds {options.MaxUploadBytes:N0} bytes.");
        }
        catch (InvalidDataException e)
        {
            return e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? ApiErrors.TooLarge($"The upload exceeds {options.MaxUploadBytes:N0} bytes.")
                : ApiErrors.BadRequest("invalid_request", "The multipart body could not be read: " + e.Message);
        }
        var file = form.Files["image"];
        if (file is null)
        {
            return ApiErrors.BadRequest("invalid_request", "The form has no file in the field \"image\".");
        }
        if (file.Length > options.MaxUploadBytes)
        {
            return ApiErrors.TooLarge($"\"{file.FileName}\" is {file.Length:N0} bytes; at most {options.MaxUploadBytes:N0} bytes are accepted.");
        }
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, context.RequestAborted);
        }
        var overwrite = form["overwrite"].ToString() is "true" or "1";
        try
        {
            var stored = uploads.Store(file.FileName, bytes, form["type"].ToString(), form["subfolder"].ToString(), overwrite);
            return Results.Json(new JsonObject { ["name"] = stored.Name, ["subfolder"] = stored.Subfolder, ["type"] = stored.Type });
        }
        catch (UploadRefusedException e)
        {
            return ApiErrors.BadRequest("invalid_upload", e.Message);
        }
    }
}
