using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Orders.Application.Persistence;

/// <summary>
/// Values decoded from a text (here: history entries), by the SHA-256 of their exact stored text, in two generations of at most
/// <c>generationSize</c> each: when the young one fills, it becomes the old one and the old one is dropped; an entry
/// found in the old generation moves to the young one. An order's entries are read again and again while it is in
/// flight (every command loads it, every change-log consumer reads its new entries) and hardly ever after.
/// <para>
/// Keyed by a digest rather than by the text: the text (the envelope, with the content escaped inside it) is the
/// largest thing a cached entry would keep alive, and the GC copied every one of them from young to old generations.
/// A SHA-256 keeps the promise of the text as key: stored bytes that differ in any way (an edit, tampering) miss the
/// cache and are decoded, and checked, afresh.
/// </para>
/// </summary>
internal sealed class DigestCache<T>(int generationSize) where T : class
{
    private readonly Lock _gate = new();
    private Dictionary<Digest, T> _young = [];
    private Dictionary<Digest, T> _old = [];

    public int Count
    {
        get { lock (_gate) return _young.Count + _old.Count; }
    }

    public T GetOrDecode(string json, Func<string, T> decode)
    {
        var key = Digest.Of(json);
        lock (_gate)
        {
            if (_young.TryGetValue(key, out var found)) return found;
            if (_old.Remove(key, out found))
            {
                AddYoung(key, found);
                return found;
            }
        }
        var decoded = decode(json);
        lock (_gate) AddYoung(key, decoded);
        return decoded;
    }

    // Under the lock.
    private void AddYoung(Digest key, T entry)
    {
        if (_young.Count >= generationSize)
        {
            _old = _young;
            _young = new Dictionary<Digest, T>(generationSize);
        }
        _young[key] = entry;
    }

    private readonly record struct Digest(UInt128 First, UInt128 Second)
    {
        // Over the string's own UTF-16 code units: every text that differs in any unit differs here (an encoding to
        // UTF-8 would map every lone surrogate to U+FFFD, so two different texts would share a key).
        public static Digest Of(string text)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
            return new Digest(MemoryMarshal.Read<UInt128>(hash), MemoryMarshal.Read<UInt128>(hash[16..]));
        }
    }
}
