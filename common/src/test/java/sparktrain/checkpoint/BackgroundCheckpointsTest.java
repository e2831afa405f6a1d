package sparktrain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints written in the background: what is published is the network as it was when the
 * checkpoint was submitted (the caller goes on training it), complete or absent; a failed write
 * surfaces at the next submit or await and leaves {@code LATEST} where it was.
 */
class BackgroundCheckpointsTest extends CheckpointTestBase {

  @Test
  void publishesTheNetworkAsSubmittedWhileTheCallerChangesIt() throws IOException {
    MultiLayerNetwork training = net.clone();
    training.getLayerWiseConfigurations().setIterationCount(30);
    INDArray params = training.params().dup();
    INDArray updater = TinyNetworks.updaterState(training).dup();
    CheckpointStore store = store(3);
    try (BackgroundCheckpoints writer = new BackgroundCheckpoints(store)) {
      String name = writer.submit(training, TinyNetworks.meta(1, "run", null), Map.of());
      assertThat(name).isEqualTo("epoch-0001");
      // the next epoch trains on
      training.setParameters(otherNet.params());
      TinyNetworks.updaterState(training).assign(7);
      training.getLayerWiseConfigurations().setIterationCount(60);

      CheckpointInfo info = writer.await().orElseThrow();
      assertThat(info.name()).isEqualTo("epoch-0001");
      assertThat(writer.await()).as("nothing pending any more").isEmpty();
    }
    assertThat(store.latestName()).contains("epoch-0001");
    MultiLayerNetwork loaded = store.load("epoch-0001").network();
    assertThat(loaded.params()).isEqualTo(params);
    assertThat(TinyNetworks.updaterState(loaded)).isEqualTo(updater);
    assertThat(loaded.getLayerWiseConfigurations().getIterationCount()).isEqualTo(30);
  }

  @Test
  void aFailedWriteSurfacesAtTheNextSubmitAndPublishesNothing() throws IOException {
    AtomicInteger writes = new AtomicInteger();
    // the store checks its guard before writing and again before publishing: fail epoch 2's
    CheckpointStore store =
        store(3)
            .withGuard(
                () -> {
                  if (writes.incrementAndGet() > 2) {
                    throw new IOException("lease lost");
                  }
                });
    try (BackgroundCheckpoints writer = new BackgroundCheckpoints(store)) {
      writer.submit(net, TinyNetworks.meta(1, "run", null), Map.of());
      writer.submit(net, TinyNetworks.meta(2, "run", "epoch-0001"), Map.of());
      assertThatThrownBy(
              () -> writer.submit(net, TinyNetworks.meta(3, "run", "epoch-0002"), Map.of()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("epoch-0002")
          .hasMessageContaining("lease lost");
      assertThat(writer.pendingName()).as("epoch 3 was not submitted").isNull();
    }
    assertThat(store.latestName()).contains("epoch-0001");
    assertThat(store.list()).containsExactly("epoch-0001");
  }

  @Test
  void closeWaitsForTheWriteInProgress() throws IOException {
    CheckpointStore store = store(3);
    MultiLayerNetwork big = net.clone();
    try (BackgroundCheckpoints writer = new BackgroundCheckpoints(store)) {
      writer.submit(big, TinyNetworks.meta(1, "run", null), Map.of("extra.bin", new byte[1 << 20]));
    }
    assertThat(store.latestName()).contains("epoch-0001");
    assertThat(store.load("epoch-0001").network().params()).isEqualTo(big.params());
  }
}
