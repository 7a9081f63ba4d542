using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Tests.Diffusion;

public sealed class PatchedHandleTests
{
    private static readonly CheckpointRef Checkpoint = new("demo", "/models/checkpoints/demo", "fp");
    private static readonly LoraPatch Lora = new("style.safetensors", "/models/loras/style.safetensors", "1:2", 0.8);

    [Fact]
    public void HandlesWithTheSameLorasAreEqualAndHashAlike()
    {
        var first = new ModelHandle(Checkpoint) { Loras = EquatableList<LoraPatch>.Empty.Add(Lora) };
        var second = new ModelHandle(Checkpoint) { Loras = EquatableList<LoraPatch>.Empty.Add(Lora with { }) };
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(new ClipHandle(Checkpoint) { Loras = first.Loras }, new ClipHandle(Checkpoint) { Loras = second.Loras });
    }

    [Fact]
    public void StrengthOrderAndFileChangesMakeHandlesDiffer()
    {
        var other = Lora with { Name = "b.safetensors", Path = "/models/loras/b.safetensors" };
        var handle = new ModelHandle(Checkpoint) { Loras = EquatableList<LoraPatch>.Empty.Add(Lora).Add(other) };
        Assert.NotEqual(handle, new ModelHandle(Checkpoint));
        Assert.NotEqual(handle, handle with { Loras = EquatableList<LoraPatch>.Empty.Add(other).Add(Lora) });
        Assert.NotEqual(handle, handle with { Loras = EquatableList<LoraPatch>.Empty.Add(Lora with { Strength = 0.9 }).Add(other) });
        Assert.NotEqual(handle, handle with { Loras = EquatableList<LoraPatch>.Empty.Add(Lora with { Fingerprint = "1:3" }).Add(other) });
    }
}
