using Orders.Api.Problems;

namespace Orders.Api.Tests.Support;

public static class ProblemAssert
{
    /// <summary>An RFC 9457 problem with the status, type and code of <paramref name="code"/>, for the request's path.</summary>
    public static void Is(int status, string code, Reply reply)
    {
        Assert.True(reply.Status == status, $"Expected {status} {code}, got {reply}");
        Assert.Equal(ProblemWriter.ContentType, reply.MediaType);
        var json = reply.Json;
        Assert.Equal(ProblemType.BaseUri + code, json.GetProperty("type").GetString());
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()));
        Assert.Equal(reply.Message.RequestMessage!.RequestUri!.AbsolutePath, json.GetProperty("instance").GetString());
    }
}
