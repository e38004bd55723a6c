using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orders.Api.Auth;
using Orders.Api.Endpoints;
using Orders.Api.Http;
using Orders.Application.Ports.Inbound;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;

namespace Orders.Api;

/// <summary>
/// Registration for hosts. <see cref="AddOrdersApi(IServiceCollection, Action{OrdersApiOptions}?)"/> adds the HTTP
/// adapter; <see cref="AddOrdersUseCases"/> the use cases it calls. The host adds the ports: IOrderStore,
/// IReadModelQueries, ISagaProgressReader(s), and optionally a TimeProvider and CommandOptions.
/// </summary>
public static class OrdersApiServiceCollectionExtensions
{
    /// <summary>The API with options bound from the configuration section <c>OrdersApi</c>.</summary>
    public static IServiceCollection AddOrdersApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OrdersApiOptions>().Bind(configuration.GetSection(OrdersApiOptions.SectionName));
        return services.AddOrdersApi();
    }

    public static IServiceCollection AddOrdersApi(this IServiceCollection services, Action<OrdersApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OrdersApiOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(o => o.MaxBodyBytes > 0, "OrdersApi:MaxBodyBytes must be positive.");

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InFlightRequests>();
        services.TryAddSingleton<ISagaAdmission, UnlimitedSagaAdmission>();
        services.TryAddSingleton<RequestBodyReader>();
        // Tried in this order; each answers only for its own header and only when enabled.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICallerResolver, AppServicePrincipalCallerResolver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICallerResolver, DevelopmentCallerResolver>());
        services.TryAddScoped<EndpointPipeline>();
        services.TryAddScoped<OrderCommandEndpoints>();
        services.TryAddScoped<OrderQueryEndpoints>();
        services.TryAddScoped<ImportEndpoints>();
        return services;
    }

    /// <summary>Every use case the API calls, the command runner and (unless the host set them) its options.</summary>
    public static IServiceCollection AddOrdersUseCases(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new CommandOptions());
        services.TryAddScoped<OrderCommandRunner>();
        services.TryAddScoped<CreateOrder>();
        services.TryAddScoped<ICreateOrderPort>(sp => sp.GetRequiredService<CreateOrder>());
        services.TryAddScoped<ConfirmOrder>();
        services.TryAddScoped<CancelOrder>();
        services.TryAddScoped<ICancelOrderPort>(sp => sp.GetRequiredService<CancelOrder>());
        services.TryAddScoped<SplitOrder>();
        services.TryAddScoped<MarkOrderPaid>();
        services.TryAddScoped<RecordShipment>();
        services.TryAddScoped<RecordDelivery>();
        services.TryAddScoped<RecordCashCollected>();
        services.TryAddScoped<InitiateRefund>();
        services.TryAddScoped<RecordRefund>();
        services.TryAddScoped<Orders.Application.Imports.ImportLegacyOrders>();
        services.TryAddScoped<CloseOrder>();
        services.TryAddScoped<ChangeShippingAddress>();
        services.TryAddScoped<Application.UseCases.Resolutions.RetrySaga>();
        services.TryAddScoped<Application.UseCases.Resolutions.ResolveLostParcel>();
        services.TryAddScoped<Application.UseCases.Resolutions.SettleRefund>();
        services.TryAddScoped<Application.UseCases.Resolutions.CancelStuckCheckout>();
        services.TryAddScoped<Application.UseCases.Resolutions.AcknowledgeStuck>();
        services.TryAddScoped<Application.UseCases.Resolutions.ReturnLateCapture>();
        services.TryAddScoped<Application.UseCases.Resolutions.ListStuckOrders>();
        services.TryAddScoped<GetOrder>();
        services.TryAddScoped<GetOrderHistory>();
        services.TryAddScoped<GetOrderStatus>();
        services.TryAddScoped<IOrderStatusPort>(sp => sp.GetRequiredService<GetOrderStatus>());
        return services;
    }
}
