package sparktrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sparktrain.config.ConfigKeys.Key;
import sparktrain.config.ConfigKeys.Range;

class ConfigKeysTest {

  @Test
  void everyKeyConstantIsInReferenceConf() throws Exception {
    Config reference = ConfigLoader.reference();
    List<Key> keys = constants();

    assertThat(keys)
        .allSatisfy(key -> assertThat(reference.hasPath(key.path())).as(key.path()).isTrue());
  }

  @Test
  void everyReferenceKeyHasAConstant() throws Exception {
    List<String> paths = constants().stream().map(Key::path).toList();

    assertThat(ConfigLoader.reference().entrySet())
        .allSatisfy(e -> assertThat(paths).contains(e.getKey()));
  }

  @Test
  void rangesDescribeAndContain() {
    assertThat(ConfigKeys.TRAINING_EPOCHS.range()).hasToString(">= 1");
    assertThat(ConfigKeys.UPDATER_LEARNING_RATE.range()).hasToString("> 0");
    assertThat(ConfigKeys.MODEL_DROPOUT.range()).hasToString("in [0, 1)");
    assertThat(Range.closedOpen(0, 1).contains(0)).isTrue();
    assertThat(Range.closedOpen(0, 1).contains(0.999)).isTrue();
    assertThat(Range.closedOpen(0, 1).contains(1)).isFalse();
    assertThat(Range.greaterThan(0).contains(0)).isFalse();
    assertThat(Range.atLeast(0.5)).hasToString(">= 0.5");
  }

  @Test
  void enumsParseKebabCaseSpellings() {
    assertThat(Activation.fromConfig("leaky-relu")).isEqualTo(Activation.LEAKY_RELU);
    assertThat(LossFunction.fromConfig("sparse-mcxent")).isEqualTo(LossFunction.SPARSE_MCXENT);
    assertThat(Normalization.fromConfig("image-scale")).isEqualTo(Normalization.IMAGE_SCALE);
    assertThat(InputType.fromConfig("feed-forward")).isEqualTo(InputType.FEED_FORWARD);
    assertThat(UpdaterType.RMSPROP.configName()).isEqualTo("rmsprop");
    for (Activation a : Activation.values()) {
      assertThat(Activation.fromConfig(a.configName())).isEqualTo(a);
    }
    assertThatThrownBy(() -> Activation.fromConfig("LEAKY_RELU"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'LEAKY_RELU'")
        .hasMessageContaining("relu, leaky-relu, sigmoid, tanh, softmax, identity");
  }

  /** The key constants, except the layer-entry keys (relative to a layer). */
  private static List<Key> constants() throws IllegalAccessException {
    List<Key> keys = new ArrayList<>();
    for (Field field : ConfigKeys.class.getFields()) {
      if (field.getType() == Key.class && !field.getName().startsWith("LAYER_")) {
        keys.add((Key) field.get(null));
      }
    }
    return keys;
  }
}
