using System.Text.Json;

namespace NodeDiffusion.Interop.Import;

/// <summary>Widget values that early ComfyUI versions spelled differently.</summary>
internal static class LegacyValues
{
    /// <summary>The first ComfyUI releases named samplers after k-diffusion's functions ("sample_dpmpp_2m").</summary>
    public static JsonElement Normalize(string input, JsonElement value) =>
        input == "sampler_name" && value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith("sample_", StringComparison.Ordinal)
            ? JsonSerializer.SerializeToElement(value.GetString()!["sample_".Length..])
            : value;
}
