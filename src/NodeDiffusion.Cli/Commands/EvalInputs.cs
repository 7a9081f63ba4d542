using System.Runtime.InteropServices;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Runtime;

namespace NodeDiffusion.Cli.Commands;

/// <summary>Reads a component's named inputs (with an optional case prefix) from a safetensors file.</summary>
internal static class EvalInputs
{
    public static Dictionary<string, HostTensor> Read(string path, EvalComponent component, string prefix)
    {
        using var file = SafetensorsFile.Open(path);
        var inputs = new Dictionary<string, HostTensor>();
        foreach (var (fixtureName, graphName) in component.Inputs)
        {
            var name = prefix + fixtureName;
            if (!file.Contains(name))
            {
                throw new InvalidDataException(
                    $"{path} has no input tensor '{name}' (the {component.Name} needs: {string.Join(", ", component.Inputs.Keys.Select(k => prefix + k))}).");
            }
            var info = file.GetInfo(name);
            inputs[graphName] = EvalComponent.IsTokenIds(fixtureName) ? ReadIds(file, info) : ReadFloat(file, info);
        }
        return inputs;
    }

    private static FloatTensor ReadFloat(SafetensorsFile file, SafetensorsTensorInfo info)
    {
        var values = new float[info.ElementCount];
        file.ConvertToFloat32(info, values);
        return new FloatTensor(info.Shape, values);
    }

    private static Int64Tensor ReadIds(SafetensorsFile file, SafetensorsTensorInfo info)
    {
        var bytes = file.GetBytes(info);
        long[] ids = info.DType switch
        {
            SafetensorsDType.I64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            SafetensorsDType.I32 => [.. MemoryMarshal.Cast<byte, int>(bytes).ToArray().Select(i => (long)i)],
            _ => throw new InvalidDataException($"{file.Source}: '{info.Name}' must be int64 or int32 token ids, not {info.DType}."),
        };
        return new Int64Tensor(info.Shape, ids);
    }
}
