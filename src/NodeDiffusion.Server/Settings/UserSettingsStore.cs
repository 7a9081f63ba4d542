using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Server.Settings;

/// <summary>
/// The user's settings as ComfyUI keeps them: one JSON object of setting id → any JSON value, in user/comfy.settings.json.
/// Ids this server does not know are kept as they came (ComfyUI clients store their own); the ones it acts on are checked.
/// The file is bounded, written atomically, and read once; every change raises <see cref="Changed"/>.
/// </summary>
public sealed class UserSettingsStore
{
    public const string FileName = "comfy.settings.json";
    public const int MaxBytes = 1 << 20;
    public const int MaxIdLength = 256;

    /// <summary>
    /// How settings JSON is read, from a request or the file: as leniently as request bodies are (comments, trailing
    /// commas), but a key given twice is refused, where materializing it would otherwise throw on a later read.
    /// </summary>
    public static readonly JsonDocumentOptions ReadOptions = new()
    {
        MaxDepth = 64, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false,
    };
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly ILogger<UserSettingsStore> _logger;
    private JsonObject? _settings;

    public UserSettingsStore(EngineHost host, ILogger<UserSettingsStore> logger)
    {
        _path = Path.Combine(host.Settings.Roots.UserData, FileName);
        _logger = logger;
    }

    /// <summary>Raised after every accepted change, on the thread that made it.</summary>
    public event Action? Changed;

    public string FilePath => _path;

    /// <summary>A copy of every setting.</summary>
    public JsonObject All()
    {
        lock (_lock)
        {
            return (JsonObject)Load().DeepClone();
        }
    }

    /// <summary>A copy of one setting's value; null when it is not set (as ComfyUI answers).</summary>
    public JsonNode? Get(string id)
    {
        lock (_lock)
        {
            return Load().TryGetPropertyValue(id, out var value) ? value?.DeepClone() : null;
        }
    }

    public EditorTheme Theme => EditorThemes.FromPalette(Get(SettingIds.ColorPalette) is JsonValue value && value.TryGetValue<string>(out var palette) ? palette : null);

    /// <summary>The preview method the user chose, or "default" for the server's own.</summary>
    public string PreviewMethod =>
        Get(SettingIds.PreviewMethod) is JsonValue value && value.TryGetValue<string>(out var name)
            && PreviewMethodNames.TryParse(name, out var method) && method is { } chosen
            ? PreviewMethodNames.Name(chosen)
            : PreviewMethodNames.Default;

    /// <summary>What the editor sends with a prompt: the user's preview method, as ComfyUI's frontend does in extra_data.</summary>
    public PromptOptions OptionsForPrompt() =>
        PreviewMethod is var method && method != PreviewMethodNames.Default ? new PromptOptions(method) : PromptOptions.None;

    /// <summary>Sets one setting (POST /settings/{id}); null on success, else why it was refused (nothing changes then).</summary>
    public SettingsRejection? Set(string id, JsonNode? value) => Merge(new JsonObject { [id] = value?.DeepClone() });

    /// <summary>Merges settings into the stored ones (POST /settings); all or nothing.</summary>
    public SettingsRejection? Merge(JsonObject values)
    {
        foreach (var (id, value) in values)
        {
            if (Check(id, value) is { } problem)
            {
                return problem;
            }
        }
        lock (_lock)
        {
            var merged = (JsonObject)Load().DeepClone();
            foreach (var (id, value) in values)
            {
                merged[id] = value?.DeepClone();
            }
            var json = merged.ToJsonString(WriteOptions);
            var size = Encoding.UTF8.GetByteCount(json);
            if (size > MaxBytes)
            {
                return SettingsRejection.TooLarge($"The settings would take {size:N0} bytes; at most {MaxBytes:N0} are kept.");
            }
            AtomicFile.WriteAllText(_path, json);
            _settings = merged;
        }
        Changed?.Invoke();
        return null;
    }

    private static SettingsRejection? Check(string id, JsonNode? value)
    {
        if (id.Length == 0 || id.Length > MaxIdLength || id.Any(char.IsControl))
        {
            return SettingsRejection.Invalid($"A setting id must be 1 to {MaxIdLength} printable characters, e.g. \"{SettingIds.ColorPalette}\".");
        }
        return id switch
        {
            SettingIds.ColorPalette when value is not JsonValue palette || !palette.TryGetValue<string>(out _) =>
                SettingsRejection.Invalid($"{SettingIds.ColorPalette} must be a palette id string such as \"dark\" or \"light\"."),
            SettingIds.PreviewMethod when value is not JsonValue method || !method.TryGetValue<string>(out var name) || !PreviewMethodNames.All.Contains(name) =>
                SettingsRejection.Invalid($"{SettingIds.PreviewMethod} must be one of {string.Join(", ", PreviewMethodNames.All.Select(n => $"\"{n}\""))}."),
            _ => null,
        };
    }

    private JsonObject Load()
    {
        if (_settings is not null)
        {
            return _settings;
        }
        _settings = [];
        var file = new FileInfo(_path);
        if (!file.Exists)
        {
            return _settings;
        }
        try
        {
            if (file.Length > MaxBytes)
            {
                throw new InvalidDataException($"it is larger than {MaxBytes:N0} bytes");
            }
            _settings = JsonNode.Parse(File.ReadAllText(_path), documentOptions: ReadOptions) as JsonObject
                ?? throw new InvalidDataException("it is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            // Keep the unreadable file for the user instead of overwriting it with the next change.
            var aside = _path + ".broken";
            _logger.LogWarning("The settings file {Path} could not be read ({Message}); starting from defaults and keeping it as {Aside}.", _path, e.Message, aside);
            File.Move(_path, aside, overwrite: true);
        }
        return _settings;
    }
}
