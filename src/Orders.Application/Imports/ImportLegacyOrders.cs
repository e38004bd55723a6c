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

    /// <summary>Imports every line of a JSON-lines stream, one at a time (memory: one line), reporting each result.</summary>
    public async Task<Result<ImportSummary>> ImportStreamAsync(Stream input, RequestContext request, Func<ImportLineResult, ValueTask>? onResult = null,
        int maxLineBytes = JsonLines.DefaultMaxLineBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        if (!MayImport(request.Caller)) return ApplicationRejections.Forbidden("import orders");
        var summary = new ImportSummary();
        await foreach (var line in JsonLines.ReadAsync(input, maxLineBytes, cancellationToken).ConfigureAwait(false))
        {
            var result = line.TooLong
                ? ImportLineResult.Refused(line.Number, ImportCodes.LineTooLong, $"The line is longer than {maxLineBytes} bytes.")
                : await ImportLineAsync(line.Number, line.Bytes, request, cancellationToken).ConfigureAwait(false);
            summary.Add(result);
            if (onResult is not null) await onResult(result).ConfigureAwait(false);
        }
        return Result<ImportSummary>.Ok(summary);
    }

    /// <summary>Imports one line (the caller has checked <see cref="MayImport"/>).</summary>
    public async Task<ImportLineResult> ImportLineAsync(long number, ReadOnlyMemory<byte> line, RequestContext request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reading = LegacyOrderReader.Read(line.Span);
        if (!reading.IsValid) return ImportLineResult.Refused(number, reading.ErrorCode!, reading.Error!);
        var record = reading.Order!;
        var (system, sourceId) = (record.Source.System, record.Source.OrderId);

        OrderId orderId;
        try
        {
            orderId = LegacyOrderReplay.OrderIdOf(record.Source);
        }
        catch (DomainException invalid)
        {
            return ImportLineResult.Refused(number, ImportCodes.InvalidValue, invalid.Message, system, sourceId);
        }

        if (await AlreadyImportedAsync(number, record, orderId, reading.ContentHash!, cancellationToken).ConfigureAwait(false) is { } known)
            return known;

        var replay = LegacyOrderReplay.Replay(record);
        if (!replay.IsSuccess) return ImportLineResult.Refused(number, replay.Rejection!.Code, replay.Rejection.Message, system, sourceId);
        var order = replay.Value!;

        var receipt = ApplicationJson.Serialize(new CommandReceipt(order.Id, order.Status, order.Version, []));
        var importRecord = new IdempotencyRecord(order.Id, RecordId, reading.ContentHash!, receipt, request.Now, DateTimeOffset.MaxValue);
        if (await store.SaveAsync(order, importRecord, cancellationToken).ConfigureAwait(false) == SaveOutcome.Saved)
            return new ImportLineResult(number, ImportOutcomes.Imported, system, sourceId, order.Id.Value, Name(order.Status), null, null);

        // The id exists: the same source imported concurrently (its record answers now), or an order not imported from it.
        return await AlreadyImportedAsync(number, record, orderId, reading.ContentHash!, cancellationToken).ConfigureAwait(false)
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
