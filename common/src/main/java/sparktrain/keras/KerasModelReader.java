package sparktrain.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;

/**
 * Reads a Keras Sequential model, from {@code model.to_json()} output or a whole-model {@code .h5}
 * ({@code model.save}), and translates its layers into sparktrain {@code model.layers} entries.
 *
 * <p>Accepts the three JSON layouts Keras has written: 2.0.x ({@code config} is the list of
 * layers), tf.keras 2.3 ({@code config} is {@code {name, layers}}) and 2.4+ (an explicit {@code
 * InputLayer} first). Layers: InputLayer, Dense, Dropout, Conv2D, MaxPooling2D, AveragePooling2D,
 * Flatten, Activation (folded into the layer before it), BatchNormalization. The translated model
 * is also handed to DL4J's {@link KerasModelImport}, so a file DL4J cannot import fails here,
 * before any work, with DL4J's reason.
 */
public final class KerasModelReader {

  /** The Keras layer classes sparktrain imports. */
  public static final List<String> SUPPORTED =
      List.of(
          "InputLayer",
          "Dense",
          "Dropout",
          "Conv2D",
          "MaxPooling2D",
          "AveragePooling2D",
          "Flatten",
          "Activation",
          "BatchNormalization");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> ACTIVATIONS =
      Map.of(
          "relu", "relu",
          "sigmoid", "sigmoid",
          "tanh", "tanh",
          "softmax", "softmax",
          "linear", "identity");

  private KerasModelReader() {}

