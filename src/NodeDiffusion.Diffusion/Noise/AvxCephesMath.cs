namespace NodeDiffusion.Diffusion.Noise;

/// <summary>
/// Scalar re-statements of the Cephes-style <c>log256_ps</c> and <c>sincos256_ps</c> (Pommier's avx_mathfun) that PyTorch's
/// AVX2 normal kernel uses. The release build of that kernel is compiled with FMA contraction, so a multiply whose only use
/// is an add became one fused operation; the fused pairs here are the ones that reproduce torch's output bit for bit
/// (checked on the torch-randn reference, 18 781 values). glibc's logf/sinf/cosf differ in the last bit now and then.
/// </summary>
internal static class AvxCephesMath
{
    private const float SqrtHalf = 0.707106781186547524f;
    private const float LogP0 = 7.0376836292E-2f;
    private const float LogP1 = -1.1514610310E-1f;
    private const float LogP2 = 1.1676998740E-1f;
    private const float LogP3 = -1.2420140846E-1f;
    private const float LogP4 = 1.4249322787E-1f;
    private const float LogP5 = -1.6668057665E-1f;
    private const float LogP6 = 2.0000714765E-1f;
    private const float LogP7 = -2.4999993993E-1f;
    private const float LogP8 = 3.3333331174E-1f;
    private const float LogQ1 = -2.12194440e-4f;
    private const float LogQ2 = 0.693359375f;

    private const float MinusDp1 = -0.78515625f;
    private const float MinusDp2 = -2.4187564849853515625e-4f;
    private const float MinusDp3 = -3.77489497744594108e-8f;
    private const float SinP0 = -1.9515295891E-4f;
    private const float SinP1 = 8.3321608736E-3f;
    private const float SinP2 = -1.6666654611E-1f;
    private const float CosP0 = 2.443315711809948E-005f;
    private const float CosP1 = -1.388731625493765E-003f;
    private const float CosP2 = 4.166664568298827E-002f;
    private const float FourOverPi = 1.27323954473516f;

    /// <summary>Natural logarithm; NaN for x ≤ 0 (the kernel only feeds it values in (0, 1]).</summary>
    public static float Log(float x)
    {
        if (x <= 0f)
        {
            return float.NaN;
        }
        x = MathF.Max(x, BitConverter.Int32BitsToSingle(0x00800000));
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = (bits >>> 23) - 0x7f;
        x = BitConverter.Int32BitsToSingle((bits & ~0x7f800000) | BitConverter.SingleToInt32Bits(0.5f));
        var e = (float)exponent;
        e += 1f;
        var below = x < SqrtHalf;
        var tmp = below ? x : 0f;
        x -= 1f;
        e -= below ? 1f : 0f;
        x += tmp;

        var z = x * x;
        var y = LogP0;
        y = MathF.FusedMultiplyAdd(y, x, LogP1);
        y = MathF.FusedMultiplyAdd(y, x, LogP2);
        y = MathF.FusedMultiplyAdd(y, x, LogP3);
        y = MathF.FusedMultiplyAdd(y, x, LogP4);
        y = MathF.FusedMultiplyAdd(y, x, LogP5);
        y = MathF.FusedMultiplyAdd(y, x, LogP6);
        y = MathF.FusedMultiplyAdd(y, x, LogP7);
        y = MathF.FusedMultiplyAdd(y, x, LogP8);
        y *= x;
        y = MathF.FusedMultiplyAdd(y, z, e * LogQ1);
        y = MathF.FusedMultiplyAdd(-z, 0.5f, y);
        x += y;
        x = MathF.FusedMultiplyAdd(e, LogQ2, x);
        return x;
    }

    public static void SinCos(float x, out float sin, out float cos)
    {
        var signSin = BitConverter.SingleToInt32Bits(x) & unchecked((int)0x80000000);
        x = MathF.Abs(x);
        var scaled = x * FourOverPi;
        var j = (int)scaled;
        j = (j + 1) & ~1;
        var y = (float)j;
        var swapSignSin = (j & 4) << 29;
        var polyMaskIsCos = (j & 2) == 0;

        x = MathF.FusedMultiplyAdd(y, MinusDp1, x);
        x = MathF.FusedMultiplyAdd(y, MinusDp2, x);
        x = MathF.FusedMultiplyAdd(y, MinusDp3, x);

        var signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        var z = x * x;
        var yc = CosP0;
        yc = MathF.FusedMultiplyAdd(yc, z, CosP1);
        yc = MathF.FusedMultiplyAdd(yc, z, CosP2);
        yc *= z;
        yc = MathF.FusedMultiplyAdd(yc, z, -(z * 0.5f));
        yc += 1f;

        var ys = SinP0;
        ys = MathF.FusedMultiplyAdd(ys, z, SinP1);
        ys = MathF.FusedMultiplyAdd(ys, z, SinP2);
        ys *= z;
        ys = MathF.FusedMultiplyAdd(ys, x, x);

        // The vector code selects with masks and computes (a + 0) sums; adding +0f keeps -0 handling identical.
        var sinPart = polyMaskIsCos ? ys : 0f;
        var sinOther = polyMaskIsCos ? 0f : yc;
        var cosOther = ys - sinPart;
        var cosPart = yc - sinOther;
        var s = sinOther + sinPart;
        var c = cosPart + cosOther;
        sin = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(s) ^ signSin);
        cos = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(c) ^ signCos);
    }
}
