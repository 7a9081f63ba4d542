using System.Globalization;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;

namespace NodeDiffusion.Models.Weights.Hypernetworks;

/// <summary>
/// Reads A1111 hypernetworks. A <c>.pt</c> is a torch zip pickle (read by the restricted unpickler, never executed):
/// <c>{320: (k_state_dict, v_state_dict), …, "activation_func": "relu", "is_layer_norm": False, …}</c>, flattened to
/// tensor names <c>320.0.linear.0.weight</c>. A <c>.safetensors</c> holds the same tensor names with the options as
/// header metadata strings. Layer construction follows ComfyUI's HypernetworkLoader (see <see cref="BuildMlp"/>).
/// </summary>
public static class HypernetworkFile
{
    public const string ActivationKey = "activation_func";
    public const string LayerNormKey = "is_layer_norm";
    public const string ActivateOutputKey = "activate_output";
    public const string UseDropoutKey = "use_dropout";
    public const string LastLayerDropoutKey = "last_layer_dropout";
    public const string LayerStructureKey = "layer_structure";

    private const int MaxLayers = 64;
    private const long MaxFeatures = 65_536;
    private const long MaxElements = 1L << 26;

    public static Hypernetwork Read(string path)
    {
        var name = Path.GetFileName(path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            using var file = SafetensorsFile.Open(path);
            var options = file.Metadata.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal);
            CheckSizes(name, file.Tensors.Select(t => (t.Name, t.Shape)));
            return Build(name, options, file.Names.ToList(), n => WeightTensor.FromValues(n, file.GetInfo(n).Shape, file.ReadFloat32(n)));
        }
        using var checkpoint = TorchCheckpoint.Open(path);
        CheckSizes(name, checkpoint.Tensors.Select(t => (t.Name, t.Shape)));
        return Build(name, checkpoint.Metadata, checkpoint.Tensors.Select(t => t.Name).ToList(),
            n => WeightTensor.FromValues(n, checkpoint.GetInfo(n).Shape, checkpoint.ReadFloat32(n)));
    }

    /// <summary>Refuses tensors too large for any hypernetwork before anything is read into memory.</summary>
    private static void CheckSizes(string source, IEnumerable<(string Name, long[] Shape)> tensors)
    {
        foreach (var (tensor, shape) in tensors)
        {
            var elements = shape.Aggregate(1L, (a, b) => b < 0 || a > MaxElements ? long.MaxValue : a * b);
            if (elements > MaxElements)
            {
                throw new InvalidDataException($"{source}: tensor {tensor} [{string.Join(", ", shape)}] is larger than a hypernetwork layer can be ({MaxElements} values)");
            }
        }
    }

    /// <summary>Builds the modules from flattened tensor names <c>DIM.{0|1}.LAYER.{weight|bias}</c> and the options.</summary>
    public static Hypernetwork Build(string source, IReadOnlyDictionary<string, object> options, IReadOnlyList<string> names, Func<string, WeightTensor> read)
    {
        var activationName = options.TryGetValue(ActivationKey, out var a) && a is string s && s.Length > 0 ? s : "linear";
        if (!HypernetworkActivations.ByName.TryGetValue(activationName, out var activation))
        {
            throw new InvalidDataException($"{source}: unsupported activation_func \"{activationName}\" (supported: {string.Join(", ", HypernetworkActivations.ByName.Keys)})");
        }
        var layerNorm = Flag(options, LayerNormKey);
        var activateOutput = Flag(options, ActivateOutputKey);

        var dims = names
            .Select(n => n.Split('.')[0])
            .Where(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Distinct(StringComparer.Ordinal)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        if (dims.Count == 0)
        {
            throw new InvalidDataException($"{source}: no hypernetwork modules (expected tensors named like 768.0.linear.0.weight)");
        }
        var modules = new List<HypernetworkModule>();
        foreach (var dim in dims)
        {
            if (dim <= 0 || dim > MaxFeatures)
            {
                throw new InvalidDataException($"{source}: module width {dim} is out of range");
            }
            var key = BuildMlp(source, $"{dim}.0", dim, names, read, activation, layerNorm, activateOutput);
            var value = BuildMlp(source, $"{dim}.1", dim, names, read, activation, layerNorm, activateOutput);
            modules.Add(new HypernetworkModule(dim, key, value));
        }
        return new Hypernetwork(source, activation, modules);
    }

    /// <summary>
    /// ComfyUI's construction: the entries ending in ".weight" in layer order are Linear layers, each (when
    /// is_layer_norm) followed by a LayerNorm entry. A Linear is followed by the activation unless the activation is
    /// linear or it is the last entry and activate_output is off. Because "last" counts LayerNorm entries, with
    /// is_layer_norm the final Linear is activated too — ComfyUI does this, and so do we.
    /// </summary>
    private static HypernetworkMlp BuildMlp(string source, string prefix, long dim, IReadOnlyList<string> names, Func<string, WeightTensor> read,
        HypernetworkActivation activation, bool layerNorm, bool activateOutput)
    {
        var layerNames = names
            .Where(n => n.StartsWith(prefix + ".", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal))
            .Select(n => n[(prefix.Length + 1)..^".weight".Length])
            .OrderBy(LayerIndex)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
        if (layerNames.Count == 0)
        {
            throw new InvalidDataException($"{source}: module {dim} has no {(prefix.EndsWith(".0", StringComparison.Ordinal) ? "key" : "value")} layers ({prefix}.*.weight)");
        }
        if (layerNames.Count > MaxLayers)
        {
            throw new InvalidDataException($"{source}: module {prefix} has {layerNames.Count} layers (at most {MaxLayers})");
        }
        var layers = new List<HypernetworkLayer>();
        var features = dim;
        for (var i = 0; i < layerNames.Count; i++)
        {
            var weight = Tensor(source, prefix, layerNames[i], "weight", read, names);
            var bias = Tensor(source, prefix, layerNames[i], "bias", read, names);
            if (weight.Shape.Length != 2 || weight.Shape[1] != features || bias.Shape.Length != 1 || bias.Shape[0] != weight.Shape[0] || weight.Shape[0] > MaxFeatures)
            {
                throw new InvalidDataException($"{source}: {prefix}.{layerNames[i]} is weight {weight.ShapeText}, bias {bias.ShapeText}; expected a Linear taking {features} features");
            }
            features = weight.Shape[0];
            var activated = activation != HypernetworkActivation.Linear && (i != layerNames.Count - 1 || activateOutput);
            WeightTensor? normWeight = null, normBias = null;
            if (layerNorm)
            {
                if (++i >= layerNames.Count)
                {
                    throw new InvalidDataException($"{source}: {prefix} has is_layer_norm set but no LayerNorm after its last Linear");
                }
                normWeight = Tensor(source, prefix, layerNames[i], "weight", read, names);
                normBias = Tensor(source, prefix, layerNames[i], "bias", read, names);
                if (normWeight.Shape is not [var n] || n != features || normBias.Shape is not [var m] || m != features)
                {
                    throw new InvalidDataException($"{source}: {prefix}.{layerNames[i]} is not a LayerNorm over {features} features");
                }
            }
            layers.Add(new HypernetworkLayer(weight, bias, activated, normWeight, normBias));
        }
        if (features != dim)
        {
            throw new InvalidDataException($"{source}: module {prefix} ends with {features} features; it must return {dim}");
        }
        return new HypernetworkMlp(layers);
    }

    private static WeightTensor Tensor(string source, string prefix, string layer, string part, Func<string, WeightTensor> read, IReadOnlyList<string> names)
    {
        var name = $"{prefix}.{layer}.{part}";
        return names.Contains(name, StringComparer.Ordinal) ? read(name) : throw new InvalidDataException($"{source}: missing tensor {name}");
    }

    /// <summary>The last numeric part of a layer name (<c>linear.2</c> → 2), so layers sort in Sequential order.</summary>
    private static long LayerIndex(string layer) =>
        long.TryParse(layer.Split('.')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : long.MaxValue;

    private static bool Flag(IReadOnlyDictionary<string, object> options, string key) =>
        options.TryGetValue(key, out var value) && value switch
        {
            bool b => b,
            long l => l != 0,
            string s => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1",
            _ => false,
        };
}
