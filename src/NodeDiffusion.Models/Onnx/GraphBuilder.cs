using Google.Protobuf;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Onnx;

/// <summary>
/// Builds an ONNX graph op by op. Parameters are bound by their diffusers/transformers name: <see cref="Scope"/> pushes a
/// module path, <see cref="Parameter"/> takes the weight of that name from the <see cref="WeightBinder"/> and adds it as an
/// initializer with exactly that name, so compiled models can be patched (LoRA) by parameter name.
/// </summary>
public sealed partial class GraphBuilder
{
    public const int Opset = 17;

    private readonly GraphProto _graph = new();
    private readonly Stack<string> _scopes = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> _constants = new(StringComparer.Ordinal);
    private int _counter;

    public GraphBuilder(string name, WeightBinder? weights = null)
    {
        _graph.Name = name;
        Weights = weights;
    }

    public WeightBinder? Weights { get; }

    /// <summary>The current module path, e.g. <c>down_blocks.0.attentions.1</c>.</summary>
    public string CurrentScope => string.Join(".", _scopes.Reverse());

    public IDisposable Scope(string name)
    {
        _scopes.Push(name);
        return new ScopeExit(this);
    }

    public string Qualify(string localName) => _scopes.Count == 0 ? localName : CurrentScope + "." + localName;

