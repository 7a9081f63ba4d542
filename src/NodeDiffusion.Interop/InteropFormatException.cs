namespace NodeDiffusion.Interop;

/// <summary>A file or text that cannot be read at all (not JSON, not a PNG, truncated); the message says why in plain words.</summary>
public sealed class InteropFormatException(string message, Exception? inner = null) : Exception(message, inner);
