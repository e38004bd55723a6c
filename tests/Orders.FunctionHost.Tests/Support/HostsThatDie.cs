namespace Orders.FunctionHost.Tests.Support;

/// <summary>
/// The tests that kill hosts (crash recovery, scale-out) run one after the other, beside the journeys: each starts
/// one or two hosts, and four host start-ups at once on 2 cores took over two minutes on a busy machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostsThatDie
{
    public const string Name = "Hosts that die";
}
