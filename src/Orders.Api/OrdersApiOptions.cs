namespace Orders.Api;

/// <summary>The HTTP adapter's settings (configuration section <c>OrdersApi</c>).</summary>
public sealed class OrdersApiOptions
{
    public const string SectionName = "OrdersApi";

    /// <summary>Largest request body accepted; larger ones are refused with request.body-too-large.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest body of a legacy-order import request (POST /api/imports/legacy-orders); bulk files use the console.</summary>
    public int MaxImportBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Trust App Service authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header. Only where the platform sets it (Easy
    /// Auth on, which strips client-sent copies): anywhere else a client could forge it. The function app enables it.
    /// </summary>
    public bool TrustAppServicePrincipal { get; set; }

    /// <summary>Accept <c>X-Dev-Caller: buyer:buyer-1</c> (local runs and tests only; never in Azure).</summary>
    public bool DevelopmentAuthentication { get; set; }
}