  /** Reads and translates the model at {@code path} (any Hadoop FS path). */
  public static KerasModel read(String path) {
    KerasFile file = KerasFile.read(path);
    String modelJson;
    String trainingJson = null;
    String version = "";
    if (file.isHdf5()) {
      Path local = null;
      try {
        local = file.localCopy(".h5");
        synchronized (Hdf5Archive.LOCK_OBJECT) {
          try (Hdf5Archive h5 = new Hdf5Archive(local.toString())) {
            if (!h5.hasAttribute("model_config")) {
              throw new KerasImportException(
                  path
                      + ": an HDF5 file without a model_config (a weights file from"
                      + " save_weights?): give the architecture (model.to_json() output or a"
                      + " model.save file) as model.keras and this file as model.keras-weights");
            }
            modelJson = h5.readAttributeAsJson("model_config");
            if (h5.hasAttribute("training_config")) {
              trainingJson = h5.readAttributeAsJson("training_config");
            }
            if (h5.hasAttribute("keras_version")) {
              version = h5.readAttributeAsString("keras_version");
            }
          }
        }
      } catch (KerasImportException e) {
        throw e;
      } catch (Exception e) {
        throw new KerasImportException(path + ": cannot read it as a Keras HDF5 file: " + e, e);
      } finally {
        deleteQuietly(local);
      }
    } else {
      modelJson = new String(file.bytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    JsonNode root = parse(path, modelJson, "the model JSON");
    if (version.isEmpty()) {
      version = root.path("keras_version").asText("");
    }
    KerasTrainingConfig training =
        trainingJson == null
            ? null
            : KerasTrainingConfig.parse(parse(path, trainingJson, "the training config"));
    return translate(file, root, version, training);
  }

  /** SHA-256 of the file at {@code path} (any Hadoop FS path). */
  public static String sha256(String path) {
    return KerasFile.read(path).sha256();
  }

  private static KerasModel translate(
      KerasFile file, JsonNode root, String version, KerasTrainingConfig training) {
    String path = file.path();
    String modelClass = root.path("class_name").asText("");
    if (!modelClass.equals("Sequential")) {
      throw new KerasImportException(
          path
              + ": a Keras "
              + (modelClass.isEmpty() ? "file without class_name" : modelClass + " model")
              + "; only Sequential models are supported");
    }
    JsonNode config = root.path("config");
    JsonNode layerList = config.isArray() ? config : config.path("layers");
    if (!layerList.isArray() || layerList.isEmpty()) {
      throw new KerasImportException(path + ": the Sequential model has no layers");
    }
    List<JsonNode> layers = new ArrayList<>();
    layerList.forEach(layers::add);
    JsonNode inputShape = null;
    if (layers.get(0).path("class_name").asText().equals("InputLayer")) {
      inputShape = shape(layers.remove(0).path("config"));
    }
    if (layers.isEmpty()) {
      throw new KerasImportException(path + ": the Sequential model has no layers");
    }
    if (inputShape == null) {
      inputShape = shape(layers.get(0).path("config"));
    }
    if (inputShape == null) {
      throw new KerasImportException(
          path
              + ": no input shape (batch_input_shape of the first layer or an InputLayer): build the"
              + " model with an input shape before model.to_json()");
    }
    Translation t = new Translation(path);
    Map<String, Object> input = t.input(inputShape);
    for (JsonNode layer : layers) {
      t.layer(layer);
    }
    String outputActivation = t.finish();
    String dl4jJson = dl4jJson(root, layers, inputShape);
    checkWithDl4j(path, dl4jJson);
    return new KerasModel(
        path, file.sha256(), version, input, t.entries, outputActivation, dl4jJson, training);
  }

  /** The 2.0.x layout DL4J reads: a list of layers, the input shape on the first. */
  private static String dl4jJson(JsonNode root, List<JsonNode> layers, JsonNode inputShape) {
    ObjectNode out = JSON.createObjectNode();
    out.put("class_name", "Sequential");
    ArrayNode list = out.putArray("config");
    for (int i = 0; i < layers.size(); i++) {
      ObjectNode layer = layers.get(i).deepCopy();
      ObjectNode cfg = (ObjectNode) layer.path("config");
      if (i == 0) {
        cfg.remove("batch_shape");
        cfg.set("batch_input_shape", inputShape);
      }
      list.add(layer);
    }
    out.put("keras_version", root.path("keras_version").asText("2.0.0"));
    out.put("backend", root.path("backend").asText("tensorflow"));
    return out.toString();
  }

  /** Lets DL4J's importer read the model; its refusal is the user's error. */
  private static void checkWithDl4j(String path, String json) {
    Path local = null;
    try {
      local = Files.createTempFile("sparktrain-keras-", ".json");
      Files.writeString(local, json);
      KerasModelImport.importKerasSequentialConfiguration(local.toString(), false);
    } catch (IOException e) {
      throw new KerasImportException(path + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new KerasImportException(
          path + ": DL4J's Keras import refuses it: " + e.getMessage(), e);
    } finally {
      deleteQuietly(local);
    }
  }

  private static JsonNode shape(JsonNode layerConfig) {
    JsonNode shape = layerConfig.get("batch_input_shape");
    if (shape == null || shape.isNull()) {
      shape = layerConfig.get("batch_shape");
    }
    return shape == null || shape.isNull() ? null : shape;
  }

  private static JsonNode parse(String path, String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new KerasImportException(
          path + ": " + what + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  static void deleteQuietly(Path local) {
    if (local != null) {
      try {
        Files.deleteIfExists(local);
      } catch (IOException ignored) {
        // a temporary file; the JVM's temp directory is cleaned elsewhere
      }
    }
  }

  /** The layer-by-layer translation, remembering what the next layer needs to know. */
  private static final class Translation {
    private final String path;
    private final List<Map<String, Object>> entries = new ArrayList<>();
    private String lastName = "";
    private String lastClass = "";

    Translation(String path) {
      this.path = path;
    }

    Map<String, Object> input(JsonNode shape) {
      Map<String, Object> input = new LinkedHashMap<>();
      if (shape.size() == 2 && shape.get(1).isInt()) {
        input.put("type", "feed-forward");
        input.put("size", shape.get(1).asInt());
      } else if (shape.size() == 4 && shape.get(1).isInt()) {
        input.put("type", "image");
        input.put("height", shape.get(1).asInt());
        input.put("width", shape.get(2).asInt());
        input.put("channels", shape.get(3).asInt());
      } else {
        throw new KerasImportException(
            path + ": input shape " + shape + " is neither [None, n] nor [None, h, w, c]");
      }
      return input;
    }

    void layer(JsonNode layer) {
      String cls = layer.path("class_name").asText("");
      JsonNode c = layer.path("config");
      String name = c.path("name").asText("?");
      lastName = name;
      lastClass = cls;
      switch (cls) {
        case "Dense" -> {
          Map<String, Object> e = entry("dense");
          e.put("units", positive(c, "units", name, cls));
          e.put("activation", activation(c, name, cls));
          weights(e, c, name, cls);
          entries.add(e);
        }
        case "Dropout" -> {
          double rate = c.path("rate").asDouble(0);
          if (rate > 0) {
            Map<String, Object> e = entry("dropout");
            e.put("dropout", rate);
            entries.add(e);
          }
        }
        case "Conv2D", "Convolution2D" -> {
          dataFormat(c, name, cls);
          if (!allOnes(c.path("dilation_rate"))) {
            throw unsupported(name, cls, "dilation_rate " + c.path("dilation_rate"));
          }
          Map<String, Object> e = entry("convolution");
          e.put("filters", positive(c, "filters", name, cls));
          e.put("kernel", pair(c.path("kernel_size"), name, cls));
          e.put("stride", pair(c.path("strides"), name, cls));
          e.put("convolution-mode", padding(c, name, cls));
          e.put("activation", activation(c, name, cls));
          weights(e, c, name, cls);
          entries.add(e);
        }
        case "MaxPooling2D", "AveragePooling2D" -> {
          dataFormat(c, name, cls);
          Map<String, Object> e = entry("subsampling");
          e.put("pooling", cls.startsWith("Max") ? "max" : "avg");
          List<Integer> pool = pair(c.path("pool_size"), name, cls);
          e.put("kernel", pool);
          JsonNode strides = c.path("strides");
          e.put(
              "stride",
              strides.isNull() || strides.isMissingNode() ? pool : pair(strides, name, cls));
          e.put("convolution-mode", padding(c, name, cls));
          entries.add(e);
        }
        case "Flatten" -> {
          // DL4J flattens before the first dense layer after an image layer by itself.
        }
        case "BatchNormalization" -> {
          Map<String, Object> e = entry("batch-norm");
          e.put("activation", "identity");
          entries.add(e);
        }
        case "Activation" -> {
          String activation = activation(c, name, cls);
          Map<String, Object> previous = entries.isEmpty() ? null : entries.get(entries.size() - 1);
          if (previous == null || !"identity".equals(previous.get("activation"))) {
            throw unsupported(
                name,
                cls,
                "an Activation layer must follow a Dense, Conv2D or BatchNormalization layer"
                    + " with a linear activation");
          }
          previous.put("activation", activation);
        }
        default ->
            throw new KerasImportException(
                path
                    + ": layer '"
                    + name
                    + "' (class "
                    + cls
                    + ") cannot be imported: sparktrain imports "
                    + String.join(", ", SUPPORTED));
      }
    }

    /** Turns the last Dense layer into the output layer; returns its activation. */
    String finish() {
      Map<String, Object> last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      if (last == null || !"dense".equals(last.get("type"))) {
        throw new KerasImportException(
            path
                + ": the last layer ('"
                + lastName
                + "', class "
                + lastClass
                + ") must be a Dense layer (the output layer)");
      }
      last.put("type", "output");
      return (String) last.get("activation");
    }

    private static Map<String, Object> entry(String type) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", type);
      return e;
    }

    private void weights(Map<String, Object> e, JsonNode c, String name, String cls) {
      if (!c.path("use_bias").asBoolean(true)) {
        throw unsupported(name, cls, "use_bias = False (sparktrain's layers always have a bias)");
      }
      e.put("weight-init", initializer(c.path("kernel_initializer")));
      JsonNode reg = c.path("kernel_regularizer").path("config");
      double l1 = reg.path("l1").asDouble(0);
      double l2 = reg.path("l2").asDouble(0);
      if (l1 > 0) {
        e.put("l1", l1);
      }
      if (l2 > 0) {
        e.put("l2", l2);
      }
    }

    /** The nearest sparktrain weight init: Glorot → xavier, He → relu. */
    private static String initializer(JsonNode init) {
      String cls = init.path("class_name").asText(init.asText("")).toLowerCase();
      JsonNode c = init.path("config");
      if (cls.contains("he") && !cls.contains("lecun")) {
        return "relu";
      }
      if (cls.equals("variancescaling")) {
        return c.path("scale").asDouble(1) >= 2 ? "relu" : "xavier";
      }
      if (cls.equals("zeros")) {
        return "zero";
      }
      if (cls.contains("randomnormal") || cls.contains("truncatednormal")) {
        return "normal";
      }
      if (cls.contains("randomuniform")) {
        return "uniform";
      }
      return "xavier";
    }

    private String activation(JsonNode c, String name, String cls) {
      String keras = c.path("activation").asText("linear");
      String mapped = ACTIVATIONS.get(keras);
      if (mapped == null) {
        throw unsupported(
            name, cls, "activation '" + keras + "' (supported: " + ACTIVATIONS.keySet() + ")");
      }
      return mapped;
    }

    private void dataFormat(JsonNode c, String name, String cls) {
      String format = c.path("data_format").asText("channels_last");
      if (!format.equals("channels_last")) {
        throw unsupported(name, cls, "data_format " + format + " (supported: channels_last)");
      }
    }

    private String padding(JsonNode c, String name, String cls) {
      String padding = c.path("padding").asText("valid");
      return switch (padding) {
        case "valid" -> "truncate";
        case "same" -> "same";
        default -> throw unsupported(name, cls, "padding '" + padding + "'");
      };
    }

    private int positive(JsonNode c, String key, String name, String cls) {
      int value = c.path(key).asInt(0);
      if (value < 1) {
        throw unsupported(name, cls, key + " " + c.path(key));
      }
      return value;
    }

    private List<Integer> pair(JsonNode node, String name, String cls) {
      if (node.isInt()) {
        return List.of(node.asInt(), node.asInt());
      }
      if (node.isArray() && node.size() == 2 && node.get(0).isInt() && node.get(1).isInt()) {
        return List.of(node.get(0).asInt(), node.get(1).asInt());
      }
      throw unsupported(name, cls, "a window of " + node + " (expected two integers)");
    }

    private static boolean allOnes(JsonNode node) {
      if (node.isMissingNode() || node.isNull()) {
        return true;
      }
      if (node.isInt()) {
        return node.asInt() == 1;
      }
      for (JsonNode n : node) {
        if (n.asInt() != 1) {
          return false;
        }
      }
      return true;
    }

    private KerasImportException unsupported(String name, String cls, String what) {
      return new KerasImportException(
          path + ": layer '" + name + "' (class " + cls + ") cannot be imported: " + what);
    }
  }
}
