using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases.Commands;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.UseCases;

public sealed class CancellationCompensatorTests : IDisposable
{
    private readonly Harness _h = new();
    private readonly RecordingGateways _gateways = new();

    private CancellationCompensator Compensator => new(_h.Log, _h.Store, _gateways, _gateways);

    [Fact]
    public async Task CancellingAConfirmedOrder_ReleasesItsStock_AndVoidsItsAuthorisation_WithTheCheckoutSagasKeys()
    {
        var id = await _h.CreatedAsync();
        await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga));
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "changed my mind"), Request(Buyer));

        Assert.Equal(3, await Compensator.RunOnceAsync(100));

        var release = Assert.Single(_gateways.Releases);
        Assert.Equal(("res-1", $"{SagaNames.CheckoutId(id)}:release"), (release.ReservationId, release.IdempotencyKey));
        var voided = Assert.Single(_gateways.Voids);
        Assert.Equal(("auth-1", $"{SagaNames.CheckoutId(id)}:void"), (voided.AuthorizationId, voided.IdempotencyKey));
    }

    [Fact]
    public async Task EachCancellationIsCompensatedOnce_AndOtherFactsNotAtAll()
    {
        var cod = await _h.CreatedAsync("key-cod", OrderType.CashOnDelivery);
        var paid = await _h.PaidAsync("key-paid");
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(cod, "no longer needed"), Request(Buyer));

        await Compensator.RunOnceAsync(100);
        await Compensator.RunOnceAsync(100);

        Assert.Equal([cod], _gateways.Releases.Select(r => r.OrderId));
        Assert.Empty(_gateways.Voids); // a cash-on-delivery order has no authorisation to void
        Assert.DoesNotContain(paid, _gateways.Releases.Select(r => r.OrderId));
    }

    public void Dispose() => _h.Dispose();

    private sealed class RecordingGateways : IInventoryPort, IPaymentsPort
    {
        public List<ReleaseStock> Releases { get; } = [];
        public List<VoidPayment> Voids { get; } = [];

        public Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default)
        {
            Releases.Add(request);
            return Task.CompletedTask;
        }

        public Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default)
        {
            Voids.Add(request);
            return Task.CompletedTask;
        }

        public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
