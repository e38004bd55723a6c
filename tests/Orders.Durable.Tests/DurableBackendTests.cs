using Orders.Infrastructure.Durable;

namespace Orders.Durable.Tests;

/// <summary>Choosing the backend from settings (no storage needed).</summary>
public sealed class DurableBackendTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", "Anything")]
    [InlineData("   ", "")]
    public void NoConnectionString_MeansTheInMemoryEngine(string? connectionString, string? taskHub)
    {
        var backend = DurableBackend.FromSettings(connectionString, taskHub);
        Assert.Same(DurableBackend.InMemory, backend);
        Assert.False(backend.IsAzureStorage);
    }

    [Fact]
    public void AConnectionString_MeansAzureStorage_OnTheDefaultTaskHubUnlessOneIsGiven()
    {
        var local = DurableBackend.FromSettings("UseDevelopmentStorage=true", "");
        Assert.True(local.IsAzureStorage);
        Assert.Equal("OrdersLocal", local.TaskHubName);
        Assert.Equal("Orders2", DurableBackend.FromSettings("UseDevelopmentStorage=true", " Orders2 ").TaskHubName);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1orders")]
    [InlineData("orders-local")]
    [InlineData("orders_local")]
    [InlineData("a234567890123456789012345678901234567890123456")] // 46 characters
    public void AnInvalidTaskHubName_IsRefusedWithTheRule(string taskHub)
    {
        var e = Assert.Throws<ArgumentException>(() => DurableBackend.FromSettings("UseDevelopmentStorage=true", taskHub));
        Assert.Contains("3–45 letters and digits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItsDescription_NeverShowsTheConnectionString()
    {
        var backend = DurableBackend.AzureStorage("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0", "Orders");
        Assert.DoesNotContain("AccountKey", backend.ToString(), StringComparison.Ordinal);
        Assert.Equal("Azure Storage (task hub Orders)", backend.ToString());
        Assert.Equal("in memory", DurableBackend.InMemory.ToString());
    }
}
