using System.Diagnostics;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Runtime;

/// <summary>
/// Compiled models kept on disk: a later <see cref="CompiledModels"/> (a restarted process) creates its sessions from the
/// stored files without compiling, keys change with patch strengths and weight file times, damaged entries are
/// compiled again, and the folder stays within its budget.
/// </summary>
public sealed class CompiledModelsDiskCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new("nd-diskcache");
    private readonly string _cache;

    public CompiledModelsDiskCacheTests()
    {
        DemoCheckpoint.Write(_dir.Combine("demo"));
        _cache = _dir.Combine("compiled");
    }

    public void Dispose() => _dir.Dispose();

    private DiffusersCheckpoint Demo() => DiffusersCheckpoint.Open(_dir.Combine("demo"));

    private static FloatTensor Pattern(long[] shape, float scale)
    {
        var tensor = FloatTensor.Zeros(shape);
        for (var i = 0; i < tensor.Data.Length; i++)
        {
            tensor.Data[i] = MathF.Sin(i * 0.37f) * scale;
        }
        return tensor;
    }

    private static Dictionary<string, HostTensor> UnetFeeds(DiffusersCheckpoint demo) => new()
    {
        ["sample"] = Pattern([2, demo.Unet.InChannels, 8, 8], 1f),
        ["timestep"] = new FloatTensor([2], [500f, 500f]),
        ["encoder_hidden_states"] = Pattern([2, 77, demo.Unet.CrossAttentionDim], 0.5f),
    };

    private static FloatTensor RunUnet(ModelSession unet, DiffusersCheckpoint demo) => unet.Run(UnetFeeds(demo))["out_sample"];

    private int Entries() => Directory.Exists(_cache) ? Directory.GetDirectories(_cache).Length : 0;

    [Fact]
    public void ASecondInstanceOverTheSameFolderLoadsWithoutCompilingAndGivesIdenticalOutputs()
    {
        var demo = Demo();
        var ids = new Int64Tensor([1, 77], Enumerable.Range(0, 77).Select(i => (long)(i % 50)).ToArray());
        var latent = new Dictionary<string, HostTensor> { ["latent_sample"] = Pattern([1, demo.Vae.LatentChannels, 8, 8], 1f) };
        FloatTensor text, eps, image;
        using (var inMemory = new CompiledModels(Sessions.CpuFactory))
        {
            text = inMemory.TextEncoder(demo).Run(new Dictionary<string, HostTensor> { ["input_ids"] = ids })["last_hidden_state"];
            eps = RunUnet(inMemory.Unet(demo), demo);
            image = inMemory.VaeDecoder(demo).Run(latent)["sample"];
            Assert.Null(inMemory.DiskCache);
        }

        var compile = Stopwatch.StartNew();
        using (var first = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache))
        {
            first.Unet(demo);
            compile.Stop();
            first.TextEncoder(demo);
            first.VaeDecoder(demo);
            Assert.Equal(3, first.Compilations);
            Assert.Equal(3, Entries());
        }

        var load = Stopwatch.StartNew();
        using var second = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache);
        var unet = second.Unet(Demo());
        load.Stop();
        Compare.MaxAbs("cached UNet out_sample", eps, RunUnet(unet, demo), 0);
        Compare.MaxAbs("cached text encoder", text, second.TextEncoder(demo).Run(new Dictionary<string, HostTensor> { ["input_ids"] = ids })["last_hidden_state"], 0);
        Compare.MaxAbs("cached VAE decoder", image, second.VaeDecoder(demo).Run(latent)["sample"], 0);
        Assert.Equal(0, second.Compilations);
        Assert.True(unet.WeightBytes > 0);
        Report.Line($"demo UNet: compile + store + session {compile.Elapsed.TotalMilliseconds:F0} ms, session from the disk cache {load.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void LoraStrengthAndWeightFileTimesChangeTheKey()
    {
        var demo = Demo();
        var loraPath = _dir.Combine("lora.safetensors");
        DemoLora.Write(loraPath, demo.UnetWeights, demo.TextEncoderWeights);
        LoraApplication Lora(float strength) => new(loraPath, CompiledModelCache.FileFingerprint(loraPath), strength);

        using (var models = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache))
        {
            models.Unet(demo, [Lora(0.5f)]);
            Assert.Equal(1, Entries());
        }
        using (var models = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache))
        {
            models.Unet(demo, [Lora(0.5f)]);
            Assert.Equal(0, models.Compilations);
            models.Unet(demo, [Lora(0.7f)]);
            Assert.Equal(1, models.Compilations);
            Assert.Equal(2, Entries());
        }

        File.SetLastWriteTimeUtc(loraPath, File.GetLastWriteTimeUtc(loraPath).AddMinutes(1));
        using (var models = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache))
        {
            models.Unet(demo, [Lora(0.7f)]);
            Assert.Equal(1, models.Compilations);
            Assert.Equal(3, Entries());
        }

        using (var models = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache))
        {
            models.Unet(demo);
            File.SetLastWriteTimeUtc(demo.UnetWeights, File.GetLastWriteTimeUtc(demo.UnetWeights).AddMinutes(1));
            models.Unet(Demo());
            Assert.Equal(2, models.Compilations);
            Assert.Equal(5, Entries());
        }
    }

    [Theory]
    [InlineData(CompiledModelCache.ModelFileName)]
    [InlineData(CompiledModelCache.ModelFileName + ".data")]
    public void ADamagedEntryIsCompiledAgain(string damaged)
    {
        var demo = Demo();
        FloatTensor eps;
        using (var first = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache))
        {
            eps = RunUnet(first.Unet(demo), demo);
        }
        var file = Path.Combine(Directory.GetDirectories(_cache).Single(), damaged);
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        using var second = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache);
        Compare.MaxAbs("recompiled UNet", eps, RunUnet(second.Unet(demo), demo), 0);
        Assert.Equal(1, second.Compilations);
        using var third = new CompiledModels(Sessions.CpuFactory, cacheFolder: _cache);
        third.Unet(demo);
        Assert.Equal(0, third.Compilations);
    }

    [Fact]
    public void AFolderWithoutItsModelFileIsReplaced()
    {
        var cache = new CompiledModelCache(_cache);
        Directory.CreateDirectory(Path.Combine(_cache, "k"));
        var compiled = false;
        var path = cache.GetOrCompile("k", () => Scale(1), out compiled);
        Assert.True(compiled);
        Assert.True(File.Exists(path));
    }

    private const int Floats = 1024;

    private static global::Onnx.ModelProto Scale(float scale)
    {
        var g = new GraphBuilder("scale");
        var x = g.Input("x", ElementType.Float, Floats);
        g.Output(g.Mul(x, g.Constant("w", [Floats], Enumerable.Repeat(scale, Floats).ToArray())), "y");
        return g.Build();
    }

    [Fact]
    public void TheLeastRecentlyUsedEntriesAreDeletedToKeepTheBudget()
    {
        var byCount = new CompiledModelCache(_dir.Combine("count")) { MaxEntries = 2 };
        var start = DateTime.UtcNow.AddHours(-1);
        void Add(CompiledModelCache cache, string key, int minute)
        {
            cache.GetOrCompile(key, () => Scale(minute));
            Directory.SetLastWriteTimeUtc(Path.Combine(cache.Root, key), start.AddMinutes(minute));
        }
        Add(byCount, "a", 1);
        Add(byCount, "b", 2);
        Assert.True(byCount.TryGet("a", out _));            // "a" is now the most recently used
        Add(byCount, "c", 3);
        Assert.Equal(["a", "c"], Directory.GetDirectories(byCount.Root).Select(d => new DirectoryInfo(d).Name).Order().ToArray());

        var entryBytes = byCount.Bytes("a");
        Assert.True(entryBytes >= Floats * sizeof(float));
        var byBytes = new CompiledModelCache(_dir.Combine("bytes")) { MaxBytes = (2 * entryBytes) + 10 };
        Add(byBytes, "a", 1);
        Add(byBytes, "b", 2);
        Add(byBytes, "c", 3);
        Assert.Equal(["b", "c"], Directory.GetDirectories(byBytes.Root).Select(d => new DirectoryInfo(d).Name).Order().ToArray());
        var total = Directory.GetDirectories(byBytes.Root).Sum(d => byBytes.Bytes(new DirectoryInfo(d).Name));
        Assert.True(total <= byBytes.MaxBytes);

        // A restart trims a folder that grew past a smaller budget.
        var smaller = new CompiledModelCache(byBytes.Root) { MaxEntries = 1 };
        smaller.Trim();
        Assert.Equal(["c"], Directory.GetDirectories(byBytes.Root).Select(d => new DirectoryInfo(d).Name).ToArray());
    }
}
