using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Settings;

namespace NodeDiffusion.Server.Api;

/// <summary>
/// ComfyUI's settings routes: GET /settings (every setting), GET /settings/{id} (its value, or null), POST /settings
/// (an object merged into the settings) and POST /settings/{id} (any JSON value). A POST answers 200 with no body, as ComfyUI does.
/// </summary>
public static class SettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/settings", (UserSettingsStore store) => Results.Text(store.All().ToJsonString(), "application/json"));
        routes.MapGet("/settings/{id}", (string id, UserSettingsStore store) => Results.Text(store.Get(id)?.ToJsonString() ?? "null", "application/json"));
        routes.MapPost("/settings", async (HttpRequest request, UserSettingsStore store) =>
        {
            var (document, error) = await RequestJson.ReadAsync(request, UserSettingsStore.MaxBytes);
            if (error is not null)
            {
                return error;
            }
            using (document)
            {
                return ReadValue(document!, out var values) ?? Answer(store.Merge(values!.AsObject()));
            }
        });
        routes.MapPost("/settings/{id}", async (string id, HttpRequest request, UserSettingsStore store) =>
        {
            var (document, error) = await RequestJson.ReadAsync(request, UserSettingsStore.MaxBytes, anyValue: true);
            if (error is not null)
            {
                return error;
            }
            using (document)
            {
                return ReadValue(document!, out var value) ?? Answer(store.Set(id, value));
            }
        });
    }

    /// <summary>The body as a node the store can keep; an error when the JSON names a key twice (which the store would refuse later, on every read).</summary>
    private static IResult? ReadValue(JsonDocument document, out JsonNode? value)
    {
        try
        {
            value = JsonNode.Parse(document.RootElement.GetRawText(), documentOptions: UserSettingsStore.ReadOptions);
            return null;
        }
        catch (JsonException e)
        {
            value = null;
            return ApiErrors.BadRequest("invalid_json", $"The settings are not valid JSON: {e.Message}");
        }
    }

    private static IResult Answer(SettingsRejection? rejection) =>
        rejection is null ? Results.Ok() : ApiErrors.Error(rejection.Status, rejection.Type, rejection.Message);
}
