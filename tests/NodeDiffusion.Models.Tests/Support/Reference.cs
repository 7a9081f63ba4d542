using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Support;

/// <summary>A reference fixture folder under ../shared/reference: config, weights and the recorded inputs/outputs.</summary>
public sealed class Reference : IDisposable
{
    private readonly SafetensorsFile _io;

    private Reference(string folder)
    {
        Folder = folder;
        _io = SafetensorsFile.Open(Path.Combine(folder, "io.safetensors"));
    }

    public string Folder { get; }

    public string ConfigPath => Path.Combine(Folder, "config.json");

    public string WeightsPath => Path.Combine(Folder, "weights.safetensors");

    public static Reference Open(string name) => new(SharedData.Require("reference/" + name));

    public SafetensorsWeightSource OpenWeights(params string[] extraWeightFiles) =>
        SafetensorsWeightSource.Open([WeightsPath, .. extraWeightFiles]);

    public FloatTensor Float(string name) => new(_io.GetInfo(name).Shape, _io.ReadFloat32(name));

    public Int64Tensor Int64(string name)
    {
        var info = _io.GetInfo(name);
        Assert.Equal(SafetensorsDType.I64, info.DType);
        return new Int64Tensor(info.Shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(_io.GetBytes(name)).ToArray());
    }

    public void Dispose() => _io.Dispose();
}
