// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
// Labs use real network namespaces and measure time: one at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
