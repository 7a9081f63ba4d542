namespace NodeDiffusion.Diffusion.Noise;

/// <summary>
/// The 32-bit Mersenne Twister exactly as PyTorch's CPU generator runs it (ATen <c>at::mt19937</c>):
/// a 64-bit seed is truncated to its low 32 bits and expanded with the standard MT19937 initialisation.
/// </summary>
public sealed class MersenneTwister19937
{
    private const int StateSize = 624;
    private const int ShiftSize = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _state = new uint[StateSize];
    private int _left;
    private int _next;

    public MersenneTwister19937(ulong seed = 5489)
    {
        Seed(seed);
    }

    public void Seed(ulong seed)
    {
        _state[0] = (uint)(seed & 0xffffffff);
        for (var j = 1; j < StateSize; j++)
        {
            var previous = _state[j - 1];
            _state[j] = unchecked(1812433253u * (previous ^ (previous >> 30)) + (uint)j);
        }
        _left = 1;
        _next = 0;
    }

    public uint NextUInt32()
    {
        if (--_left == 0)
        {
            Twist();
        }
        var y = _state[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Two draws joined high word first, as <c>CPUGeneratorImpl::random64</c> does.</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        ulong low = NextUInt32();
        return (high << 32) | low;
    }

    /// <summary>A copy of the full engine state, for generators that must be cloned or restored.</summary>
    public MersenneTwister19937 Clone()
    {
        var copy = new MersenneTwister19937();
        Array.Copy(_state, copy._state, StateSize);
        copy._left = _left;
        copy._next = _next;
        return copy;
    }

    private void Twist()
    {
        _left = StateSize;
        _next = 0;
        for (var i = 0; i < StateSize - ShiftSize; i++)
        {
            _state[i] = _state[i + ShiftSize] ^ MixBits(_state[i], _state[i + 1]);
        }
        for (var i = StateSize - ShiftSize; i < StateSize - 1; i++)
        {
            _state[i] = _state[i + ShiftSize - StateSize] ^ MixBits(_state[i], _state[i + 1]);
        }
        _state[StateSize - 1] = _state[ShiftSize - 1] ^ MixBits(_state[StateSize - 1], _state[0]);
    }

    private static uint MixBits(uint upper, uint lower)
    {
        var y = (upper & UpperMask) | (lower & LowerMask);
        return (y >> 1) ^ ((lower & 1) != 0 ? MatrixA : 0u);
    }
}
