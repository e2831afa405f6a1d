package sparktrain.checkpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes epoch checkpoints off the training's critical path: {@link #submit} copies the network
 * (parameters, updater state, configuration with its counters) on the caller's thread, then a
 * background thread writes and publishes the copy through {@link CheckpointStore#write}, which
 * stays atomic: a checkpoint is complete or absent, and {@code LATEST} names it only once it is
 * complete. One write at a time: {@link #submit} and {@link #await} first wait for the previous
 * write and rethrow its failure, so a failed checkpoint fails the run at the next epoch's end at
 * the latest, and {@link #await} at the run's end makes its last checkpoint durable before the run
 * reports success.
 *
 * <p>Not thread-safe: one caller thread (the driver's epoch loop).
 */
public final class BackgroundCheckpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundCheckpoints.class);

  private final CheckpointStore store;
  private final ExecutorService writer;
  private Future<CheckpointInfo> pending;
  private String pendingName;

  /** A writer into {@code store}, with one daemon thread. */
  public BackgroundCheckpoints(CheckpointStore store) {
    this.store = store;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sparktrain-checkpoint-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Waits for the previous write (rethrowing its failure), copies {@code net}'s state now and
   * writes the copy in the background as {@link CheckpointStore#write} would.
   *
   * @return the name the checkpoint will have
   * @throws IOException when the previous write failed
   */
  public String submit(MultiLayerNetwork net, CheckpointMetadata meta, Map<String, byte[]> extra)
      throws IOException {
    await();
    MultiLayerNetwork copy = snapshot(net);
    String name = CheckpointStore.checkpointName(meta.epoch());
    pendingName = name;
    pending = writer.submit(() -> store.write(copy, meta, extra));
    return name;
  }

  /**
   * A copy of {@code net} that a later fit of {@code net} leaves alone: its parameters, updater
   * state (Adam's moments; {@link MultiLayerNetwork#clone} copies them once the updater exists, as
   * {@link org.deeplearning4j.util.ModelSerializer} would create it) and configuration, iteration
   * and epoch counters included.
   */
  static MultiLayerNetwork snapshot(MultiLayerNetwork net) {
    net.getUpdater(); // creates it when absent, as writing the model with its updater does
    return net.clone();
  }

  /**
   * Waits for the write in progress, if any.
   *
   * @return the published checkpoint, or empty when nothing was pending
   * @throws IOException the write's failure (an unchecked one is rethrown as it was)
   */
  public Optional<CheckpointInfo> await() throws IOException {
    if (pending == null) {
      return Optional.empty();
    }
    Future<CheckpointInfo> f = pending;
    String name = pendingName;
    pending = null;
    pendingName = null;
    try {
      return Optional.of(f.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // the write goes on; a later await or close cannot see it: wait for it at close
      pending = f;
      pendingName = name;
      InterruptedIOException io =
          new InterruptedIOException("interrupted while checkpoint " + name + " was written");
      io.initCause(e);
      throw io;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new IOException("cannot write checkpoint " + name + ": " + io.getMessage(), io);
      }
      if (cause instanceof UncheckedIOException u) {
        throw new IOException("cannot write checkpoint " + name + ": " + u.getMessage(), u);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException("cannot write checkpoint " + name, cause);
    }
  }

  /** The name of the checkpoint being written, or null. */
  public String pendingName() {
    return pendingName;
  }

  /**
   * Waits for a write still in progress (a failure is logged: the caller is failing already, or
   * awaited before) and stops the thread.
   */
  @Override
  public void close() {
    try {
      if (pending != null) {
        String name = pendingName;
        try {
          await();
        } catch (IOException | RuntimeException e) {
          LOG.warn("Checkpoint {} was not written: {}", name, e.toString());
        }
      }
    } finally {
      writer.shutdown();
    }
  }
}
