using System.Text.Json.Nodes;

namespace NodeDiffusion.Server.Api;

/// <summary>JSON error responses: <c>{"error": {"type", "message", "details"}}</c>, never a stack trace.</summary>
public static class ApiErrors
{
    public static IResult BadRequest(string type, string message, string details = "") => Error(StatusCodes.Status400BadRequest, type, message, details);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "not_found", message);

    public static IResult TooLarge(string message) => Error(StatusCodes.Status413PayloadTooLarge, "too_large", message);

    public static IResult Error(int status, string type, string message, string details = "") =>
        Results.Json(Body(type, message, details), statusCode: status);

    public static JsonObject Body(string type, string message, string details = "") => new()
    {
        ["error"] = new JsonObject
        {
            ["type"] = type,
            ["message"] = message,
            ["details"] = details,
            ["extra_info"] = new JsonObject(),
        },
    };
}
