package sparktrain.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training config of a whole-model Keras file ({@code model.save}): its loss and optimizer in
 * sparktrain's terms. What has no counterpart is left out and described in {@code ignored}.
 *
 * @param loss the sparktrain loss name, or null when the file's loss has none
 * @param updater {@code model.updater} keys (type, learning-rate, momentum, beta1, beta2, epsilon)
 * @param ignored one line per setting of the file that is not used
 */
public record KerasTrainingConfig(String loss, Map<String, Object> updater, List<String> ignored) {

  private static final Map<String, String> LOSSES =
      Map.of(
          "categorical_crossentropy", "mcxent",
          "sparse_categorical_crossentropy", "sparse-mcxent",
          "binary_crossentropy", "xent",
          "mean_squared_error", "mse",
          "mse", "mse",
          "mean_absolute_error", "mae",
          "mae", "mae",
          "hinge", "hinge");

  /** Reads Keras's {@code training_config} JSON. */
  static KerasTrainingConfig parse(JsonNode training) {
    List<String> ignored = new ArrayList<>();
    String loss = null;
    JsonNode lossNode = training.path("loss");
    String kerasLoss =
        lossNode.isTextual()
            ? lossNode.asText()
            : lossNode.isObject() ? snake(lossNode.path("class_name").asText()) : "";
    if (!kerasLoss.isEmpty()) {
      loss = LOSSES.get(kerasLoss);
      if (loss == null) {
        ignored.add("loss " + kerasLoss + " (no sparktrain counterpart)");
      }
    }
    Map<String, Object> updater = new LinkedHashMap<>();
    JsonNode optimizer = training.path("optimizer_config");
    String name = optimizer.path("class_name").asText("");
    JsonNode config = optimizer.path("config");
    JsonNode lr = config.has("learning_rate") ? config.get("learning_rate") : config.path("lr");
    switch (name.toLowerCase(Locale.ROOT)) {
      case "sgd" -> {
        double momentum = config.path("momentum").asDouble(0);
        if (momentum > 0) {
          updater.put("type", config.path("nesterov").asBoolean(false) ? "nesterov" : "momentum");
          updater.put("momentum", momentum);
        } else {
          updater.put("type", "sgd");
        }
      }
      case "adam" -> {
        updater.put("type", "adam");
        putNumber(updater, "beta1", config.path("beta_1"));
        putNumber(updater, "beta2", config.path("beta_2"));
        putNumber(updater, "epsilon", config.path("epsilon"));
        if (config.path("amsgrad").asBoolean(false)) {
          ignored.add("Adam's amsgrad");
        }
      }
      case "rmsprop" -> {
        updater.put("type", "rmsprop");
        putNumber(updater, "epsilon", config.path("epsilon"));
      }
      case "" -> {}
      default -> ignored.add("optimizer " + name + " (no sparktrain counterpart)");
    }
    if (!updater.isEmpty()) {
      putNumber(updater, "learning-rate", lr);
      if (config.path("decay").asDouble(0) > 0) {
        ignored.add("the optimizer's decay " + config.get("decay").asDouble());
      }
    }
    return new KerasTrainingConfig(loss, updater, List.copyOf(ignored));
  }

  private static void putNumber(Map<String, Object> updater, String key, JsonNode value) {
    if (value.isNumber() && value.asDouble() > 0) {
      updater.put(key, value.asDouble());
    }
  }

  /** CategoricalCrossentropy → categorical_crossentropy. */
  private static String snake(String className) {
    return className.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
