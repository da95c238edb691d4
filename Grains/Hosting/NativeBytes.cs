using System.Runtime.InteropServices;
using Orleans.Serialization.Buffers;

namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// A copy of some bytes in native memory, which the garbage collector neither scans nor moves. The owner
/// frees it exactly once (<see cref="Free"/>); copies of this struct share the block.
/// </summary>
internal readonly unsafe struct NativeBytes
{
    private readonly byte* _pointer;

    private NativeBytes(byte* pointer, int length)
    {
        _pointer = pointer;
        Length = length;
    }

    public int Length { get; }

    public bool IsAllocated => _pointer is not null;

    public static NativeBytes CopyOf(in PooledBuffer source)
    {
        var length = source.Length;
        var pointer = (byte*)NativeMemory.Alloc((nuint)Math.Max(length, 1));
        source.CopyTo(new Span<byte>(pointer, length));
        return new NativeBytes(pointer, length);
    }

    public byte[] ToArray() => new ReadOnlySpan<byte>(_pointer, Length).ToArray();

    public void Free()
    {
        if (_pointer is not null)
        {
            NativeMemory.Free(_pointer);
        }
    }
}
