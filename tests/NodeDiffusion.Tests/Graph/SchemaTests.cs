using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Graph;

public sealed class SchemaTests
{
    [Fact]
    public void InputNamesAreSnakeCase()
    {
        Assert.Equal("latent_image", NodeNaming.ToSnakeCase("LatentImage"));
        Assert.Equal("image1", NodeNaming.ToSnakeCase("Image1"));
        Assert.Equal("vae", NodeNaming.ToSnakeCase("Vae"));
        Assert.Equal("clip_vision_output", NodeNaming.ToSnakeCase("ClipVisionOutput"));
        Assert.Equal("string_a", NodeNaming.ToSnakeCase("StringA"));
    }

    [Fact]
    public void ObjectInfoHasComfyUisShape()
    {
        using var host = new TestHost();
        var info = ObjectInfoWriter.Write(host.Registry);
        var pick = info["TestPick"]!.AsObject();
        var required = pick["input"]!["required"]!.AsObject();
        Assert.Equal("""[["alpha","beta","gamma"],{"default":"alpha"}]""", required["choice"]!.ToJsonString());
        Assert.Equal("FLOAT", required["amount"]![0]!.GetValue<string>());
        Assert.Equal(0.5, required["amount"]![1]!["default"]!.GetValue<double>());
        Assert.Equal(1, required["amount"]![1]!["max"]!.GetValue<double>());
        Assert.True(required["note"]![1]!["multiline"]!.GetValue<bool>());
        Assert.Equal("""["choice","amount","note"]""", pick["input_order"]!["required"]!.ToJsonString());
        Assert.Equal("""["INT"]""", pick["output"]!.ToJsonString());
        Assert.False(pick["output_node"]!.GetValue<bool>());

        var sum = info["TestSum"]!.AsObject();
        Assert.Equal("INT", sum["input"]!["optional"]!["a"]![0]!.GetValue<string>());
        Assert.True(info["SaveImage"]!["output_node"]!.GetValue<bool>());
        Assert.Equal("image", info["SaveImage"]!["category"]!.GetValue<string>());
    }

    [Fact]
    public void SeedsSpanTheFullU64RangeWithControlAfterGenerate()
    {
        var registry = NodeRegistry.FromAssemblies();
        registry.Add(typeof(SeedNode));
        var seed = ObjectInfoWriter.Write(registry)["SeedNode"]!["input"]!["required"]!["seed"]!;
        Assert.Equal("""["INT",{"default":0,"min":0,"max":18446744073709551615,"step":1,"control_after_generate":true}]""", seed.ToJsonString());
    }

    [Fact]
    public void AliasesResolveToTheSameNode()
    {
        using var host = new TestHost();
        Assert.Same(host.Registry.Find("ShowText"), host.Registry.Find("PreviewAny"));
        var info = ObjectInfoWriter.Write(host.Registry, includeAliases: true);
        Assert.Equal("PreviewAny", info["PreviewAny"]!["name"]!.GetValue<string>());
    }

    [NodeType("SeedNode")]
    public sealed class SeedNode : Node<SeedNode.In, SeedNode.Out>
    {
        public sealed record In([Seed] ulong Seed);

        public sealed record Out(long Int);

        public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(0));
    }
}
