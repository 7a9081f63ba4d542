namespace NodeDiffusion.Graph.Files;

/// <summary>The engine's own data folder (the queue, compiled models); no workflow names files in it.</summary>
public sealed record DataFolder(string Path)
{
    /// <summary>Where compiled ONNX models are kept between runs.</summary>
    public string CompiledModels => System.IO.Path.Combine(Path, "compiled");
}
