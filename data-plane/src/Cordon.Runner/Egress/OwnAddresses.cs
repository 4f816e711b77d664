using System.Net;
using System.Net.NetworkInformation;

namespace Cordon.Runner.Egress;

/// <summary>
/// The unicast addresses of the runner's interfaces, the default for <see cref="AddressGuard"/>'s own-address check.
/// Read at most every few seconds: enumerating interfaces costs a netlink round trip, and a connection asks once.
/// </summary>
internal sealed class OwnAddresses(TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private IReadOnlyCollection<IPAddress> _addresses = [];
    private long _readAt = long.MinValue;

    public IReadOnlyCollection<IPAddress> Current()
    {
        lock (_lock)
        {
            if (_readAt == long.MinValue || time.GetElapsedTime(_readAt) > MaxAge)
            {
                _addresses = [.. NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
                    .Select(unicast => unicast.Address)];
                _readAt = time.GetTimestamp();
            }

            return _addresses;
        }
    }
}
