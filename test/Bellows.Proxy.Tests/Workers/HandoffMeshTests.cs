// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Workers;

namespace Bellows.Proxy.Tests.Workers;

public class HandoffMeshTests
{
    [Fact]
    public async Task Mesh_EachAcceptorWorkerPair_HasItsOwnChannel()
    {
        var mesh = new HandoffMesh<(int From, int To)>(3, 2, capacity: 4);
        for (int i = 0; i < 3; i++)
        {
            var writers = mesh.WritersOf(i);
            Assert.Equal(2, writers.Length);
            for (int j = 0; j < 2; j++)
            {
                Assert.True(writers[j].TryWrite((i, j)));
            }
        }

        for (int j = 0; j < 2; j++)
        {
            var readers = mesh.ReadersOf(j);
            Assert.Equal(3, readers.Length);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal((i, j), await readers[i].ReadAsync());
                Assert.False(readers[i].TryRead(out _));
            }
        }
    }

    [Fact]
    public void Mesh_FullChannel_RefusesWrite()
    {
        var mesh = new HandoffMesh<int>(1, 1, capacity: 2);
        var w = mesh.WritersOf(0)[0];
        Assert.True(w.TryWrite(1));
        Assert.True(w.TryWrite(2));
        Assert.False(w.TryWrite(3));
    }

    [Fact]
    public async Task Mesh_Write_RunsTheWaitingReaderOnTheWritersThread()
    {
        // A worker waiting on its inbox starts the session inside the acceptor's write: no thread-pool hop.
        var mesh = new HandoffMesh<int>(1, 1, capacity: 4);
        var waiting = mesh.ReadersOf(0)[0].WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        int readerThread = 0;
        var reader = waiting.ContinueWith(
            _ => readerThread = Environment.CurrentManagedThreadId, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var (writerThread, ranInsideWrite) = await Task.Run(() =>
        {
            Assert.True(mesh.WritersOf(0)[0].TryWrite(7));
            return (Environment.CurrentManagedThreadId, reader.IsCompleted);
        });

        Assert.True(ranInsideWrite);
        Assert.Equal(writerThread, readerThread);
        await reader;
    }
}
