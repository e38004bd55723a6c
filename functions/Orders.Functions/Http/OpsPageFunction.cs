using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orders.Api;

namespace Orders.Functions.Http;

/// <summary>GET /api/ops/: the operations page's static files (<see cref="OpsPage"/>); the page itself calls the API under /api.</summary>
public static class OpsPageFunction
{
    [Function(OpsPage.FunctionName)]
    public static async Task<IActionResult> GetOpsPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpsPage.FunctionRoute)] HttpRequest req, string? file)
    {
        ArgumentNullException.ThrowIfNull(req);
        await OpsPage.ServeAsync(req.HttpContext, file).ConfigureAwait(false);
        return new EmptyResult();
    }
}
