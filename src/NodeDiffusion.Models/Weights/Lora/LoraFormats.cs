using System.Globalization;
using System.Text.RegularExpressions;

namespace NodeDiffusion.Models.Weights.Lora;

/// <summary>
/// Finds the LoRA modules of a file in any of the layouts ComfyUI loads for SD1.x and maps each to a parameter of the
/// UNet or text encoder:
/// kohya / LyCORIS LoCon (<c>lora_unet_…</c>, <c>lora_te_…</c> with <c>.lora_down/.lora_up.weight</c>, optional <c>.alpha</c>;
/// conv downs [r, in, kh, kw] with ups [out, r, 1, 1]); LyCORIS LoHa (<c>.hada_w1_a/w1_b/w2_a/w2_b</c>);
/// diffusers/PEFT (<c>[unet.|text_encoder.]path.lora_A/lora_B.weight</c>, <c>.lora.down/up.weight</c>,
/// <c>.lora_linear_layer.down/up.weight</c>, attn-processor <c>attn1.processor.to_q_lora.down.weight</c>);
/// cloneofsimo safeloras (<c>unet:i:down</c>).
/// </summary>
public static partial class LoraFormats
{
    public const string Unet = "unet";
    public const string TextEncoder = "text_encoder";

    /// <summary>A module found in the file: its name there, how to find its target and how to read it.</summary>
    private sealed record Entry(string Module, Func<Targets, string?> Resolve, Func<string, LoraModule> Read);

