package sparktrain.keras;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Starts a network built from an imported Keras model at the Keras-trained weights: DL4J's {@link
 * KerasModelImport} reads the weights file ({@code save_weights}, or a whole {@code model.save}
 * file), and each layer's parameters are copied into the sparktrain network, layer for layer.
 *
 * <p>One layout differs: a Dense layer after a Flatten of an image. Keras (channels_last) flattens
 * height, width, channel; sparktrain's network flattens channel, height, width, so that layer's
 * weight rows are reordered.
 */
public final class KerasWeights {

  private KerasWeights() {}

  /**
   * Sets the parameters of {@code net}, built from the Keras model at {@code modelPath}, to the
   * weights in {@code weightsPath}.
   *
   * @throws KerasImportException when the file cannot be read or its weights do not fit the model
   */
  public static void apply(MultiLayerNetwork net, String modelPath, String weightsPath) {
    KerasModel model = KerasModelReader.read(modelPath);
    KerasFile weights = KerasFile.read(weightsPath);
    if (!weights.isHdf5()) {
      throw new KerasImportException(weightsPath + ": not an HDF5 file (expected a Keras .h5)");
    }
    MultiLayerNetwork keras = importWithWeights(model, weights);
    copy(keras, net, weightsPath);
  }

  private static MultiLayerNetwork importWithWeights(KerasModel model, KerasFile weights) {
    Path h5 = null;
    Path json = null;
    try {
      h5 = weights.localCopy(".h5");
      boolean wholeModel;
      synchronized (Hdf5Archive.LOCK_OBJECT) {
        try (Hdf5Archive archive = new Hdf5Archive(h5.toString())) {
          wholeModel = archive.hasAttribute("model_config");
        }
      }
      if (wholeModel) {
        return KerasModelImport.importKerasSequentialModelAndWeights(h5.toString(), false);
      }
      json = Files.createTempFile("sparktrain-keras-", ".json");
      Files.writeString(json, model.dl4jJson());
      return KerasModelImport.importKerasSequentialModelAndWeights(
          json.toString(), h5.toString(), false);
    } catch (Exception e) {
      throw new KerasImportException(
          weights.path()
              + ": cannot read the weights of "
              + model.path()
              + " from it: "
              + e.getMessage(),
          e);
    } finally {
      KerasModelReader.deleteQuietly(h5);
      KerasModelReader.deleteQuietly(json);
    }
  }

  private static void copy(MultiLayerNetwork from, MultiLayerNetwork to, String weightsPath) {
    List<Integer> source = weighted(from);
    List<Integer> target = weighted(to);
    if (source.size() != target.size()) {
      throw new KerasImportException(
          weightsPath
              + ": holds "
              + source.size()
              + " layers with weights, the model has "
              + target.size());
    }
    for (int k = 0; k < target.size(); k++) {
      int i = target.get(k);
      Layer ours = to.getLayer(i);
      Map<String, INDArray> theirs = from.getLayer(source.get(k)).paramTable();
      for (Map.Entry<String, INDArray> p : ours.paramTable().entrySet()) {
        INDArray value = theirs.get(p.getKey());
        if (value == null || value.length() != p.getValue().length()) {
          throw new KerasImportException(
              weightsPath
                  + ": the weights of layer "
                  + k
                  + " ("
                  + p.getKey()
                  + ") do not fit: expected shape "
                  + Arrays.toString(p.getValue().shape())
                  + ", got "
                  + (value == null ? "none" : Arrays.toString(value.shape())));
        }
        InputPreProcessor pre = to.getLayerWiseConfigurations().getInputPreProcess(i);
        if (p.getKey().equals("W") && pre instanceof CnnToFeedForwardPreProcessor cnn) {
          value = channelsFirstRows(value, cnn);
        }
        ours.setParam(
            p.getKey(), value.reshape(p.getValue().shape()).castTo(p.getValue().dataType()));
      }
    }
  }

  /** Rows ordered (height, width, channel) → (channel, height, width). */
  static INDArray channelsFirstRows(INDArray w, CnnToFeedForwardPreProcessor cnn) {
    long h = cnn.getInputHeight();
    long wd = cnn.getInputWidth();
    long c = cnn.getNumChannels();
    long out = w.size(1);
    return w.dup('c')
        .reshape('c', h, wd, c, out)
        .permute(2, 0, 1, 3)
        .dup('c')
        .reshape('c', c * h * wd, out);
  }

  private static List<Integer> weighted(MultiLayerNetwork net) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).numParams() > 0) {
        out.add(i);
      }
    }
    return out;
  }
}
