using Microsoft.AspNetCore.Http;

namespace Orders.Api.Auth;

/// <summary>Finds who is calling from a request's credentials. Resolvers are tried in registration order.</summary>
public interface ICallerResolver
{
    CallerResolution Resolve(HttpRequest request);
}
