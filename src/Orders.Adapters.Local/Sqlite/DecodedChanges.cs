using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// The change log's entries decoded last, by position. Every change-feed consumer (reactions, saga starts, the read
/// models' projector, the outbox relay, the progress log) reads every entry; the first one reads its text and decodes
/// it, and the others, a few milliseconds behind, take the same immutable <see cref="StoredEvent"/> from here without
/// reading the text again (before, each consumer allocated its own copy of every entry's text).
/// <para>
/// Sound because a position names one entry forever: <c>order_events</c> is append-only (triggers refuse UPDATE and
/// DELETE) and its positions are AUTOINCREMENT, never reused. A fixed ring: a slot holds the last position that
/// landed on it, and a consumer further behind than <see cref="Size"/> entries reads the file as before.
/// </para>
/// </summary>
internal sealed class DecodedChanges(int size = DecodedChanges.DefaultSize)
{
    public const int DefaultSize = 4_096;

    private sealed record Slot(long Position, StoredEvent Event);

    private readonly Slot?[] _slots = new Slot?[size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size))];

    public int Size => _slots.Length;

    /// <summary>The entry decoded here at <paramref name="position"/>, if its slot still holds it.</summary>
    public StoredEvent? At(long position)
    {
        var slot = Volatile.Read(ref _slots[position % _slots.Length]);
        return slot is not null && slot.Position == position ? slot.Event : null;
    }

    /// <summary>Keeps the entry read at <paramref name="position"/> (a committed row of the change log).</summary>
    public void Keep(long position, StoredEvent stored) =>
        Volatile.Write(ref _slots[position % _slots.Length], new Slot(position, stored));
}
