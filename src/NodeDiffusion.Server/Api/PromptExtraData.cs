using System.Text.Json;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Server.Api;

/// <summary>
/// The parts of POST /prompt's <c>extra_data</c> that change how a prompt runs: <c>preview_method</c>, which ComfyUI's
/// executor applies for that prompt alone ("default" or absent: the server's --preview-method). Other keys are ignored.
/// </summary>
public static class PromptExtraData
{
    public static bool TryRead(JsonElement root, out PromptOptions? options, out IResult? error)
    {
        (options, error) = (null, null);
        if (!root.TryGetProperty("extra_data", out var extra) || extra.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (extra.ValueKind != JsonValueKind.Object)
        {
            error = ApiErrors.BadRequest("invalid_request", "\"extra_data\" must be an object.");
            return false;
        }
        if (!extra.TryGetProperty("preview_method", out var method) || method.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (method.ValueKind != JsonValueKind.String || !PreviewMethodNames.TryParse(method.GetString(), out var parsed))
        {
            error = ApiErrors.BadRequest("invalid_request",
                $"\"extra_data.preview_method\" must be one of {string.Join(", ", PreviewMethodNames.All)}; got {method.GetRawText()}.");
            return false;
        }
        options = parsed is { } chosen ? new PromptOptions(PreviewMethodNames.Name(chosen)) : null;
        return true;
    }
}