    /// <summary>
    /// The modules of <paramref name="file"/> that patch a parameter of <paramref name="component"/>, and (for warnings)
    /// every module of the file that patches no parameter of any component in <paramref name="components"/>.
    /// </summary>
    public static (LoraNetwork Network, IReadOnlyList<string> Unmatched) Read(IWeightSource file, string component, IReadOnlyDictionary<string, IReadOnlyCollection<string>> components)
    {
        var parameters = new Targets(components);
        var modules = new List<LoraModule>();
        var unmatched = new List<string>();
        foreach (var entry in Entries(file, parameters))
        {
            var target = entry.Resolve(parameters);
            if (target is null)
            {
                unmatched.Add(entry.Module);
                continue;
            }
            if (ComponentOf(target) == component)
            {
                modules.Add(entry.Read(TargetName(target)));
            }
        }
        return (new LoraNetwork(file.Description, modules), unmatched.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The parameters of each component, by name and by kohya module name (path with '.'→'_', no ".weight").</summary>
    private sealed class Targets(IReadOnlyDictionary<string, IReadOnlyCollection<string>> components)
    {
        public Dictionary<string, HashSet<string>> Names { get; } =
            components.ToDictionary(c => c.Key, c => c.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        private readonly Dictionary<string, Dictionary<string, string>> _kohya =
            components.ToDictionary(c => c.Key, c => KohyaLora.ModuleNames("", c.Value), StringComparer.Ordinal);

        /// <summary>"component/parameter" for a candidate "component/parameter" or "component/kohya:name"; null when absent.</summary>
        public string? Find(string candidate)
        {
            var component = ComponentOf(candidate);
            var name = TargetName(candidate);
            if (name.StartsWith("kohya:", StringComparison.Ordinal))
            {
                return _kohya.TryGetValue(component, out var map) && map.TryGetValue("_" + name["kohya:".Length..], out var parameter) ? $"{component}/{parameter}" : null;
            }
            return Names.TryGetValue(component, out var set) && set.Contains(name) ? candidate : null;
        }
    }

    /// <summary>The modules of <paramref name="file"/> that patch no parameter of any component (nothing is read).</summary>
    public static IReadOnlyList<string> Unmatched(IWeightSource file, IReadOnlyDictionary<string, IReadOnlyCollection<string>> components) =>
        Read(file, "", components).Unmatched;

    /// <summary>Targets are "component/parameter" so a name can be looked up in the right component.</summary>
    private static string ComponentOf(string target) => target[..target.IndexOf('/', StringComparison.Ordinal)];

    private static string TargetName(string target) => target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static IEnumerable<Entry> Entries(IWeightSource file, Targets parameters)
    {
        var names = file.Names.Order(StringComparer.Ordinal).ToList();
        var any = false;
        foreach (var name in names)
        {
            if (Split(name) is not { } split)
            {
                continue;
            }
            any = true;
            var (module, kind) = split;
            if (kind is PairKind.Down or PairKind.LohaW1A)
            {
                yield return ForModule(file, module, kind, parameters);
            }
        }
        if (names.Any(n => CloneofsimoKey().IsMatch(n)))
        {
            any = true;
            foreach (var entry in Cloneofsimo(file, names, parameters))
            {
                yield return entry;
            }
        }
        if (!any)
        {
            throw new InvalidDataException($"{file.Description} holds no LoRA modules (none of *.lora_down.weight, *.lora_A.weight, *.lora.down.weight, *.hada_w1_a, unet:N:down)");
        }
    }

    private enum PairKind { Down, Up, LohaW1A, Other }

    private static readonly (string Down, string Up)[] Suffixes =
    [
        (".lora_down.weight", ".lora_up.weight"),
        (".lora_A.weight", ".lora_B.weight"),
        (".lora_A.default.weight", ".lora_B.default.weight"),
        (".lora.down.weight", ".lora.up.weight"),
        ("_lora.down.weight", "_lora.up.weight"),
        (".lora_linear_layer.down.weight", ".lora_linear_layer.up.weight"),
    ];

    private static (string Module, PairKind Kind)? Split(string name)
    {
        foreach (var (down, up) in Suffixes)
        {
            if (name.EndsWith(down, StringComparison.Ordinal))
            {
                return (name[..^down.Length] + "|" + down, PairKind.Down);
            }
            if (name.EndsWith(up, StringComparison.Ordinal))
            {
                return (name[..^up.Length] + "|" + down, PairKind.Up);
            }
        }
        return name.EndsWith(".hada_w1_a", StringComparison.Ordinal) ? (name[..^".hada_w1_a".Length] + "|hada", PairKind.LohaW1A) : null;
    }

    private static Entry ForModule(IWeightSource file, string key, PairKind kind, Targets parameters)
    {
        var separator = key.IndexOf('|', StringComparison.Ordinal);
        var module = key[..separator];
        var downSuffix = key[(separator + 1)..];
        var candidates = Candidates(module).ToList();
        string? Resolve(Targets p) => candidates.Select(p.Find).FirstOrDefault(t => t is not null);
        var alpha = Alpha(file, module);
        if (kind == PairKind.LohaW1A)
        {
            return new Entry(module, Resolve, target => Loha(file, module, target, alpha));
        }
        var upSuffix = Suffixes.First(s => s.Down == downSuffix).Up;
        return new Entry(module, Resolve, target =>
        {
            if (!file.Contains(module + upSuffix))
            {
                throw new WeightBindingException($"{file.Description}: LoRA module '{module}' has {downSuffix.TrimStart('.')} but no {upSuffix.TrimStart('.')}");
            }
            var down = file.Read(module + downSuffix);
            return new LoraModule(target, down, file.Read(module + upSuffix), alpha is { } a ? a / down.Shape[0] : 1f);
        });
    }

    private static float? Alpha(IWeightSource file, string module) =>
        file.Contains(module + ".alpha") ? file.Read(module + ".alpha").Values[0] : null;

    /// <summary>
    /// LoHa: ΔW = (w1a·w1b) ⊙ (w2a·w2b) · alpha/r. A Hadamard product of two rank-r products is the rank-r² product
    /// Σ_ij (w1a[:,i] ⊙ w2a[:,j]) (w1b[i,:] ⊙ w2b[j,:]), so it merges through the ordinary up·down path.
    /// </summary>
    private static LoraModule Loha(IWeightSource file, string module, string target, float? alpha)
    {
        WeightTensor Need(string part) => file.Contains(module + part)
            ? file.Read(module + part)
            : throw new WeightBindingException($"{file.Description}: LoHa module '{module}' lacks {part.TrimStart('.')}");
        var (w1a, w1b, w2a, w2b) = (Need(".hada_w1_a"), Need(".hada_w1_b"), Need(".hada_w2_a"), Need(".hada_w2_b"));
        var rank = (int)w1b.Shape[0];
        var rank2 = (int)w2b.Shape[0];
        var outFeatures = (int)w1a.Shape[0];
        var inFeatures = (int)(w1b.ElementCount / rank);
        if (w1a.Shape.Length != 2 || w1a.Shape[1] != rank || w2a.Shape.Length != 2 || w2a.Shape[1] != rank2 || w2a.Shape[0] != outFeatures || w2b.ElementCount / rank2 != inFeatures)
        {
            throw new WeightBindingException($"{file.Description}: LoHa module '{module}' has mismatched factors {w1a.ShapeText}, {w1b.ShapeText}, {w2a.ShapeText}, {w2b.ShapeText}");
        }
        var r = rank * rank2;
        var up = new float[outFeatures * r];
        var down = new float[r * inFeatures];
        for (var i = 0; i < rank; i++)
        {
            for (var j = 0; j < rank2; j++)
            {
                var k = (i * rank2) + j;
                for (var o = 0; o < outFeatures; o++)
                {
                    up[(o * r) + k] = w1a.Values[(o * rank) + i] * w2a.Values[(o * rank2) + j];
                }
                for (var c = 0; c < inFeatures; c++)
                {
                    down[(k * inFeatures) + c] = w1b.Values[(i * inFeatures) + c] * w2b.Values[(j * inFeatures) + c];
                }
            }
        }
        long[] downShape = w1b.Shape.Length > 2 ? [r, .. w1b.Shape[1..]] : [r, inFeatures];
        return new LoraModule(target, WeightTensor.FromValues(module + ".down", downShape, down),
            WeightTensor.FromValues(module + ".up", [outFeatures, r], up), alpha is { } a ? a / rank : 1f);
    }

    /// <summary>Possible "component/parameter" targets of a module name, most specific first.</summary>
    private static IEnumerable<string> Candidates(string module)
    {
        foreach (var (prefix, component) in new[] { ("lora_unet_", Unet), ("lycoris_", Unet), ("lora_te1_", TextEncoder), ("lora_te_", TextEncoder) })
        {
            if (module.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return $"{component}/kohya:{module[prefix.Length..]}";
                yield break;
            }
        }
        string? only = null;
        // PEFT save_pretrained wraps the model: base_model.model.<path>.
        var path = module.StartsWith("base_model.model.", StringComparison.Ordinal) ? module["base_model.model.".Length..] : module;
        foreach (var (prefix, component) in new[] { ("unet.", Unet), ("text_encoder.", TextEncoder), ("diffusion_model.", Unet) })
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                only = component;
                path = path[prefix.Length..];
                break;
            }
        }
        // diffusers attention processors: …attn1.processor.to_q_lora → …attn1.to_q; to_out → to_out.0.
        path = path.Replace(".processor.", ".", StringComparison.Ordinal);
        if (path.EndsWith("_lora", StringComparison.Ordinal))
        {
            path = path[..^"_lora".Length];
        }
        var paths = path.EndsWith(".to_out", StringComparison.Ordinal) ? new[] { path + ".0", path } : [path];
        foreach (var p in paths)
        {
            foreach (var component in only is null ? new[] { Unet, TextEncoder } : [only])
            {
                yield return $"{component}/{p}.weight";
            }
        }
    }

    [GeneratedRegex(@"^(unet|text_encoder):\d+:(up|down)$")]
    private static partial Regex CloneofsimoKey();

    private static IEnumerable<Entry> Cloneofsimo(IWeightSource file, List<string> names, Targets parameters)
    {
        foreach (var (component, order) in new[] { (Unet, CloneofsimoUnetOrder(parameters)), (TextEncoder, CloneofsimoTextOrder(parameters)) })
        {
            for (var i = 0; names.Contains($"{component}:{i}:down", StringComparer.Ordinal); i++)
            {
                var index = i;
                var target = index < order.Count ? $"{component}/{order[index]}" : null;
                yield return new Entry($"{component}:{index}", _ => target, t =>
                {
                    var up = $"{component}:{index}:up";
                    if (!file.Contains(up))
                    {
                        throw new WeightBindingException($"{file.Description}: '{component}:{index}:down' has no '{up}'");
                    }
                    return new LoraModule(t, file.Read($"{component}:{index}:down"), file.Read(up), 1f);
                });
            }
        }
    }

    /// <summary>
    /// The module order cloneofsimo/lora used (see <see cref="CloneofsimoLora.UnetModules"/>), derived from the parameter
    /// names: transformers of the down blocks, then the up blocks, then the mid block.
    /// </summary>
    private static List<string> CloneofsimoUnetOrder(Targets parameters)
    {
        if (!parameters.Names.TryGetValue(Unet, out var names))
        {
            return [];
        }
        var transformers = names
            .Where(n => n.EndsWith(".transformer_blocks.0.attn1.to_q.weight", StringComparison.Ordinal))
            .Select(n => n[..^".transformer_blocks.0.attn1.to_q.weight".Length])
            .Select(t => (Path: t, Key: TransformerKey(t)))
            .OrderBy(t => t.Key.Section).ThenBy(t => t.Key.Block).ThenBy(t => t.Key.Index)
            .Select(t => t.Path);
        string[] order = ["attn1.to_q", "attn1.to_k", "attn1.to_v", "attn1.to_out.0", "ff.net.0.proj", "attn2.to_q", "attn2.to_k", "attn2.to_v", "attn2.to_out.0"];
        return transformers.SelectMany(t => order.Select(o => $"{t}.transformer_blocks.0.{o}.weight")).ToList();
    }

    private static (int Section, long Block, long Index) TransformerKey(string path)
    {
        var parts = path.Split('.');
        long Number(int i) => long.Parse(parts[i], CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "down_blocks" => (0, Number(1), Number(3)),
            "up_blocks" => (1, Number(1), Number(3)),
            _ => (2, 0, 0),
        };
    }

    private static List<string> CloneofsimoTextOrder(Targets parameters)
    {
        if (!parameters.Names.TryGetValue(TextEncoder, out var names))
        {
            return [];
        }
        var layers = names.Count(n => n.StartsWith("text_model.encoder.layers.", StringComparison.Ordinal) && n.EndsWith(".self_attn.k_proj.weight", StringComparison.Ordinal));
        return Enumerable.Range(0, layers)
            .SelectMany(i => new[] { "k_proj", "v_proj", "q_proj", "out_proj" }.Select(p => $"text_model.encoder.layers.{i}.self_attn.{p}.weight"))
            .ToList();
    }
}
