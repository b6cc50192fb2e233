// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>
/// A listener's <c>tls</c> needs TCP. Checked once the whole listener is bound, because <c>protocol</c> may come
/// after <c>tls</c> in the object; the error points at <c>tls</c>.
/// </summary>
internal static class ListenerTlsRule
{
    public static void Check(BoundListener listener, FieldValue array)
    {
        var config = listener.Config;
        if (config.Protocol != ListenerProtocol.Udp || config.Tls == TlsListenerMode.Off)
        {
            return;
        }

        var mode = config.Tls == TlsListenerMode.Detect ? "detect" : "always";
        array.Diagnostics.Error(
            listener.Node.PositionOf("tls"),
            ConfigPath.Child(ConfigPath.Index(array.Path, listener.Index), "tls"),
            $"\"tls\": \"{mode}\" needs a TCP listener, and this one is UDP; remove \"tls\" or set it to \"off\"");
    }
}
