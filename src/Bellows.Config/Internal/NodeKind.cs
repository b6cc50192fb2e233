// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal enum NodeKind
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}
