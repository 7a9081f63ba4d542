namespace NodeDiffusion.Graph.Nodes;

/// <summary>A value that knows its memory footprint, so the result cache can bound itself by bytes.</summary>
public interface ISizedValue
{
    long ByteSize { get; }
}
