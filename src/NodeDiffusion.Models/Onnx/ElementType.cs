using Onnx;

namespace NodeDiffusion.Models.Onnx;

/// <summary>The tensor element types our graphs use.</summary>
public enum ElementType
{
    Float = TensorProto.Types.DataType.Float,
    Int32 = TensorProto.Types.DataType.Int32,
    Int64 = TensorProto.Types.DataType.Int64,
    Bool = TensorProto.Types.DataType.Bool,
}
