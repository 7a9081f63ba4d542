using System.Text.Json;

namespace NodeDiffusion.Server.Editor;

/// <summary>ComfyUI's "control after generate": what a seed widget does after each queued run.</summary>
public static class SeedControl
{
    public const string Fixed = "fixed";
    public const string Increment = "increment";
    public const string Decrement = "decrement";
    public const string Randomize = "randomize";

    public static readonly string[] All = [Fixed, Increment, Decrement, Randomize];

    public static JsonElement Apply(string control, JsonElement value, decimal? min, decimal? max)
    {
        var current = value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : 0m;
        var low = min ?? 0m;
        var high = max ?? ulong.MaxValue;
        var next = control switch
        {
            Increment => current + 1,
            Decrement => current - 1,
            Randomize => low + (decimal)(Random.Shared.NextDouble() * (double)Math.Min(high - low, 1_125_899_906_842_624m)),
            _ => current,
        };
        next = decimal.Truncate(Math.Clamp(next, low, high));
        return JsonSerializer.SerializeToElement(next);
    }
}
