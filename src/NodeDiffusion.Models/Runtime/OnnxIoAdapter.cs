using System.Globalization;
using Onnx;

namespace NodeDiffusion.Models.Runtime;

/// <summary>
/// Makes a pre-exported model (diffusers script, Optimum, Olive) speak our I/O contract by editing its graph at the
/// edges: inputs bound by name with Cast/Round/Gather in front (int64 or scalar timesteps, int32 ids, fp16 I/O), outputs
/// renamed or cast behind (Optimum's <c>latent_parameters</c> sliced to <c>latent_mean</c>, hidden states through the
/// final LayerNorm for CLIP skip). Weights are untouched, so external weight files stay where they are.
/// </summary>
public static class OnnxIoAdapter
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Int64 = (int)TensorProto.Types.DataType.Int64;
    private const string Suffix = "__exported";

    /// <summary>Adapts <paramref name="model"/> in place; returns false when it already matches (nothing changed).</summary>
    /// <param name="latentChannels">Latent channels, to split Optimum's <c>latent_parameters</c>.</param>
    /// <param name="textLayers">Text encoder layers, to map <c>hidden_states.N</c> to <c>clip_skip_k</c>.</param>
    public static bool Adapt(ModelProto model, OnnxComponent component, string source, int latentChannels = 4, int textLayers = 12)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var modelInputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var expected = component switch
        {
            OnnxComponent.TextEncoder => new[] { ("input_ids", Int64) },
            OnnxComponent.Unet => [("sample", Float), ("timestep", Float), ("encoder_hidden_states", Float)],
            OnnxComponent.VaeDecoder => [("latent_sample", Float)],
            _ => [("sample", Float)],
        };
        var unknown = modelInputs.Select(i => i.Name).Except(expected.Select(e => e.Item1)).ToList();
        var missing = expected.Select(e => e.Item1).Except(modelInputs.Select(i => i.Name)).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{source}: its inputs [{string.Join(", ", modelInputs.Select(i => i.Name))}] are not those of an SD1.x {component} " +
                $"(expected [{string.Join(", ", expected.Select(e => e.Item1))}]{(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "")}).");
        }
        var changed = false;
        var prologue = new List<NodeProto>();
        foreach (var (name, ourType) in expected)
        {
            var input = modelInputs.Single(i => i.Name == name);
            var type = input.Type.TensorType.ElemType;
            var rank = input.Type.TensorType.Shape?.Dim.Count ?? -1;
            var scalarTimestep = component == OnnxComponent.Unet && name == "timestep" && rank == 0;
            var singleTimestep = component == OnnxComponent.Unet && name == "timestep" && rank == 1 && input.Type.TensorType.Shape!.Dim[0].DimValue == 1;
            if (type == ourType && !scalarTimestep && !singleTimestep)
            {
                continue;
            }
            changed = true;
            var inner = name + Suffix;
            Rename(graph, name, inner, outputsToo: false);
            var current = name;
            if (scalarTimestep)
            {
                var index = Constant(graph, name + "/index", Int64, [], 0);
                prologue.Add(Node("Gather", [current, index], name + "/scalar"));
                current = name + "/scalar";
            }
            if (singleTimestep)
            {
                // Olive-style [1] timesteps: the sampler passes one value per batch item, all equal.
                var zero = Constant(graph, name + "/start", Int64, [1], 0);
                var one = Constant(graph, name + "/end", Int64, [1], 1);
                prologue.Add(Node("Slice", [current, zero, one, zero], name + "/first"));
                current = name + "/first";
            }
            if (type != ourType)
            {
                if (ourType == Float && type is (int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32)
                {
                    // Samplers give fractional timesteps; an integer UNet gets the nearest one, as diffusers rounds.
                    prologue.Add(Node("Round", [current], current + "/round"));
                    current += "/round";
                }
                prologue.Add(Cast(current, name + "/cast", type));
                current = name + "/cast";
            }
            prologue.Add(Node("Identity", [current], inner));
            graph.Input.Remove(input);
            graph.Input.Add(ValueInfo(name, ourType, scalarTimestep ? 1 : rank));
        }
        for (var i = prologue.Count - 1; i >= 0; i--)
        {
            graph.Node.Insert(0, prologue[i]);
        }

        var outputs = component switch
        {
            OnnxComponent.TextEncoder => new List<(string Ours, string[] Theirs)> { ("last_hidden_state", ["last_hidden_state"]), ("pooler_output", ["pooler_output"]) },
            OnnxComponent.Unet => [("out_sample", ["out_sample", "noise_pred", "sample"])],
            OnnxComponent.VaeDecoder => [("sample", ["sample"])],
            _ => [],
        };
        foreach (var (ours, theirs) in outputs)
        {
            var output = graph.Output.FirstOrDefault(o => theirs.Contains(o.Name));
            if (output is null)
            {
                if (ours == "pooler_output")
                {
                    continue;
                }
                throw new InvalidDataException($"{source}: it has no output {string.Join(" or ", theirs)} (outputs: {string.Join(", ", graph.Output.Select(o => o.Name))}).");
            }
            changed |= MapOutput(graph, output, ours);
        }
        if (component == OnnxComponent.VaeEncoder)
        {
            changed = true;
            MapEncoderOutput(graph, source, latentChannels);
        }
        if (component == OnnxComponent.TextEncoder)
        {
            changed |= AddClipSkips(graph, textLayers);
        }
        return changed;
    }

    /// <summary>Optimum's <c>latent_parameters</c> (mean ‖ logvar) gives the mean; the diffusers script's random <c>latent_sample</c> is taken as it is.</summary>
    private static void MapEncoderOutput(GraphProto graph, string source, int latentChannels)
    {
        var parameters = graph.Output.FirstOrDefault(o => o.Name == "latent_parameters");
        if (parameters is not null)
        {
            // A value of that name that is no graph output (left over by the exporter) must not clash with ours.
            Rename(graph, "latent_mean", "latent_mean" + Suffix, outputsToo: true);
            var starts = Constant(graph, "latent_mean/starts", Int64, [1], 0);
            var ends = Constant(graph, "latent_mean/ends", Int64, [1], latentChannels);
            var axes = Constant(graph, "latent_mean/axes", Int64, [1], 1);
            var source32 = ToFloat(graph, parameters);
            graph.Node.Add(Node("Slice", [source32, starts, ends, axes], "latent_mean"));
            graph.Output.Remove(parameters);
            graph.Output.Add(ValueInfo("latent_mean", Float, 4));
            return;
        }
        var sample = graph.Output.FirstOrDefault(o => o.Name is "latent_sample" or "latent_mean")
            ?? throw new InvalidDataException($"{source}: a VAE encoder needs an output latent_parameters or latent_sample (outputs: {string.Join(", ", graph.Output.Select(o => o.Name))}).");
        MapOutput(graph, sample, "latent_mean");
    }

    private static bool MapOutput(GraphProto graph, ValueInfoProto output, string ours)
    {
        if (output.Name == ours && output.Type.TensorType.ElemType == Float)
        {
            return false;
        }
        var rank = output.Type.TensorType.Shape?.Dim.Count ?? -1;
        var value = ToFloat(graph, output);
        if (value != ours)
        {
            graph.Node.Add(Node("Identity", [value], ours));
        }
        graph.Output.Remove(output);
        graph.Output.Add(ValueInfo(ours, Float, rank));
        return true;
    }

    /// <summary>The name of the output's value as float: itself, or a Cast of it (renamed first when its name is taken).</summary>
    private static string ToFloat(GraphProto graph, ValueInfoProto output)
    {
        var name = output.Name;
        var inner = name + Suffix;
        Rename(graph, name, inner, outputsToo: true);
        if (output.Type.TensorType.ElemType == Float)
        {
            return inner;
        }
        graph.Node.Add(Cast(inner, inner + "/float", Float));
        return inner + "/float";
    }

    /// <summary>clip_skip_k = final LayerNorm(hidden_states[L-k]) when the export has hidden states and a fused final LayerNorm.</summary>
    private static bool AddClipSkips(GraphProto graph, int layers)
    {
        var hidden = graph.Output.Select(o => o.Name).Where(n => n.StartsWith("hidden_states", StringComparison.Ordinal)).ToList();
        var norm = FinalLayerNorm(graph);
        if (hidden.Count == 0 || norm is null)
        {
            return false;
        }
        var added = false;
        for (var skip = 1; skip < layers; skip++)
        {
            var index = (layers - skip).ToString(CultureInfo.InvariantCulture);
            var state = hidden.FirstOrDefault(n => n == "hidden_states." + index || n == "hidden_states_" + index);
            if (state is null)
            {
                continue;
            }
            var output = graph.Output.Single(o => o.Name == state);
            var value = ToFloat(graph, output);
            graph.Node.Add(Node("Identity", [value], state));
            var clone = norm.Clone();
            clone.Name = $"clip_skip_{skip}/norm";
            clone.Input[0] = value;
            clone.Output.Clear();
            clone.Output.Add($"clip_skip_{skip}");
            graph.Node.Add(clone);
            graph.Output.Add(ValueInfo($"clip_skip_{skip}", Float, 3));
            added = true;
        }
        return added;
    }

    private static NodeProto? FinalLayerNorm(GraphProto graph)
    {
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }
        }
        var name = graph.Output.FirstOrDefault(o => o.Name == "last_hidden_state")?.Name;
        for (var hops = 0; name is not null && producers.TryGetValue(name, out var node) && hops < 8; hops++)
        {
            if (node.OpType == "LayerNormalization")
            {
                return node;
            }
            name = node.OpType is "Identity" or "Cast" ? node.Input[0] : null;
        }
        return null;
    }

    private static void Rename(GraphProto graph, string from, string to, bool outputsToo)
    {
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }
            for (var i = 0; outputsToo && i < node.Output.Count; i++)
            {
                if (node.Output[i] == from)
                {
                    node.Output[i] = to;
                }
            }
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is { } sub)
                {
                    Rename(sub, from, to, outputsToo);
                }
                foreach (var g in attribute.Graphs)
                {
                    Rename(g, from, to, outputsToo);
                }
            }
        }
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = "adapter/" + output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static NodeProto Cast(string input, string output, int to)
    {
        var node = Node("Cast", [input], output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });
        return node;
    }

    private static string Constant(GraphProto graph, string name, int type, long[] dims, long value)
    {
        var tensor = new TensorProto { Name = "adapter/" + name, DataType = type };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.Add(value);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static ValueInfoProto ValueInfo(string name, int type, int rank)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = type };
        if (rank >= 0)
        {
            tensor.Shape = new TensorShapeProto();
            for (var i = 0; i < rank; i++)
            {
                tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "d" + i.ToString(CultureInfo.InvariantCulture) });
            }
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
