namespace NodeDiffusion.Formats.Torch;

/// <summary>A PyTorch checkpoint that cannot be read safely; the message names the file and the problem.</summary>
public sealed class TorchFormatException(string source, string detail) : Exception($"{source}: {detail}");
