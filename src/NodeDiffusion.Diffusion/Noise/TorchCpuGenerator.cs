namespace NodeDiffusion.Diffusion.Noise;

/// <summary>
/// PyTorch's default CPU generator (<c>torch.Generator()</c> / <c>torch.manual_seed</c>): an mt19937 engine plus the cached
/// second Box–Muller sample of the double-precision normal path. State carries across calls, so a sampler that seeds one
/// generator and draws every step sees the same sequence as torch.
/// </summary>
public sealed class TorchCpuGenerator
{
    private const int VectorBlock = 16;
    private const double TwoPi = 2.0 * Math.PI;

    private readonly MersenneTwister19937 _engine;
    private double? _nextDoubleNormal;

    public TorchCpuGenerator(ulong seed)
    {
        _engine = new MersenneTwister19937(seed);
        InitialSeed = seed;
    }

    private TorchCpuGenerator(MersenneTwister19937 engine, double? nextDoubleNormal, ulong initialSeed)
    {
        _engine = engine;
        _nextDoubleNormal = nextDoubleNormal;
        InitialSeed = initialSeed;
    }

    public ulong InitialSeed { get; private set; }

    /// <summary>Which float transcendental functions the ≥16-element path uses; see <see cref="NormalKernel"/>.</summary>
    public NormalKernel Kernel { get; init; } = NormalKernel.Avx2;

    /// <summary><c>generator.manual_seed(seed)</c>: reseeds the engine and drops the cached normal sample.</summary>
    public void ManualSeed(ulong seed)
    {
        _engine.Seed(seed);
        _nextDoubleNormal = null;
        InitialSeed = seed;
    }

    public TorchCpuGenerator Clone() => new(_engine.Clone(), _nextDoubleNormal, InitialSeed) { Kernel = Kernel };

    /// <summary>24-bit uniform in [0, 1), <c>at::uniform_real_distribution&lt;float&gt;(0, 1)</c>.</summary>
    public float NextUniformFloat() => (_engine.NextUInt32() & ((1u << 24) - 1)) * (1.0f / (1 << 24));

    /// <summary>53-bit uniform in [0, 1), <c>at::uniform_real_distribution&lt;double&gt;(0, 1)</c>.</summary>
    public double NextUniformDouble() => (_engine.NextUInt64() & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    /// <summary>One standard normal from <c>at::normal_distribution&lt;double&gt;</c> (Box–Muller with a cached second value).</summary>
    public double NextNormalDouble()
    {
        if (_nextDoubleNormal is { } cached)
        {
            _nextDoubleNormal = null;
            return cached;
        }
        var u1 = NextUniformDouble();
        var u2 = NextUniformDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        var theta = TwoPi * u1;
        _nextDoubleNormal = radius * Math.Sin(theta);
        return radius * Math.Cos(theta);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> like <c>torch.randn(shape, generator=g)</c> for a contiguous float32 tensor of that many
    /// elements: fewer than 16 elements take the serial double path, 16 or more the blocked float path where the last, partial
    /// block is redrawn as a full block of 16 ending at the tensor's end.
    /// </summary>
    public void FillStandardNormal(Span<float> destination)
    {
        var size = destination.Length;
        if (size < VectorBlock)
        {
            for (var i = 0; i < size; i++)
            {
                destination[i] = (float)NextNormalDouble();
            }
            return;
        }
        for (var i = 0; i < size; i++)
        {
            destination[i] = NextUniformFloat();
        }
        for (var i = 0; i + VectorBlock <= size; i += VectorBlock)
        {
            TransformBlock(destination.Slice(i, VectorBlock));
        }
        if (size % VectorBlock != 0)
        {
            var tail = destination.Slice(size - VectorBlock, VectorBlock);
            for (var i = 0; i < VectorBlock; i++)
            {
                tail[i] = NextUniformFloat();
            }
            TransformBlock(tail);
        }
    }

    public float[] Randn(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new float[count];
        FillStandardNormal(result);
        return result;
    }

    private void TransformBlock(Span<float> block)
    {
        if (Kernel == NormalKernel.Avx2)
        {
            TransformBlockAvx2(block);
        }
        else
        {
            TransformBlockDefault(block);
        }
    }

    private static void TransformBlockAvx2(Span<float> block)
    {
        const float twoPi = (float)TwoPi;
        for (var j = 0; j < VectorBlock / 2; j++)
        {
            var u1 = 1f - block[j];
            var u2 = block[j + VectorBlock / 2];
            var radius = MathF.Sqrt(-2f * AvxCephesMath.Log(u1));
            var theta = twoPi * u2;
            AvxCephesMath.SinCos(theta, out var sin, out var cos);
            block[j] = radius * cos;
            block[j + VectorBlock / 2] = radius * sin;
        }
    }

    private static void TransformBlockDefault(Span<float> block)
    {
        for (var j = 0; j < VectorBlock / 2; j++)
        {
            var u1 = 1f - block[j];
            var u2 = block[j + VectorBlock / 2];
            var radius = MathF.Sqrt(-2f * MathF.Log(u1));
            var theta = (float)(TwoPi * u2);
            block[j] = radius * MathF.Cos(theta);
            block[j + VectorBlock / 2] = radius * MathF.Sin(theta);
        }
    }
}
