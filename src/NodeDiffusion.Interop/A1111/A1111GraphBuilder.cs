using System.Globalization;
using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;

namespace NodeDiffusion.Interop.A1111;

/// <summary>
/// Builds the txt2img graph that A1111 parameters describe, as ComfyUI's frontend does on drop:
/// LoadCheckpoint → (CLIPSetLastLayer) → TextEncode ×2 → KSampler ← EmptyLatentImage, → VAEDecode → SaveImage.
/// </summary>
public static class A1111GraphBuilder
{
    public const string ParametersKey = "a1111.parameters";

    public static ComfyImportResult Build(A1111Parameters parameters, ComfyImportOptions options)
    {
        var issues = new List<InteropIssue>();
        var workflow = new Workflow { Name = "Imported A1111 parameters" };
        var settings = parameters.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase);

        var model = settings.GetValueOrDefault("Model") is { Length: > 0 } modelName ? WithExtension(modelName) : "model.safetensors";
        if (options.ModelNames?.Replace("checkpoints", model) is { } replacement)
        {
            issues.Add(new InteropIssue(InteropSeverity.Info, InteropCodes.ModelRenamed, $"The checkpoints model '{model}' was replaced by '{replacement}'.", "1", "CheckpointLoaderSimple", "ckpt_name"));
            model = replacement;
        }
        var (width, height) = ParseSize(settings.GetValueOrDefault("Size"), issues);
        var (sampler, scheduler) = A1111SamplerMap.Map(settings.GetValueOrDefault("Sampler") ?? "Euler", settings.GetValueOrDefault("Schedule type"), out var exact);
        if (!exact)
        {
            issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.SemanticChange,
                $"The A1111 sampler '{settings.GetValueOrDefault("Sampler")}' has no ComfyUI equivalent; euler is used.", "5", "KSampler", "sampler_name"));
        }

        var builder = new Builder(workflow, options);
        builder.Add("1", "CheckpointLoaderSimple", 0, new() { ["ckpt_name"] = model });
        var (tags, prompt) = ExtraNetworkTag.Extract(parameters.Prompt);
        var negativePrompt = ExtraNetworkTag.Extract(parameters.NegativePrompt).Prompt;
        var (modelLink, clip) = AddExtraNetworks(builder, tags, options, issues);
        if (settings.GetValueOrDefault("Clip skip") is { } clipSkip && int.TryParse(clipSkip, CultureInfo.InvariantCulture, out var skip) && skip > 1)
        {
            builder.Add("8", "CLIPSetLastLayer", 0, new() { ["stop_at_clip_layer"] = -skip }, new() { ["clip"] = clip });
            clip = new LinkRef("8", 0);
        }
        builder.Add("2", "CLIPTextEncode", 1, new() { ["text"] = prompt }, new() { ["clip"] = clip });
        builder.Add("3", "CLIPTextEncode", 1, new() { ["text"] = negativePrompt }, new() { ["clip"] = clip }, row: 1);
        builder.Add("4", "EmptyLatentImage", 1, new()
        {
            ["width"] = width,
            ["height"] = height,
            ["batch_size"] = ParseInt(settings.GetValueOrDefault("Batch size"), 1),
        }, row: 2);
        builder.Add("5", "KSampler", 2, new()
        {
            ["seed"] = ParseSeed(settings.GetValueOrDefault("Seed")),
            ["steps"] = ParseInt(settings.GetValueOrDefault("Steps"), 20),
            ["cfg"] = double.TryParse(settings.GetValueOrDefault("CFG scale"), CultureInfo.InvariantCulture, out var cfg) ? cfg : 7.0,
            ["sampler_name"] = sampler,
            ["scheduler"] = scheduler,
            ["denoise"] = 1.0,
        }, new()
        {
            ["model"] = modelLink,
            ["positive"] = new LinkRef("2", 0),
            ["negative"] = new LinkRef("3", 0),
            ["latent_image"] = new LinkRef("4", 0),
        });
        var samples = AddHiresPass(builder, settings, workflow.Nodes["5"], issues);
        builder.Add("6", "VAEDecode", 3, [], new() { ["samples"] = samples, ["vae"] = new LinkRef("1", 2) });
        builder.Add("7", "SaveImage", 4, new() { ["filename_prefix"] = "A1111" }, new() { ["images"] = new LinkRef("6", 0) });

        workflow.Extra[ParametersKey] = JsonSerializer.SerializeToElement(parameters.Settings.ToDictionary(s => s.Key, s => s.Value));
        var missing = builder.Missing(issues);
        return new ComfyImportResult(workflow, ComfyFormat.A1111Parameters, issues) { MissingTypes = missing };
    }

    /// <summary>
    /// A1111's hires fix as ComfyUI builds it: the first pass's latent upscaled (by a factor, or to "Hires resize"),
    /// then a second sampler with "Hires steps" and "Denoising strength". Pixel upscalers are approximated in latent space.
    /// </summary>
    private static LinkRef AddHiresPass(Builder builder, Dictionary<string, string> settings, WorkflowNode firstPass, List<InteropIssue> issues)
    {
        var scale = settings.GetValueOrDefault("Hires upscale");
        var resize = settings.GetValueOrDefault("Hires resize");
        if (scale is null && resize is null)
        {
            return new LinkRef("5", 0);
        }
        var upscaler = settings.GetValueOrDefault("Hires upscaler") ?? "Latent";
        var method = LatentMethod(upscaler);
        if (method is null)
        {
            method = "nearest-exact";
            issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.SemanticChange,
                $"The hires upscaler '{upscaler}' works on pixels; the latent is upscaled with {method} instead.", "20"));
        }
        var size = resize is null ? null : ParseSizeOrNull(resize);
        if (size is { } target)
        {
            builder.Add("20", "LatentUpscale", 3, new() { ["upscale_method"] = method, ["width"] = target.Width, ["height"] = target.Height, ["crop"] = "disabled" },
                new() { ["samples"] = new LinkRef("5", 0) }, row: 2);
        }
        else
        {
            var factor = double.TryParse(scale, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 8 ? f : 2.0;
            builder.Add("20", "LatentUpscaleBy", 3, new() { ["upscale_method"] = method, ["scale_by"] = factor }, new() { ["samples"] = new LinkRef("5", 0) }, row: 2);
        }
        var values = new Dictionary<string, object>();
        foreach (var (name, value) in firstPass.Inputs)
        {
            values[name] = value;
        }
        if (settings.GetValueOrDefault("Hires steps") is { } steps && int.TryParse(steps, CultureInfo.InvariantCulture, out var hiresSteps) && hiresSteps > 0)
        {
            values["steps"] = hiresSteps;
        }
        values["denoise"] = double.TryParse(settings.GetValueOrDefault("Denoising strength"), NumberStyles.Float, CultureInfo.InvariantCulture, out var denoise) ? denoise : 0.7;
        var links = firstPass.Links.ToDictionary(l => l.Key, l => l.Value);
        links["latent_image"] = new LinkRef("20", 0);
        builder.Add("21", "KSampler", 4, values, links, row: 2);
        return new LinkRef("21", 0);
    }

    private static string? LatentMethod(string upscaler) => upscaler.Trim() switch
    {
        "Latent" or "Latent (nearest)" or "Latent (nearest-exact)" => "nearest-exact",
        "Latent (bicubic)" or "Latent (bicubic antialiased)" => "bicubic",
        "Latent (antialiased)" => "bilinear",
        _ => null,
    };

    /// <summary>
    /// One LoadLora (model and clip) or LoadHypernetwork (model) per tag, chained after the checkpoint as ComfyUI's frontend
    /// does on import; the tags leave the prompt text.
    /// </summary>
    private static (LinkRef Model, LinkRef Clip) AddExtraNetworks(Builder builder, IReadOnlyList<ExtraNetworkTag> tags, ComfyImportOptions options, List<InteropIssue> issues)
    {
        var model = new LinkRef("1", 0);
        var clip = new LinkRef("1", 1);
        var id = 10;
        foreach (var tag in tags)
        {
            var nodeId = (id++).ToString(CultureInfo.InvariantCulture);
            var folder = tag.Kind == "lora" ? "loras" : "hypernetworks";
            var name = WithExtension(tag.Name, tag.Kind == "lora" ? ".safetensors" : ".pt");
            var file = options.ModelNames?.Replace(folder, name) ?? name;
            if (tag.Kind == "lora")
            {
                builder.Add(nodeId, "LoraLoader", 0, new() { ["lora_name"] = file, ["strength_model"] = tag.Weight, ["strength_clip"] = tag.Weight },
                    new() { ["model"] = model, ["clip"] = clip }, row: id - 9);
                model = new LinkRef(nodeId, 0);
                clip = new LinkRef(nodeId, 1);
            }
            else
            {
                builder.Add(nodeId, "HypernetworkLoader", 0, new() { ["hypernetwork_name"] = file, ["strength"] = tag.Weight },
                    new() { ["model"] = model }, row: id - 9);
                model = new LinkRef(nodeId, 0);
            }
            issues.Add(new InteropIssue(InteropSeverity.Info, InteropCodes.ExtraNetwork,
                $"The prompt's <{tag.Kind}:{tag.Name}:{tag.Weight.ToString(CultureInfo.InvariantCulture)}> became a loader node.", nodeId));
        }
        return (model, clip);
    }

    private sealed class Builder(Workflow workflow, ComfyImportOptions options)
    {
        private readonly List<(string Id, string Class, string Type)> _missing = [];

        public void Add(string id, string comfyClass, int column, Dictionary<string, object> values, Dictionary<string, LinkRef>? links = null, int row = 0)
        {
            var typeId = options.ClassMap.ToTypeId(comfyClass);
            var schema = options.Schemas.Find(typeId);
            var node = new WorkflowNode
            {
                Type = schema?.TypeId ?? typeId,
                Layout = new NodeLayout(Position: [50 + column * 350, 100 + row * 250]),
            };
            foreach (var (name, value) in values)
            {
                node.Inputs[name] = value as JsonElement? ?? JsonSerializer.SerializeToElement(value);
            }
            foreach (var (name, link) in links ?? [])
            {
                node.Links[name] = link;
            }
            if (schema is null)
            {
                _missing.Add((id, comfyClass, typeId));
            }
            workflow.Nodes[id] = node;
        }

        public IReadOnlyList<MissingNodeType> Missing(List<InteropIssue> issues)
        {
            var missing = _missing.GroupBy(m => (m.Class, m.Type))
                .Select(g => new MissingNodeType(g.Key.Class, g.Key.Type, [.. g.Select(m => m.Id)])).ToList();
            foreach (var type in missing)
            {
                issues.Insert(0, new InteropIssue(InteropSeverity.Warning, InteropCodes.MissingNodeType,
                    $"The node type {type.TypeId} is not installed; node{(type.NodeIds.Count == 1 ? "" : "s")} {string.Join(", ", type.NodeIds)} kept as placeholder{(type.NodeIds.Count == 1 ? "" : "s")}.",
                    ComfyClass: type.ComfyClass));
            }
            return missing;
        }
    }

    private static readonly string[] ModelExtensions = [".safetensors", ".ckpt", ".pt", ".bin"];

    /// <summary>A1111 writes the checkpoint's name without its extension.</summary>
    private static string WithExtension(string model, string extension = ".safetensors") =>
        ModelExtensions.Any(e => model.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ? model : model + extension;

    private static (int Width, int Height)? ParseSizeOrNull(string? size)
    {
        var parts = size?.Split('x', 'X');
        return parts is { Length: 2 } && int.TryParse(parts[0].Trim(), CultureInfo.InvariantCulture, out var w) && int.TryParse(parts[1].Trim(), CultureInfo.InvariantCulture, out var h)
            && w is > 0 and <= 16384 && h is > 0 and <= 16384 ? (w, h) : null;
    }

    private static (int Width, int Height) ParseSize(string? size, List<InteropIssue> issues)
    {
        if (ParseSizeOrNull(size) is { } parsed)
        {
            return parsed;
        }
        if (size is not null)
        {
            issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.SemanticChange, $"The size '{size}' is not WIDTHxHEIGHT; 512x512 is used.", "4", "EmptyLatentImage"));
        }
        return (512, 512);
    }

    private static int ParseInt(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>Seeds are u64 in ComfyUI; A1111 writes −1 only for "random", which has no fixed value.</summary>
    private static JsonElement ParseSeed(string? text) =>
        ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? JsonSerializer.SerializeToElement(seed)
            : JsonSerializer.SerializeToElement(0);
}
