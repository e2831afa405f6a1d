/**
 * Collectives of the barrier training engine: the element-wise mean of float arrays over a fixed
 * group of ranks, without Spark's scheduler ({@code BarrierTaskContext.barrier()} and {@code
 * allGather()} poll once a second, see {@code BarrierSync}).
 *
 * <ul>
 *   <li>{@link sparktrain.train.collective.RingAllreduce}: ranks in any JVMs, over TCP. Each rank
 *       {@code listen}s, the addresses are exchanged once per stage (e.g. {@code allGather}), then
 *       each rank connects to its ring neighbours. A mean is a reduce-scatter then an all-gather:
 *       2(N-1) steps of S/N bytes per rank, about 2S/B + 2(N-1) latencies.
 *   <li>{@link sparktrain.train.collective.LocalAllreduce}: ranks that are threads of one JVM
 *       (Spark {@code local[N]}, or tasks of one executor), through memory: one pass over the
 *       arrays, no copies beyond writing the result.
 * </ul>
 *
 * <p>Security: with a {@link sparktrain.train.collective.RingAuth} (the key of one stage attempt of
 * one run), every ring connection is mutually authenticated before any float is read ({@code
 * RingHandshake}: HMAC-SHA256 challenge-response with fresh nonces from both ends and role labels)
 * and every frame is sealed with AES-GCM under a key of its own per connection, its frame number as
 * nonce ({@code FrameCipher}); a stranger's connection is closed and the listener goes on waiting
 * for the real peer. Without one, the ring is as it was: plain floats.
 *
 * <p>Numerics: sums in float, then one division by N; each element of the result is computed by
 * exactly one rank (its chunk) and copied to the others, so all ranks end bit-identical. The ring
 * sums chunk c in ring order starting at rank c, the local group in rank order; the two
 * implementations can differ in the last bits, each is deterministic for a given group size.
 *
 * <p>Failures: every wait is bounded by the group's timeout (of progress, per blocking read or
 * write in the ring; per barrier in the local group) and checks the thread's interrupt flag and an
 * optional cancellation check every 100 ms. The first failure of a rank (timeout, interruption,
 * mismatched length or call count, {@code close()} while others wait) fails the whole group: the
 * ring's failed rank closes its sockets, which its neighbours see at once, and so on around the
 * ring; the local group marks itself failed and wakes every waiter. Every later call throws.
 * Messages name the rank, the peer and its address.
 */
package sparktrain.train.collective;
