package sparktrain.config;

import static sparktrain.config.ConfigKeys.KERAS_IMPORT_SHA256;
import static sparktrain.config.ConfigKeys.KERAS_IMPORT_SOURCE;
import static sparktrain.config.ConfigKeys.KERAS_IMPORT_VERSION;
import static sparktrain.config.ConfigKeys.KERAS_IMPORT_WEIGHTS;
import static sparktrain.config.ConfigKeys.KERAS_IMPORT_WEIGHTS_SHA256;
import static sparktrain.config.ConfigKeys.MODEL_KERAS;
import static sparktrain.config.ConfigKeys.MODEL_KERAS_LOSS;
import static sparktrain.config.ConfigKeys.MODEL_KERAS_WEIGHTS;
import static sparktrain.config.ConfigKeys.MODEL_LAYERS;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.keras.KerasImportException;
import sparktrain.keras.KerasModel;
import sparktrain.keras.KerasModelReader;

/**
 * Replaces {@code model.keras} by what it imports: {@code model.input} and {@code model.layers}
 * from the Keras file, the output loss ({@code model.keras-loss}, else the file's training config,
 * else by the output activation), the file's optimizer for the {@code model.updater} keys this
 * config leaves at their defaults, and {@code model.keras-import} (source, SHA-256, keras_version,
 * weights). {@code model.keras} and {@code model.keras-weights} are then blank, so the resolved
 * config (config.conf of a run, a checkpoint's manifest) parses again without the Keras file.
 */
final class KerasOverlay {

  private static final Logger LOG = LoggerFactory.getLogger(KerasOverlay.class);

  private KerasOverlay() {}

  /** {@code resolved} with the Keras model imported, or as it is when there is none. */
  static Config apply(Config resolved, List<String> problems) {
    ConfigReader in = new ConfigReader(resolved, "", resolved.root().origin(), problems);
    String path = in.string(MODEL_KERAS);
    String weights = in.string(MODEL_KERAS_WEIGHTS);
    String loss = in.string(MODEL_KERAS_LOSS);
    if (path.isBlank()) {
      if (!weights.isBlank()) {
        in.problem(MODEL_KERAS_WEIGHTS, "needs model.keras (the model these weights belong to)");
      }
      if (!loss.isBlank()) {
        in.problem(MODEL_KERAS_LOSS, "only used with model.keras");
      }
      return resolved;
    }
    int before = problems.size();
    for (String key : List.of(MODEL_LAYERS.path(), "model.input")) {
      if (setByUser(resolved, key)) {
        problems.add(
            key
                + " ("
                + ConfigReader.where(resolved.getValue(key).origin())
                + "): not used when model.keras is set (the Keras file gives the input and the"
                + " layers); remove it");
      }
    }
    KerasModel model;
    String weightsSha256 = "";
    try {
      model = KerasModelReader.read(path);
      if (!weights.isBlank()) {
        weightsSha256 = KerasModelReader.sha256(weights);
      }
    } catch (KerasImportException e) {
      in.problem(MODEL_KERAS, e.getMessage());
      return resolved;
    }
    if (problems.size() > before) {
      return resolved;
    }
    List<Map<String, Object>> layers = new ArrayList<>();
    model.layers().forEach(l -> layers.add(new LinkedHashMap<>(l)));
    String from = "the output activation " + model.outputActivation();
    String outputLoss = model.defaultLoss();
    if (!loss.isBlank()) {
      outputLoss = loss;
      from = MODEL_KERAS_LOSS.path();
    } else if (model.training() != null && model.training().loss() != null) {
      outputLoss = model.training().loss();
      from = "the file's training config";
    }
    layers.get(layers.size() - 1).put("loss", outputLoss);
    Map<String, Object> overlay = new LinkedHashMap<>();
    overlay.put("input", model.input());
    overlay.put("layers", layers);
    if (model.training() != null) {
      Map<String, Object> updater = new LinkedHashMap<>();
      model
          .training()
          .updater()
          .forEach(
              (key, value) -> {
                if (!setByUser(resolved, "model.updater." + key)) {
                  updater.put(key, value);
                }
              });
      if (!updater.isEmpty()) {
        overlay.put("updater", updater);
      }
      model
          .training()
          .ignored()
          .forEach(i -> LOG.warn("{}: training config: {} is not used", path, i));
    }
    overlay.put("keras", "");
    overlay.put("keras-weights", "");
    overlay.put("keras-loss", "");
    Map<String, Object> origin = new LinkedHashMap<>();
    origin.put(last(KERAS_IMPORT_SOURCE), path);
    origin.put(last(KERAS_IMPORT_SHA256), model.sha256());
    origin.put(last(KERAS_IMPORT_VERSION), model.kerasVersion());
    origin.put(last(KERAS_IMPORT_WEIGHTS), weights);
    origin.put(last(KERAS_IMPORT_WEIGHTS_SHA256), weightsSha256);
    overlay.put("keras-import", origin);
    LOG.info(
        "Imported Keras model {} (keras_version {}, SHA-256 {}): {} layers, loss {} (from {})",
        path,
        model.kerasVersion().isEmpty() ? "unknown" : model.kerasVersion(),
        model.sha256(),
        layers.size(),
        outputLoss,
        from);
    Config imported =
        ConfigFactory.empty()
            .withValue(
                "model",
                ConfigValueFactory.fromMap(overlay, "Keras model " + path + " (imported)"));
    return imported.withFallback(resolved).resolve();
  }

  /** The {@link KerasOrigin} recorded in a resolved config. */
  static KerasOrigin origin(Config resolved) {
    return new KerasOrigin(
        resolved.getString(KERAS_IMPORT_SOURCE.path()),
        resolved.getString(KERAS_IMPORT_SHA256.path()),
        resolved.getString(KERAS_IMPORT_VERSION.path()),
        resolved.getString(KERAS_IMPORT_WEIGHTS.path()),
        resolved.getString(KERAS_IMPORT_WEIGHTS_SHA256.path()));
  }

  private static String last(ConfigKeys.Key key) {
    return key.path().substring(key.path().lastIndexOf('.') + 1);
  }

  /** Whether a file or --set gave {@code path} (anywhere inside it, for a section). */
  private static boolean setByUser(Config config, String path) {
    if (!config.hasPath(path)) {
      return false;
    }
    var value = config.getValue(path);
    if (value instanceof com.typesafe.config.ConfigObject object) {
      return object.keySet().stream()
          .anyMatch(
              k -> setByUser(config, path + "." + com.typesafe.config.ConfigUtil.joinPath(k)));
    }
    var origin = value.origin();
    String source = origin.url() != null ? origin.url().toString() : origin.resource();
    return source == null || !source.endsWith(ConfigLoader.REFERENCE_RESOURCE);
  }
}
