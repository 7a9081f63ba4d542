using System.Text.Json;

namespace NodeDiffusion.Models.Architectures.Common;

/// <summary>Reads diffusers/transformers config.json values (snake_case keys), with defaults for absent or null keys.</summary>
public sealed class ConfigJson
{
    private readonly JsonElement _root;

    private ConfigJson(JsonElement root, string source)
    {
        _root = root;
        Source = source;
    }

    public string Source { get; }

    public static ConfigJson Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return new ConfigJson(doc.RootElement.Clone(), path);
    }

    public static ConfigJson Parse(string json, string source = "config.json")
    {
        using var doc = JsonDocument.Parse(json);
        return new ConfigJson(doc.RootElement.Clone(), source);
    }

    public bool Has(string key) => _root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public int Int(string key, int? fallback = null) => Get(key, fallback.HasValue, fallback.GetValueOrDefault(), e => e.GetInt32());

    public float Float(string key, float? fallback = null) => Get(key, fallback.HasValue, fallback.GetValueOrDefault(), e => e.GetSingle());

    public bool Bool(string key, bool? fallback = null) => Get(key, fallback.HasValue, fallback.GetValueOrDefault(), e => e.GetBoolean());

    public string String(string key, string? fallback = null) => Get(key, fallback is not null, fallback!, e => e.GetString()!);

    public int[] Ints(string key, int[]? fallback = null) => Get(key, fallback is not null, fallback!, e => e.EnumerateArray().Select(x => x.GetInt32()).ToArray());

    public string[] Strings(string key, string[]? fallback = null) => Get(key, fallback is not null, fallback!, e => e.EnumerateArray().Select(x => x.GetString()!).ToArray());

    /// <summary>An int, or an int per block (diffusers allows both for e.g. attention_head_dim).</summary>
    public int[] IntOrInts(string key, int count, int[]? fallback = null)
    {
        if (!Has(key))
        {
            return fallback ?? throw Missing(key);
        }
        var e = _root.GetProperty(key);
        return e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetInt32()).ToArray() : Enumerable.Repeat(e.GetInt32(), count).ToArray();
    }

    private T Get<T>(string key, bool hasFallback, T fallback, Func<JsonElement, T> read)
    {
        if (!Has(key))
        {
            return hasFallback ? fallback : throw Missing(key);
        }
        try
        {
            return read(_root.GetProperty(key));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{Source}: '{key}' has an unexpected value {_root.GetProperty(key).GetRawText()}", e);
        }
    }

    private InvalidDataException Missing(string key) => new($"{Source}: required key '{key}' is missing");
}
