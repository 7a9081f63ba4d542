namespace NodeDiffusion.Server.Api;

/// <summary>Turns any exception that escapes a request into a JSON error, logged in full but never sent as a stack trace.</summary>
public sealed class JsonErrorMiddleware(RequestDelegate next, ILogger<JsonErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (context.Response is { StatusCode: StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed, HasStarted: false, ContentType: null })
            {
                var notFound = context.Response.StatusCode == StatusCodes.Status404NotFound;
                await ApiErrors.Error(context.Response.StatusCode, notFound ? "not_found" : "method_not_allowed",
                    notFound ? $"There is no route {context.Request.Path}." : $"{context.Request.Method} is not allowed on {context.Request.Path}.")
                    .ExecuteAsync(context);
            }
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ApiErrors.Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "too_large" : "invalid_request", e.Message)
                .ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await ApiErrors.Error(StatusCodes.Status500InternalServerError, "internal_error",
                "The server failed to handle this request; the details are in the server log.").ExecuteAsync(context);
        }
    }
}
