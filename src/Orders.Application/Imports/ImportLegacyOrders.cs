using Orders.Application.Access;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases;
using Orders.Contracts.Imports;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Imports;

/// <summary>
/// Imports legacy orders, one line at a time: read the line strictly, replay its history through the order aggregate
/// (<see cref="LegacyOrderReplay"/>), and save the order with all its entries and an import record in one store
/// transaction (<see cref="IOrderStore.SaveAsync"/>, the path every native command takes). A refused line writes
/// nothing. The import is idempotent on the source id: the order's id is derived from it, and the import record
/// (an idempotency record that never expires) holds the digest of what was imported, so the same line again
/// answers already-imported and a different line with the same source id is refused.
/// Only operators and the system (the console tool) may import.
/// </summary>
public sealed class ImportLegacyOrders(IOrderStore store)
{
    /// <summary>The import record's id, in the imported order's partition.</summary>
    public const string RecordId = "import-legacy-order-v1";

    public static bool MayImport(Caller caller) => caller?.Kind is ActorKind.Operator or ActorKind.System;

    /// <summary>Lines read, checked and replayed together before they are saved one by one (memory: at most this many lines).</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>
    /// Imports every line of a JSON-lines stream, reporting each result in line order. Lines are taken in batches of
    /// <paramref name="batchSize"/>: a batch is parsed and replayed in parallel (pure work on the domain) while the
    /// batch before it is saved line by line in file order, each order in its own transaction. Memory is bounded by
    /// three batches, whatever the stream's length.
    /// </summary>
    public async Task<Result<ImportSummary>> ImportStreamAsync(Stream input, RequestContext request, Func<ImportLineResult, ValueTask>? onResult = null,
        int maxLineBytes = JsonLines.DefaultMaxLineBytes, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!MayImport(request.Caller)) return ApplicationRejections.Forbidden("import orders");
        var summary = new ImportSummary();
        // Two stages overlap: while one batch is saved (one writer), the next is parsed and replayed (all cores).
        // At most three batches are alive: the one being filled, the one being replayed, the one being saved.
        var batch = new List<(long Number, byte[]? Bytes)>(batchSize);
        Task<Prepared[]>? preparing = null;
        await foreach (var line in JsonLines.ReadAsync(input, maxLineBytes, cancellationToken).ConfigureAwait(false))
        {
            // The reader reuses its buffer: a line kept for the batch is copied.
            batch.Add((line.Number, line.TooLong ? null : line.Bytes.ToArray()));
            if (batch.Count < batchSize) continue;
            var ready = preparing;
            preparing = PrepareAsync(batch, maxLineBytes, cancellationToken);
            batch = new List<(long Number, byte[]? Bytes)>(batchSize);
            if (ready is not null) await CommitAllAsync(await ready.ConfigureAwait(false), request, summary, onResult, cancellationToken).ConfigureAwait(false);
        }
        if (preparing is not null) await CommitAllAsync(await preparing.ConfigureAwait(false), request, summary, onResult, cancellationToken).ConfigureAwait(false);
        if (batch.Count > 0)
            await CommitAllAsync(await PrepareAsync(batch, maxLineBytes, cancellationToken).ConfigureAwait(false), request, summary, onResult, cancellationToken).ConfigureAwait(false);
        return Result<ImportSummary>.Ok(summary);
    }

    /// <summary>Imports one line (the caller has checked <see cref="MayImport"/>).</summary>
    public Task<ImportLineResult> ImportLineAsync(long number, ReadOnlyMemory<byte> line, RequestContext request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CommitAsync(Prepare(number, line.Span), request, cancellationToken);
    }

    private static Task<Prepared[]> PrepareAsync(List<(long Number, byte[]? Bytes)> batch, int maxLineBytes, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var prepared = new Prepared[batch.Count];
            Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                prepared[i] = batch[i].Bytes is { } bytes
                    ? Prepare(batch[i].Number, bytes)
                    : new Prepared(ImportLineResult.Refused(batch[i].Number, ImportCodes.LineTooLong, $"The line is longer than {maxLineBytes} bytes."), null, null, null));
            return prepared;
        }, cancellationToken);

    private async Task CommitAllAsync(Prepared[] prepared, RequestContext request, ImportSummary summary,
        Func<ImportLineResult, ValueTask>? onResult, CancellationToken cancellationToken)
    {
        foreach (var line in prepared)
        {
            var result = await CommitAsync(line, request, cancellationToken).ConfigureAwait(false);
            summary.Add(result);
            if (onResult is not null) await onResult(result).ConfigureAwait(false);
        }
    }

    /// <summary>What can be known about a line without the store: a refusal, or the record with its replayed order.</summary>
    private sealed record Prepared(ImportLineResult? Refusal, LegacyOrderV1? Record, string? ContentHash, Result<Domain.OrderAggregate.Order>? Replay)
    {
        public long Number { get; init; }
    }

    private static Prepared Prepare(long number, ReadOnlySpan<byte> line)
    {
        var reading = LegacyOrderReader.Read(line);
        if (!reading.IsValid) return new Prepared(ImportLineResult.Refused(number, reading.ErrorCode!, reading.Error!), null, null, null);
        var record = reading.Order!;
        try
        {
            LegacyOrderReplay.OrderIdOf(record.Source);
        }
        catch (DomainException invalid)
        {
            return new Prepared(ImportLineResult.Refused(number, ImportCodes.InvalidValue, invalid.Message, record.Source.System, record.Source.OrderId), null, null, null);
        }
        return new Prepared(null, record, reading.ContentHash, LegacyOrderReplay.Replay(record)) { Number = number };
    }

    private async Task<ImportLineResult> CommitAsync(Prepared line, RequestContext request, CancellationToken cancellationToken)
    {
        if (line.Refusal is not null) return line.Refusal;
        var (number, record, contentHash) = (line.Number, line.Record!, line.ContentHash!);
        var (system, sourceId) = (record.Source.System, record.Source.OrderId);
        var orderId = LegacyOrderReplay.OrderIdOf(record.Source);

        // Known first: the same line again is already imported even if the domain's rules have changed since.
        if (await AlreadyImportedAsync(number, record, orderId, contentHash, cancellationToken).ConfigureAwait(false) is { } known)
            return known;

        var replay = line.Replay!.Value;
        if (!replay.IsSuccess) return ImportLineResult.Refused(number, replay.Rejection!.Code, replay.Rejection.Message, system, sourceId);
        var order = replay.Value!;

        var receipt = ApplicationJson.Serialize(new CommandReceipt(order.Id, order.Status, order.Version, []));
        var importRecord = new IdempotencyRecord(order.Id, RecordId, contentHash, receipt, request.Now, DateTimeOffset.MaxValue);
        if (await store.SaveAsync(order, importRecord, cancellationToken).ConfigureAwait(false) == SaveOutcome.Saved)
            return new ImportLineResult(number, ImportOutcomes.Imported, system, sourceId, order.Id.Value, Name(order.Status), null, null);

        // The id exists: the same source imported concurrently (its record answers now), or an order not imported from it.
        return await AlreadyImportedAsync(number, record, orderId, contentHash, cancellationToken).ConfigureAwait(false)
            ?? ImportLineResult.Refused(number, ImportCodes.OrderIdTaken, $"Order {orderId} exists and was not imported from {system} {sourceId}.", system, sourceId);
    }

    private async Task<ImportLineResult?> AlreadyImportedAsync(long number, LegacyOrderV1 record, OrderId orderId, string contentHash, CancellationToken cancellationToken)
    {
        var existing = await store.FindIdempotencyRecordAsync(orderId, RecordId, cancellationToken).ConfigureAwait(false);
        if (existing is null) return null;
        var (system, sourceId) = (record.Source.System, record.Source.OrderId);
        if (existing.RequestHash != contentHash)
            return ImportLineResult.Refused(number, ImportCodes.SourceIdConflict,
                $"{system} order {sourceId} was imported before (as {orderId}) with different content; it is not changed.", system, sourceId);
        // No status: the order may have moved on since its import, and this answer does not read it.
        return new ImportLineResult(number, ImportOutcomes.AlreadyImported, system, sourceId, orderId.Value, null, null, null);
    }

    private static string Name(OrderStatus status) => status.ToString().ToUpperInvariant();
}