    public Value Input(string name, ElementType type, params Dim[] dims)
    {
        Reserve(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return new Value(name, type, dims.Select(d => d.Symbol is null ? d.Size : -1).ToArray());
    }

    /// <summary>Declares a graph output; the value is renamed through an Identity node.</summary>
    public Value Output(Value value, string name, params Dim[] dims)
    {
        Reserve(name);
        var node = new NodeProto { OpType = "Identity", Name = "output/" + name };
        node.Input.Add(value.Name);
        node.Output.Add(name);
        _graph.Node.Add(node);
        _graph.Output.Add(ValueInfo(name, value.Type, dims.Length > 0 ? dims : null));
        return value with { Name = name };
    }

    /// <summary>A named weight of the current scope, e.g. <c>Parameter("to_q.weight", 320, 320)</c>.</summary>
    public Value Parameter(string localName, params long[] shape)
    {
        var name = Qualify(localName);
        if (_parameters.TryGetValue(name, out var existing))
        {
            return existing;
        }
        if (Weights is null)
        {
            throw new InvalidOperationException($"parameter '{name}' needs a weight source");
        }
        var tensor = Weights.Take(name, shape);
        if (Weights.IsDryRun)
        {
            Reserve(name);
            return _parameters[name] = new Value(name, ElementType.Float, shape);
        }
        // A missing weight was recorded by the binder; a zero stand-in keeps the build going so that all problems are reported.
        tensor ??= WeightTensor.FromValues(name, shape, new float[shape.Aggregate(1L, (a, b) => a * b)]);
        return AddInitializer(tensor);
    }

    /// <summary>An initializer that is not a model parameter (a constant computed here), named within the current scope.</summary>
    public Value Constant(string localName, long[] shape, ReadOnlySpan<float> values) =>
        AddInitializer(WeightTensor.FromValues(Qualify(localName), shape, values), isParameter: false);

    /// <summary>An unnamed float constant (scales, unit norms).</summary>
    public Value Floats(long[] shape, params float[] values)
    {
        var key = ConstantKey("f", shape, values.Length <= 4096 ? string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v))) : null);
        if (key is not null && _constants.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var value = AddInitializer(WeightTensor.FromValues(Fresh("const"), shape, values), isParameter: false, reserve: false);
        if (key is not null)
        {
            _constants[key] = value;
        }
        return value;
    }

    public Value ConstantInt64(long[] shape, params long[] values)
    {
        // Identical small constants are shared: thousands of duplicate initializers slow ONNX Runtime's session setup.
        var key = ConstantKey("i", shape, string.Join(",", values))!;
        if (_constants.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var name = Fresh("const");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(shape);
        tensor.Int64Data.Add(values);
        _graph.Initializer.Add(tensor);
        return _constants[key] = new Value(name, ElementType.Int64, shape);
    }

    /// <summary>A 1-D int64 constant, the usual form of shapes, axes and indices.</summary>
    public Value Ints(params long[] values) => ConstantInt64([values.Length], values);

    public Value ScalarFloat(float value)
    {
        var key = ConstantKey("s", [], BitConverter.SingleToInt32Bits(value).ToString(System.Globalization.CultureInfo.InvariantCulture))!;
        if (_constants.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var name = Fresh("const");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        _graph.Initializer.Add(tensor);
        return _constants[key] = new Value(name, ElementType.Float, []);
    }

    public ModelProto Build(string producer = "NodeDiffusion")
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producer,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>Adds a node and returns its outputs.</summary>
    public Value[] Node(string opType, Value[] inputs, int outputCount, ElementType outputType, long[]? outputShape = null, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh(opType) };
        foreach (var input in inputs)
        {
            node.Input.Add(input?.Name ?? "");
        }
        var outputs = new Value[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = new Value(Fresh(opType + "_out"), outputType, outputShape);
            node.Output.Add(outputs[i].Name);
        }
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(Attribute(name, value));
        }
        _graph.Node.Add(node);
        return outputs;
    }

    public Value Node(string opType, Value[] inputs, ElementType? outputType = null, long[]? outputShape = null, params (string Name, object Value)[] attributes) =>
        Node(opType, inputs, 1, outputType ?? inputs[0].Type, outputShape, attributes)[0];

    private static string? ConstantKey(string kind, long[] shape, string? values) =>
        values is null ? null : $"{kind}[{string.Join(",", shape)}]{values}";

    private Value AddInitializer(WeightTensor tensor, bool isParameter = true, bool reserve = true)
    {
        if (reserve)
        {
            Reserve(tensor.Name);
        }
        var proto = new TensorProto
        {
            Name = tensor.Name,
            DataType = (int)TensorProto.Types.DataType.Float,
            // The byte array is owned by the tensor we were handed and never written again, so it can be wrapped, not copied.
            RawData = UnsafeByteOperations.UnsafeWrap(tensor.Float32Bytes),
        };
        proto.Dims.Add(tensor.Shape);
        _graph.Initializer.Add(proto);
        var value = new Value(tensor.Name, ElementType.Float, tensor.Shape);
        if (isParameter)
        {
            _parameters[tensor.Name] = value;
        }
        return value;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = i;
                break;
            case long l:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = l;
                break;
            case float f:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = f;
                break;
            case string s:
                a.Type = AttributeProto.Types.AttributeType.String;
                a.S = ByteString.CopyFromUtf8(s);
                break;
            case long[] ls:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.Add(ls);
                break;
            case int[] iss:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.Add(iss.Select(x => (long)x));
                break;
            case TensorProto t:
                a.Type = AttributeProto.Types.AttributeType.Tensor;
                a.T = t;
                break;
            default:
                throw new ArgumentException($"attribute '{name}' has unsupported type {value.GetType().Name}");
        }
        return a;
    }

    private static ValueInfoProto ValueInfo(string name, ElementType type, Dim[]? dims)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (dims is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (var d in dims)
            {
                tensorType.Shape.Dim.Add(d.Symbol is null
                    ? new TensorShapeProto.Types.Dimension { DimValue = d.Size }
                    : new TensorShapeProto.Types.Dimension { DimParam = d.Symbol });
            }
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private string Fresh(string prefix)
    {
        var scope = CurrentScope;
        string name;
        do
        {
            name = (scope.Length > 0 ? "/" + scope.Replace('.', '/') + "/" : "/") + prefix + "_" + _counter++;
        }
        while (_names.Contains(name));
        _names.Add(name);
        return name;
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"the graph already has a value named '{name}'");
        }
    }

    private sealed class ScopeExit(GraphBuilder owner) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                owner._scopes.Pop();
                _done = true;
            }
        }
    }
}
