using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace NodeDiffusion.Server.Api;

/// <summary>Reads a JSON request body within a size bound, turning every problem into a JSON error result.</summary>
public static class RequestJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <param name="anyValue">Accept any JSON value as the body (POST /settings/{id}), not only an object.</param>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request, long limit, bool allowEmpty = false, bool anyValue = false)
    {
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(request.ContentLength.Value, limit));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(buffer.Length + read, limit));
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit + 1, limit));
        }
        if (buffer.Length == 0)
        {
            return allowEmpty
                ? (null, null)
                : (null, ApiErrors.BadRequest("invalid_json", $"The request body is empty; expected a JSON {(anyValue ? "value" : "object")}."));
        }
        try
        {
            var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object && !anyValue)
            {
                var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
                document.Dispose();
                return (null, ApiErrors.BadRequest("invalid_json", $"Expected a JSON object as the request body, but found {kind}."));
            }
            return (document, null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            return (null, ApiErrors.BadRequest("invalid_json", $"The request body is not valid JSON{where}."));
        }
    }

    private static IResult TooLarge(long size, long limit) =>
        ApiErrors.TooLarge($"The request body ({(size > limit ? "over " : "")}{Math.Min(size, limit + 1):N0} bytes) exceeds the limit of {limit:N0} bytes.");

    public static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static IReadOnlyList<string>? GetStrings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : null;

    public static bool IsTrue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
